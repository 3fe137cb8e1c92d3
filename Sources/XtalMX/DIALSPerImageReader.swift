import Foundation
import XtalCore

/// Reads DIALS per-image spot-finding analysis (mx-results.md §4): the nine figures of
/// `per_image_analysis.stats_for_reflection_table` as `dials.spot_counts_per_image
/// json=` writes them (`{field: [value per image]}`), as one find_spots_server response
/// (`{field: value}`, optionally with `image`), or as a list of such responses.
public enum DIALSPerImageReader {
    public static func read(path: String) throws -> ImageQualitySeries {
        try read(data: MXFileData.load(path, largest: DozorLogReader.largestFile), path: path)
    }

    static let numbers: [(String, SendableField<ImageQuality, Double?>)] = [
        ("estimated_d_min", \.estimatedDMin), ("d_min_distl_method_1", \.dMinDistlMethod1),
        ("d_min_distl_method_2", \.dMinDistlMethod2), ("noisiness_method_1", \.noisinessMethod1),
        ("noisiness_method_2", \.noisinessMethod2), ("total_intensity", \.totalIntensity),
    ]
    static let counts: [(String, SendableField<ImageQuality, Int?>)] = [
        ("n_spots_total", \.spots), ("n_spots_no_ice", \.spotsNoIce), ("n_spots_4A", \.spots4A),
    ]

    /// True when `object` carries DIALS's per-image fields.
    static func isPerImage(_ object: [String: Any]) -> Bool { object["n_spots_total"] != nil }

    public static func read(data: Data, path: String) throws -> ImageQualitySeries {
        try read(document: JSONObjects.parse(data, path: path), path: path)
    }

    /// From the parsed JSON document (an object or a list of objects).
    public static func read(document: Any, path: String) throws -> ImageQualitySeries {
        var values = ResultValues(file: path)
        var series = ImageQualitySeries(file: path, format: .dialsPerImage)
        series.program = "DIALS per-image analysis"
        if let object = document as? [String: Any], isPerImage(object) {
            if let totals = object["n_spots_total"] as? [Any] {
                series.images = columns(object, count: totals.count, &values)
            } else {
                series.images = [one(object, key: "", fallbackNumber: 1, &values)]
            }
        } else if let list = document as? [Any] {
            for (index, entry) in list.enumerated() {
                guard let object = entry as? [String: Any], isPerImage(object) else {
                    values.note("[\(index)] is not a per-image analysis object; left out", line: 0, kind: .malformedLine)
                    continue
                }
                series.images.append(one(object, key: "[\(index)].", fallbackNumber: index + 1, &values))
            }
        } else {
            throw MXReadError.notThisFormat(path: path, reason: "no 'n_spots_total' (not DIALS per-image analysis)")
        }
        series.issues = values.issues
        return series
    }

    /// `{field: [value per image]}`: image i is number i + 1 unless an `image_number` list says otherwise.
    static func columns(_ object: [String: Any], count: Int, _ values: inout ResultValues) -> [ImageQuality] {
        var images = (0..<count).map { ImageQuality(imageNumber: $0 + 1) }
        func column(_ key: String) -> [Any]? {
            guard let entry = object[key] else { return nil }
            guard let list = entry as? [Any], list.count == count else {
                values.note("\(key): not a list of \(count) values like n_spots_total; left out", line: 0)
                return nil
            }
            return list
        }
        if let numbersList = column("image_number") {
            for i in 0..<count {
                if let n = JSONObjects.whole(numbersList[i], "image_number[\(i)]", &values) { images[i].imageNumber = n }
            }
        }
        for (key, field) in numbers {
            guard let list = column(key) else { continue }
            for i in 0..<count { images[i][keyPath: field] = JSONObjects.number(list[i], "\(key)[\(i)]", &values) }
        }
        for (key, field) in counts {
            guard let list = column(key) else { continue }
            for i in 0..<count { images[i][keyPath: field] = JSONObjects.whole(list[i], "\(key)[\(i)]", &values) }
        }
        return images
    }

    /// One response. Its image number: `file-pattern-index` or `file-number` (as DLS's
    /// per-image service reads them), else a numeric `image`, else `fallbackNumber`.
    static func one(_ object: [String: Any], key: String, fallbackNumber: Int, _ values: inout ResultValues) -> ImageQuality {
        var number = fallbackNumber
        for name in ["file-pattern-index", "file-number", "image"] {
            if let value = object[name], !(value is String), let n = JSONObjects.whole(value, key + name, &values) {
                number = n
                break
            }
        }
        var image = ImageQuality(imageNumber: number)
        for (name, field) in numbers { image[keyPath: field] = JSONObjects.number(object[name], key + name, &values) }
        for (name, field) in counts { image[keyPath: field] = JSONObjects.whole(object[name], key + name, &values) }
        return image
    }
}
