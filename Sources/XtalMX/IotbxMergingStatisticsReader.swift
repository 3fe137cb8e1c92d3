import Foundation
import XtalCore

/// Reads iotbx's merging statistics (`dataset_statistics.as_json()`, ../shared/docs/merging.md
/// §3): each key a list over resolution bins, low to high resolution, and `overall` with the
/// same keys as scalars. xia2 attaches it to ISPyB as `LogFiles/*_merging-statistics.json`
/// (a Graph). Bin limits from `d_star_sq_min` / `d_star_sq_max` (d = 1/√d*²); the inner
/// and outer shell are the first and last bin, as ISPyB's rows are made. iotbx writes
/// `anom_completeness` as a fraction: it is made percent (stated in `normalisations`).
public enum IotbxMergingStatisticsReader {
    static let numbers: [(String, SendableField<ShellStatistics, Double?>)] = [
        ("completeness", \.completeness), ("multiplicity", \.multiplicity), ("i_over_sigma_mean", \.meanIOverSigI),
        ("r_merge", \.rMerge), ("r_meas", \.rMeasAllIPlusIMinus), ("r_pim", \.rPimAllIPlusIMinus),
        ("cc_one_half", \.ccHalf), ("cc_anom", \.ccAnomalous), ("anom_completeness", \.anomalousCompleteness),
    ]
    static let counts: [(String, SendableField<ShellStatistics, Int?>)] = [
        ("n_obs", \.nTotalObservations), ("n_uniq", \.nTotalUniqueObservations),
    ]

    /// True when `object` has iotbx's layout.
    static func isMergingStatistics(_ object: [String: Any]) -> Bool {
        object["d_star_sq_max"] is [Any] && object["overall"] is [String: Any]
    }

    public static func read(statistics object: [String: Any], path: String) -> ProcessingResult {
        var values = ResultValues(file: path)
        var result = ProcessingResult(file: path, format: .iotbxMergingStatistics, producer: path.contains("xia2") ? .xia2 : .other)
        var program = ProcessingProgram()
        program.programs = "iotbx merging statistics (" + URL(fileURLWithPath: path).lastPathComponent + ")"
        result.program = program
        let binCount = (object["d_star_sq_max"] as? [Any])?.count ?? 0
        func shell(_ value: (String) -> Any?, _ where_: String) -> ShellStatistics {
            var s = ShellStatistics()
            for (key, field) in numbers { s[keyPath: field] = JSONObjects.number(value(key), "\(where_).\(key)", &values) }
            for (key, field) in counts { s[keyPath: field] = JSONObjects.whole(value(key), "\(where_).\(key)", &values) }
            if let fraction = s.anomalousCompleteness { s.anomalousCompleteness = fraction * 100 }
            let low = JSONObjects.number(value("d_star_sq_min"), "\(where_).d_star_sq_min", &values)
            let high = JSONObjects.number(value("d_star_sq_max"), "\(where_).d_star_sq_max", &values)
            s.resolutionLimitLow = low.flatMap { $0 > 0 ? 1 / $0.squareRoot() : nil }
            s.resolutionLimitHigh = high.flatMap { $0 > 0 ? 1 / $0.squareRoot() : nil }
            return s
        }
        var bins: [ShellStatistics] = []
        for i in 0..<binCount {
            bins.append(shell({ key in
                guard let list = object[key] as? [Any] else { return nil }
                return i < list.count ? list[i] : nil
            }, "bin \(i + 1)"))
        }
        let overall = object["overall"] as? [String: Any] ?? [:]
        var scaling = Scaling()
        scaling.shells = ScalingShells(overall: shell({ overall[$0] }, "overall"), innerShell: bins.first, outerShell: bins.last)
        // The overall row's limits, where iotbx leaves them out, from the outermost bins.
        if scaling.shells.overall?.resolutionLimitLow == nil { scaling.shells.overall?.resolutionLimitLow = bins.first?.resolutionLimitLow }
        if scaling.shells.overall?.resolutionLimitHigh == nil { scaling.shells.overall?.resolutionLimitHigh = bins.last?.resolutionLimitHigh }
        scaling.resolutionBins = bins
        result.scalings = [scaling]
        result.normalisations = (bins + [scaling.shells.overall].compactMap { $0 }).contains { $0.anomalousCompleteness != nil }
            ? ["anomalousCompleteness: iotbx writes a fraction; multiplied by 100"] : []
        result.normalisations += UnitRules.normalise(&result)
        if binCount == 0 { values.note("no resolution bins", line: 0) }
        result.issues = values.issues
        return result
    }
}
