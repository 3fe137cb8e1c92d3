import Foundation
import XtalCore

/// Any of the rotation-MX result and per-image files, recognised by content (not name):
/// XML → ISPyB AutoProcContainer or EDNA's image quality indicators; JSON → fast_dp.json,
/// xia2's ispyb.json or xia2.json, iotbx merging statistics, EDNA2 Dozor JSON or DIALS per-image
/// analysis by their keys; text → a Dozor log or an xia2 summary by their banners.
public enum MXResultFile {
    public enum Content: Sendable, Equatable {
        /// Processing results (one per AutoProcContainer of an ISPyB XML file).
        case processing([ProcessingResult])
        case imageQuality(ImageQualitySeries)
        /// A Dozor input file: how Dozor was asked to read a scan, not a result.
        case dozorInput(DozorInput)
    }

    public static func read(path: String) throws -> Content {
        let data = try MXFileData.load(path, largest: DozorLogReader.largestFile)
        switch kind(of: data) {
        case .xml:
            if String(decoding: data.prefix(4096), as: UTF8.self).contains("ImageQualityIndicators") {
                return .imageQuality(try EDNAQualityIndicatorsReader.read(data: data, path: path))
            }
            return .processing(try ISPyBXMLReader.read(data: data, path: path))
        case .json:
            let document = try JSONObjects.parse(data, path: path)
            let object = document as? [String: Any] ?? (document as? [Any])?.first as? [String: Any] ?? [:]
            // The document is parsed once, here, and handed to the reader its keys name.
            if object["scaling_statistics"] != nil { return .processing([try FastDPJSONReader.read(object: object, path: path)]) }
            if object["AutoProcScalingContainer"] != nil || object["AutoProc"] != nil {
                return .processing([ISPyBXMLReader.read(ispybJSON: object, path: path)])
            }
            if object["_crystals"] != nil { return .processing([Xia2JSONReader.read(project: object, path: path)]) }
            if DIALSMergeJSONReader.isMergeJSON(object) { return .processing([try DIALSMergeJSONReader.read(object: object, path: path)]) }
            if IotbxMergingStatisticsReader.isMergingStatistics(object) {
                return .processing([IotbxMergingStatisticsReader.read(statistics: object, path: path)])
            }
            if object["imageQualityIndicators"] != nil { return .imageQuality(try DozorJSONReader.read(object: object, path: path)) }
            if DIALSPerImageReader.isPerImage(object) { return .imageQuality(try DIALSPerImageReader.read(document: document, path: path)) }
            throw MXReadError.notThisFormat(
                path: path,
                reason: "JSON without scaling_statistics (fast_dp), AutoProcScalingContainer (xia2's ispyb.json), _crystals (xia2.json), "
                    + "merging_stats (dials.merge), imageQualityIndicators (EDNA2 Dozor) or n_spots_total (DIALS)")
        case .text:
            let head = MXFileData.lines(data.prefix(8192))
            if DozorLogReader.looksLikeDozor(head) {
                return .imageQuality(try DozorLogReader.read(data: data, path: path))
            }
            if DozorInputReader.looksLikeInput(head) { return .dozorInput(try DozorInputReader.read(data: data, path: path)) }
            if DIALSTableOneReader.looksLikeTable(MXFileData.lines(data)) {
                return .processing([try DIALSTableOneReader.read(data: data, path: path)])
            }
            return .processing([try Xia2TextReader.read(data: data, path: path)])
        }
    }

    /// True when the start of the file at `path` looks like one of these formats (used to
    /// choose between these readers and the HDF5 one).
    public static func recognises(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 8192), !head.isEmpty else { return false }
        switch kind(of: head) {
        case .xml:
            let text = String(decoding: head, as: UTF8.self)
            return text.contains("AutoProc") || text.contains("ImageQualityIndicators")
        case .json:
            let text = String(decoding: head, as: UTF8.self)
            return ["scaling_statistics", "imageQualityIndicators", "n_spots_total", "AutoProcScalingContainer", "_crystals", "d_star_sq_max",
                    "merging_stats"]
                .contains { text.contains($0) }
                // dials.merge.json: keyed by wavelength ("%.5f"); its merging_stats come after the plots.
                || text.range(of: #"^\s*\{\s*"[0-9]+\.[0-9]{5}"\s*:"#, options: .regularExpression) != nil
        case .text:
            let lines = MXFileData.lines(head)
            return DozorLogReader.looksLikeDozor(lines) || DozorInputReader.looksLikeInput(lines) || DIALSTableOneReader.looksLikeTable(lines)
                || lines.contains { $0.hasPrefix("XIA2 ") || $0.hasPrefix("Command line: xia2") || $0.hasPrefix("Spacegroup: ") }
        }
    }

    private enum Kind { case xml, json, text }

    private static func kind(of data: Data) -> Kind {
        var bytes = data.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // a UTF-8 byte-order mark
        switch bytes.first {
        case UInt8(ascii: "<"): return .xml
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        default: return .text
        }
    }
}
