import Foundation
import XtalCore

/// Reads EDNA2's Dozor JSON (`imageQualityIndicators`: one object per image; mx-results.md
/// §5), in both spellings EDNA2 writes: ControlDozor's `dozorSpotsNumOf`, `dozorScore`, …
/// and the image-quality task's `spotsNumOf`, `mainScore`, ….
public enum DozorJSONReader {
    public static func read(path: String) throws -> ImageQualitySeries {
        try read(data: MXFileData.load(path, largest: DozorLogReader.largestFile), path: path)
    }

    /// (field, the two spellings).
    static let numbers: [(SendableField<ImageQuality, Double?>, [String])] = [
        (\.angle, ["angle"]),
        (\.spotsMeanIntensity, ["dozorSpotsIntAver", "spotsIntAver"]),
        (\.spotsResolution, ["dozorSpotsResolution", "spotsResolution"]),
        (\.spotsRFactor, ["dozorSpotsRFactor", "spotsRFactor"]),
        (\.dozorScore, ["dozorScore", "mainScore"]),
        (\.dozorSpotScore, ["dozorSpotScore", "spotScore"]),
        (\.visibleResolution, ["dozorVisibleResolution", "visibleResolution"]),
        (\.wilsonScale, ["powderWilsonScale"]), (\.wilsonBFactor, ["powderWilsonBfactor"]),
        (\.wilsonResolution, ["powderWilsonResolution"]), (\.wilsonCorrelation, ["powderWilsonCorrelation"]),
        (\.wilsonRFactor, ["powderWilsonRfactor"]),
    ]

    public static func read(data: Data, path: String) throws -> ImageQualitySeries {
        try read(object: JSONObjects.object(data, path: path), path: path)
    }

    /// From the parsed JSON object.
    public static func read(object document: [String: Any], path: String) throws -> ImageQualitySeries {
        guard let list = document["imageQualityIndicators"] as? [Any] else {
            throw MXReadError.notThisFormat(path: path, reason: "no 'imageQualityIndicators' list (not EDNA2 Dozor JSON)")
        }
        var values = ResultValues(file: path)
        var series = ImageQualitySeries(file: path, format: .dozorJSON)
        series.program = "dozor (EDNA2)"
        var seen = Set<Int>()
        for (index, entry) in list.enumerated() {
            let key = "imageQualityIndicators[\(index)]"
            guard let object = entry as? [String: Any] else {
                values.note("\(key) is not an object; left out", line: 0, kind: .malformedLine)
                continue
            }
            guard let number = JSONObjects.whole(object["number"], "\(key).number", &values) else {
                values.note("\(key) has no image number; left out", line: 0, kind: .malformedLine)
                continue
            }
            guard seen.insert(number).inserted else {
                values.note("\(key): image \(number) appears twice; left out", line: 0, kind: .malformedLine)
                continue
            }
            var image = ImageQuality(imageNumber: number)
            for (field, names) in numbers {
                guard let name = names.first(where: { object[$0] != nil }) else { continue }
                image[keyPath: field] = JSONObjects.number(object[name], "\(key).\(name)", &values)
            }
            let spotsKey = object["dozorSpotsNumOf"] != nil ? "dozorSpotsNumOf" : "spotsNumOf"
            image.spots = JSONObjects.whole(object[spotsKey], "\(key).\(spotsKey)", &values)
            series.images.append(image)
        }
        // Images without a powder-Wilson fit, where the file gives the fit at all.
        if series.images.contains(where: { $0.wilsonScale != nil }) {
            series.imagesWithoutResults = series.images.count { $0.wilsonScale == nil }
        }
        series.issues = values.issues
        return series
    }
}
