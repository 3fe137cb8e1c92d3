import Foundation
import XtalCore

/// Reads `dials.merge.json` and xia2.ssx_reduce's `dials.merge.<group>.json`
/// (`generate_json_data`, dials `reporting.py`; ../shared/docs/merging.md §2.3): one object
/// per wavelength, keyed by the wavelength as `%.5f`, each with `merging_stats` (iotbx's
/// `dataset_statistics.as_dict()`, read by `IotbxMergingStatisticsReader`) and
/// `table_1_stats` (the text table). Each wavelength is one scaling; the result's
/// wavelength is the first one's. A file with `multi_data` only has its summary, which is
/// not read.
public enum DIALSMergeJSONReader {
    /// True when `object` is keyed by wavelengths whose values hold `merging_stats`.
    static func isMergeJSON(_ object: [String: Any]) -> Bool {
        object.contains { key, value in Double(key) != nil && (value as? [String: Any])?["merging_stats"] != nil }
    }

    public static func read(object: [String: Any], path: String) throws -> ProcessingResult {
        var result = ProcessingResult(file: path, format: .dialsMergeJSON, producer: .dials)
        var program = ProcessingProgram()
        program.programs = "dials.merge"
        result.program = program
        let wavelengths = object.keys.compactMap { key in Double(key).map { (key, $0) } }.sorted { $0.1 < $1.1 }
        for (key, wavelength) in wavelengths {
            guard let entry = object[key] as? [String: Any], let stats = entry["merging_stats"] as? [String: Any],
                  IotbxMergingStatisticsReader.isMergingStatistics(stats)
            else {
                result.issues.append(IngestIssue(
                    kind: .warning, file: path, line: 0, reason: "wavelength \(key): no iotbx merging_stats; left out"))
                continue
            }
            let part = IotbxMergingStatisticsReader.read(statistics: stats, path: path)
            result.issues += part.issues
            result.normalisations += part.normalisations.filter { !result.normalisations.contains($0) }
            for var scaling in part.scalings {
                scaling.dataset = "wavelength \(key) Å"
                result.scalings.append(scaling)
            }
            if result.wavelength == nil { result.wavelength = wavelength }
        }
        guard !result.scalings.isEmpty else {
            throw MXReadError.notThisFormat(path: path, reason: "no wavelength with iotbx merging_stats")
        }
        return result
    }
}
