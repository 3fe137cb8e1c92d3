import Foundation
import XtalCore

/// Reads `fast_dp.json` (fast_dp's `output.py:write_json`; mx-results.md §2): space group,
/// cell, the three shells under ispyb-api's `_scaling_params` names, the refined beam
/// centre (mm) and the command line.
public enum FastDPJSONReader {
    public static func read(path: String) throws -> ProcessingResult {
        try read(data: MXFileData.load(path, largest: ISPyBXMLReader.largestFile), path: path)
    }

    public static func read(data: Data, path: String) throws -> ProcessingResult {
        try read(object: JSONObjects.object(data, path: path), path: path)
    }

    /// From the parsed JSON object.
    public static func read(object document: [String: Any], path: String) throws -> ProcessingResult {
        guard let statistics = document["scaling_statistics"] as? [String: Any] else {
            throw MXReadError.notThisFormat(path: path, reason: "no 'scaling_statistics' object (not a fast_dp.json)")
        }
        var values = ResultValues(file: path)
        var result = ProcessingResult(file: path, format: .fastDPJSON, producer: .fastDP)
        var program = ProcessingProgram()
        program.programs = "fast_dp"
        program.commandLine = document["commandline"] as? String
        result.program = program
        result.spaceGroup = (document["spacegroup"] as? String).flatMap(ResultValues.string)
        result.cell = JSONObjects.numbers(document["unit_cell"], "unit_cell", &values).flatMap(UnitCell.init)
        var scaling = Scaling()
        for kind in ShellKind.allCases {
            guard let entry = statistics[kind.rawValue] else { continue }
            guard let shell = entry as? [String: Any] else {
                values.note("scaling_statistics.\(kind.rawValue) is not an object; left out", line: 0, kind: .malformedLine)
                continue
            }
            scaling.shells[kind] = ScalingParameters.shell(shell, path: "scaling_statistics.\(kind.rawValue)", &values)
        }
        var integration = Integration()
        if let beam = JSONObjects.numbers(document["refined_beam"], "refined_beam", &values), beam.count == 2 {
            (integration.refinedXBeam, integration.refinedYBeam) = (beam[0], beam[1])
            integration.cell = result.cell
            scaling.integrations = [integration]
        }
        result.scalings = [scaling]
        result.normalisations = UnitRules.normalise(&result)
        result.issues = values.issues
        return result
    }
}

/// ispyb-api's `_scaling_params` names (fast_dp.json, xia2's zocalo object) onto the shell.
enum ScalingParameters {
    static let numbers: [(String, SendableField<ShellStatistics, Double?>)] = [
        ("res_lim_low", \.resolutionLimitLow), ("res_lim_high", \.resolutionLimitHigh), ("r_merge", \.rMerge),
        ("r_meas_within_iplusi_minus", \.rMeasWithinIPlusIMinus), ("r_meas_all_iplusi_minus", \.rMeasAllIPlusIMinus),
        ("r_pim_within_iplusi_minus", \.rPimWithinIPlusIMinus), ("r_pim_all_iplusi_minus", \.rPimAllIPlusIMinus),
        ("fract_partial_bias", \.fractionalPartialBias), ("mean_i_sig_i", \.meanIOverSigI),
        ("completeness", \.completeness), ("multiplicity", \.multiplicity),
        ("anom_completeness", \.anomalousCompleteness), ("anom_multiplicity", \.anomalousMultiplicity),
        ("cc_half", \.ccHalf), ("cc_anom", \.ccAnomalous),
    ]

    static func shell(_ object: [String: Any], path: String, _ values: inout ResultValues) -> ShellStatistics {
        var shell = ShellStatistics()
        for (key, field) in numbers {
            shell[keyPath: field] = JSONObjects.number(object[key], "\(path).\(key)", &values)
        }
        shell.nTotalObservations = JSONObjects.whole(object["n_tot_obs"], "\(path).n_tot_obs", &values)
        shell.nTotalUniqueObservations = JSONObjects.whole(object["n_tot_unique_obs"], "\(path).n_tot_unique_obs", &values)
        return shell
    }
}

/// Untyped JSON values read leniently: a number may be a JSON number or a numeric string,
/// null is absent, anything else is an issue naming the key.
enum JSONObjects {
    static func parse(_ data: Data, path: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw MXReadError.unreadable(path: path, reason: "not valid JSON: \((error as NSError).localizedDescription)")
        }
    }

    static func object(_ data: Data, path: String) throws -> [String: Any] {
        guard let object = try parse(data, path: path) as? [String: Any] else {
            throw MXReadError.notThisFormat(path: path, reason: "the JSON is not an object")
        }
        return object
    }

    static func number(_ value: Any?, _ key: String, _ values: inout ResultValues) -> Double? {
        switch value {
        case nil, is NSNull: return nil
        case let number as NSNumber:
            let double = number.doubleValue
            if double.isFinite { return double }
            values.note("\(key): not a finite number; left out", line: 0)
            return nil
        case let text as String: return values.double(text, key, line: 0)
        default:
            values.note("\(key): not a number; left out", line: 0)
            return nil
        }
    }

    static func whole(_ value: Any?, _ key: String, _ values: inout ResultValues) -> Int? {
        guard let double = number(value, key, &values) else { return nil }
        guard double.rounded() == double, abs(double) < 1e15 else {
            values.note("\(key): \(double) is not a whole number; left out", line: 0)
            return nil
        }
        return Int(double)
    }

    static func numbers(_ value: Any?, _ key: String, _ values: inout ResultValues) -> [Double]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let list = value as? [Any] else {
            values.note("\(key): not a list; left out", line: 0)
            return nil
        }
        let parsed = list.enumerated().map { number($0.element, "\(key)[\($0.offset)]", &values) }
        return parsed.contains(where: { $0 == nil }) ? nil : parsed.map { $0! }
    }
}
