import Foundation
import XtalCore

/// Reads `xia2.json`, the serialised xia2 project (mx-results.md §3): per crystal, the
/// scaler's `_scalr_statistics` (keys JSON-encoded `["project", "crystal", "dataset"]`,
/// values xia2's statistic names → [overall, low-resolution shell, high-resolution shell],
/// or four values with a resolution cut: [selected overall, low, high, full overall]), the
/// likely space groups and the cell. Each dataset is one scaling, its statistics mapped as
/// `Xia2TextReader` maps xia2.txt's rows.
public enum Xia2JSONReader {
    public static func read(project: [String: Any], path: String) -> ProcessingResult {
        var values = ResultValues(file: path)
        var result = ProcessingResult(file: path, format: .xia2JSON, producer: .xia2)
        var program = ProcessingProgram()
        program.programs = "xia2"
        result.program = program
        let crystals = project["_crystals"] as? [String: Any] ?? [:]
        for name in crystals.keys.sorted() {
            guard let crystal = crystals[name] as? [String: Any], let scaler = crystal["_scaler"] as? [String: Any] else {
                values.note("_crystals.\(name) has no _scaler; left out", line: 0, kind: .malformedLine)
                continue
            }
            if result.spaceGroup == nil, let groups = scaler["_scalr_likely_spacegroups"] as? [Any], let first = groups.first as? String {
                result.spaceGroup = first
            }
            if result.cell == nil {
                result.cell = JSONObjects.numbers(scaler["_scalr_cell"], "_crystals.\(name)._scaler._scalr_cell", &values).flatMap(UnitCell.init)
            }
            let statistics = scaler["_scalr_statistics"] as? [String: Any] ?? [:]
            for key in statistics.keys.sorted() {
                guard let table = statistics[key] as? [String: Any] else { continue }
                var scaling = Scaling()
                let parts = (try? JSONSerialization.jsonObject(with: Data(key.utf8))) as? [String]
                scaling.dataset = parts?.joined(separator: "/") ?? key
                for statName in table.keys.sorted() {
                    let numbers = (table[statName] as? [Any]).map { list in
                        list.enumerated().map { JSONObjects.number($0.element, "\(key).\(statName)[\($0.offset)]", &values) }
                    } ?? [JSONObjects.number(table[statName], "\(key).\(statName)", &values)]
                    Xia2TextReader.readRow(
                        statName, numbers.prefix(3).map { $0.map { "\($0)" } ?? "" }, into: &scaling, line: 0, &values)
                }
                result.scalings.append(scaling)
            }
        }
        if result.scalings.isEmpty { values.note("no _crystals.*._scaler._scalr_statistics: no statistics", line: 0) }
        result.normalisations = UnitRules.normalise(&result)
        result.issues = values.issues
        return result
    }
}
