import Foundation
import XtalCore

/// A `--shell-file` written by `check_hkl` or `compare_hkl` (CrystFEL 0.11;
/// ../shared/docs/merging.md §1.7, §1.8): one header line naming the columns, then one row
/// of numbers per resolution shell.
///
/// - check_hkl: `Center 1/nm  # refs Possible  Compl  Meas  Red  SNR  Mean I  d(A)  Min 1/nm
///   Max 1/nm` (11 numbers a row);
/// - compare_hkl: `1/d centre  FOM  nref  d / A  Min 1/nm  Max 1/nm` (6 numbers), where FOM
///   names the figure: `CC`, `CC*`, `Rsplit/%`, `R1(I)/%`, `CCano`, ….
///
/// A row of another shape, or with a value that is not a number, is an issue with its line
/// and is left out; `nan` is a number (compare_hkl prints it for an empty shell).
public struct HKLShellFile: Sendable, Codable, Equatable {
    public enum Tool: String, Sendable, Codable { case checkHKL = "check_hkl", compareHKL = "compare_hkl" }

    public var file: String
    public var tool: Tool
    /// compare_hkl's figure, as its header names it (`CC`, `CC*`, `Rsplit/%`, …); nil for check_hkl.
    public var figure: String?
    public var checkRows: [CheckRow] = []
    public var compareRows: [CompareRow] = []
    public var issues: [IngestIssue] = []

    /// One check_hkl shell.
    public struct CheckRow: Sendable, Codable, Equatable {
        public var centreInverseNm: Double
        public var measured: Int
        public var possible: Int
        public var completenessPercent: Double
        public var measurements: Int
        public var redundancy: Double
        public var signalToNoise: Double
        public var meanIntensity: Double
        public var dAngstrom: Double
        public var minInverseNm: Double
        public var maxInverseNm: Double
    }

    /// One compare_hkl shell.
    public struct CompareRow: Sendable, Codable, Equatable {
        public var centreInverseNm: Double
        public var value: Double
        public var pairs: Int
        public var dAngstrom: Double
        public var minInverseNm: Double
        public var maxInverseNm: Double
    }

    /// Whether `text` starts as a shell file of either tool.
    public static func recognises(_ text: Substring) -> Bool { tool(ofHeader: text) != nil }

    static func tool(ofHeader line: Substring) -> (Tool, String?)? {
        let words = line.split(separator: " ")
        if words.starts(with: ["Center", "1/nm", "#", "refs", "Possible", "Compl"]) { return (.checkHKL, nil) }
        // "1/d centre FOM nref d / A Min 1/nm Max 1/nm"
        if words.count == 11, words.starts(with: ["1/d", "centre"]), words[3] == "nref", words[4] == "d" {
            return (.compareHKL, String(words[2]))
        }
        return nil
    }

    public static func read(path: String) throws -> HKLShellFile {
        return try parse(try MergeError.text(of: path, largest: 64 << 20), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> HKLShellFile {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, let (tool, figure) = tool(ofHeader: first) else {
            throw MergeError.notThisFormat(path: path, reason: "not a check_hkl or compare_hkl shell file (its header line is not theirs)")
        }
        var file = HKLShellFile(file: path, tool: tool, figure: figure)
        for (index, raw) in lines.enumerated().dropFirst() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            let numbers = fields.map { Double($0) }
            let expected = tool == .checkHKL ? 11 : 6
            guard fields.count == expected, numbers.allSatisfy({ $0 != nil }) else {
                file.issues.append(IngestIssue(
                    kind: .malformedLine, file: path, line: index + 1,
                    reason: "expected \(expected) numbers in a \(tool.rawValue) shell row, found '\(raw.prefix(80))'; left out"))
                continue
            }
            let v = numbers.map { $0! }
            let countValues = tool == .checkHKL ? [v[1], v[2], v[4]] : [v[2]]
            let counts = countValues.compactMap(exactCount)
            guard counts.count == countValues.count else {
                file.issues.append(IngestIssue(
                    kind: .malformedLine, file: path, line: index + 1, reason: "a reflection count is not a whole number; left out"))
                continue
            }
            if tool == .checkHKL {
                file.checkRows.append(CheckRow(
                    centreInverseNm: v[0], measured: counts[0], possible: counts[1], completenessPercent: v[3],
                    measurements: counts[2], redundancy: v[5], signalToNoise: v[6], meanIntensity: v[7], dAngstrom: v[8],
                    minInverseNm: v[9], maxInverseNm: v[10]))
            } else {
                file.compareRows.append(CompareRow(
                    centreInverseNm: v[0], value: v[1], pairs: counts[0], dAngstrom: v[3], minInverseNm: v[4], maxInverseNm: v[5]))
            }
        }
        return file
    }

    /// A count printed by `%d`/`%10i`: whole, not negative, and small enough for an Int.
    static func exactCount(_ x: Double) -> Int? {
        guard x >= 0, x < 1e15, x.rounded() == x else { return nil }
        return Int(x)
    }
}
