import Foundation
import XtalCore

/// Reads the Table 1 that dials.merge (and dials.scale, xia2.ssx_reduce) print
/// (`format_statistics`; ../shared/docs/merging.md §2.4): a header of column names —
/// ` Overall    Low     High`, or `Suggested   Low    High  Overall` when a resolution cut
/// is suggested — then rows whose label is padded to 44 characters, one value per column.
/// The labels are xia2's (`High resolution limit`, `Completeness`, `CC half`, `Rsplit(I)`,
/// `Total unique`, …) and map onto ISPyB's fields as in `Xia2TextReader`; the overall,
/// low and high columns are the three shells (the suggested column is kept apart in
/// `otherFigures`). The first such table of the file is read.
public enum DIALSTableOneReader {
    /// The column names of a header line, nil for any other line.
    static func header(_ line: Substring) -> [String]? {
        let words = line.split(separator: " ").map(String.init)
        guard words.count >= 3, Set(words).isSubset(of: ["Overall", "Low", "High", "Suggested"]),
              ["Overall", "Low", "High"].allSatisfy(words.contains)
        else { return nil }
        return words
    }

    /// Whether `lines` hold a Table 1 of this form.
    static func looksLikeTable(_ lines: [Substring]) -> Bool {
        guard let h = lines.firstIndex(where: { header($0) != nil }) else { return false }
        return lines[h...].dropFirst().prefix(3).contains { $0.hasPrefix("High resolution limit") }
    }

    public static func read(data: Data, path: String) throws -> ProcessingResult {
        let lines = MXFileData.lines(data)
        guard let h = lines.firstIndex(where: { header($0) != nil }), let columns = header(lines[h]) else {
            throw MXReadError.notThisFormat(path: path, reason: "no Table 1 header ('Overall  Low  High')")
        }
        var values = ResultValues(file: path)
        var result = ProcessingResult(file: path, format: .dialsTableOne, producer: .dials)
        var program = ProcessingProgram()
        program.programs = (path as NSString).lastPathComponent.hasPrefix("xia2") ? "xia2.ssx_reduce" : "dials.merge"
        result.program = program
        var table = Scaling()
        let order = ["Overall", "Low", "High"].map { columns.firstIndex(of: $0)! }
        for index in (h + 1)..<lines.count {
            let line = lines[index]
            guard line.count > 44 else { break }
            let name = line.prefix(44).trimmingCharacters(in: .whitespaces)
            let cells = line.dropFirst(44).split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "*")) }
            guard !name.isEmpty, cells.count == columns.count else { break }
            Xia2TextReader.readRow(name, order.map { cells[$0] }, into: &table, line: index + 1, &values)
            if let suggested = columns.firstIndex(of: "Suggested"), let x = Double(cells[suggested]) {
                table.otherFigures["suggested " + name] = [x]
            }
        }
        if let line = lines.first(where: { $0.hasPrefix("Resolution limit suggested from CC½ fit") }),
           let x = line.split(separator: ":").last.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        {
            table.otherFigures["CC½ fit resolution limit"] = [x]
        }
        guard table.shells.overall != nil else {
            throw MXReadError.notThisFormat(path: path, reason: "a Table 1 header without rows")
        }
        result.scalings = [table]
        result.normalisations += UnitRules.normalise(&result)
        result.issues = values.issues
        return result
    }
}
