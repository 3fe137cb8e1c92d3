import Foundation
import XtalCore

/// Reads EDNA's image quality indicators (labelit/DISTL), the XML its ISPyB plugin stores
/// (`XSDataInputStoreImageQualityIndicators`, one image, and
/// `XSDataInputStoreListOfImageQualityIndicators`; datamodel `XSDataISPyBv1_4.edml`): per
/// image, each ImageQualityIndicators column as `<column><value>…</value></column>`, and the
/// image's `number` and `path`. The image number is the number the file name ends with
/// (`…_0002.img` → 2) where it has one, else `image/number` (the EDNA test file gives 1 for
/// every image).
public enum EDNAQualityIndicatorsReader {
    public static func read(path: String) throws -> ImageQualitySeries {
        try read(data: MXFileData.load(path, largest: DozorLogReader.largestFile), path: path)
    }

    static let numbers: [(String, SendableField<ImageQuality, Double?>)] = [
        ("method1Res", \.dMinDistlMethod1), ("method2Res", \.dMinDistlMethod2), ("maxUnitCell", \.maxUnitCell),
        ("pctSaturationTop50Peaks", \.pctSaturationTop50Peaks), ("binPopCutOffMethod2Res", \.binPopCutOffMethod2Res),
        ("totalIntegratedSignal", \.totalIntensity), ("dozor_score", \.dozorScore),
    ]
    static let counts: [(String, SendableField<ImageQuality, Int?>)] = [
        ("spotTotal", \.spots), ("inResTotal", \.inResTotal), ("goodBraggCandidates", \.spotsNoIce),
        ("iceRings", \.iceRings), ("inResolutionOvrlSpots", \.inResolutionOvrlSpots),
    ]

    public static func read(data: Data, path: String) throws -> ImageQualitySeries {
        let root: XMLNode
        do {
            root = try XMLNode.parse(data)
        } catch let error as XMLNode.ParseError {
            throw MXReadError.unreadable(path: path, reason: "not well-formed XML at line \(error.line): \(error.reason)")
        }
        let entries = root.all("imageQualityIndicators")
        guard !entries.isEmpty else {
            throw MXReadError.notThisFormat(path: path, reason: "no imageQualityIndicators element (root is <\(root.name)>)")
        }
        var values = ResultValues(file: path)
        var series = ImageQualitySeries(file: path, format: .ednaXML)
        series.program = "EDNA (labelit/DISTL)"
        var seen = Set<Int>()
        for entry in entries {
            func value(_ node: XMLNode?) -> XMLNode? { node?.first("value") ?? node }
            let image = entry.first("image")
            let pathText = value(image?.first("path")).map(\.value) ?? ""
            let fromName = pathText.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
            let written = value(image?.first("number")).flatMap { values.int($0.value, "image/number", line: $0.line) }
            guard let number = fromName ?? written else {
                values.note("imageQualityIndicators without an image number or numbered file; left out", line: entry.line, kind: .malformedLine)
                continue
            }
            guard seen.insert(number).inserted else {
                values.note("image \(number) appears twice; the later entry is left out", line: entry.line, kind: .malformedLine)
                continue
            }
            var quality = ImageQuality(imageNumber: number)
            for (name, field) in numbers {
                if let node = value(entry.first(name)) { quality[keyPath: field] = values.double(node.value, name, line: node.line) }
            }
            for (name, field) in counts {
                if let node = value(entry.first(name)) { quality[keyPath: field] = values.int(node.value, name, line: node.line) }
            }
            series.images.append(quality)
        }
        series.issues = values.issues
        return series
    }
}
