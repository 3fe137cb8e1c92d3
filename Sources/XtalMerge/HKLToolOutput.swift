import Foundation
import XtalCore

/// What `check_hkl` or `compare_hkl` (CrystFEL 0.11) printed: the overall figures a user
/// reads as Table 1. Lines as in ../shared/samples/merge/*-check.log and *-cchalf.log:
///
/// - check_hkl: `Discarded N reflections (out of M) …`, `N reflections rejected because they
///   were outside the resolution range.`, `1/d goes from A to B nm^-1`, `N measurements in
///   total.`, `N reflections in total.`, `N reflections possible.`, `Overall <snr> = X`,
///   `Overall redundancy = X measurements/unique reflection`, `Overall completeness = X %`,
///   `Resolution shell information written to FILE.`
/// - compare_hkl: `FILE: N reflections, resolution range …` (once per list), `N reflection
///   pairs accepted.`, `Accepted resolution range: A to B nm^-1 …`, `Relative scale factor =
///   X, relative B factor = Y A^2`, `Overall FIGURE = X` (`%` after R factors).
///
/// Other lines are ignored; a known line whose number cannot be read is an issue with its line.
public struct HKLToolOutput: Sendable, Codable, Equatable {
    public var file: String
    public var tool: HKLShellFile.Tool
    // check_hkl
    public var listReflections: Int?
    public var outsideRange: Int?
    public var minInverseNm: Double?
    public var maxInverseNm: Double?
    public var measurements: Int?
    public var reflections: Int?
    public var possible: Int?
    public var meanSignalToNoise: Double?
    public var redundancy: Double?
    public var completenessPercent: Double?
    public var shellFile: String?
    // compare_hkl
    /// The two lists compared, as named on their lines, with their reflection counts.
    public var lists: [String] = []
    public var pairs: Int?
    public var relativeScale: Double?
    public var relativeBSquareAngstrom: Double?
    /// `Overall NAME = X`: the figure's name and value (R factors in %).
    public var figure: String?
    public var value: Double?
    public var issues: [IngestIssue] = []

    /// Whether a check_hkl run was limited to a resolution range (`--lowres`/`--highres`).
    public var limitedRange: Bool { outsideRange.map { $0 > 0 } ?? false }

    public static func read(path: String) throws -> HKLToolOutput {
        return try parse(try MergeError.text(of: path, largest: 64 << 20), path: path)
    }

    /// Whether `text` holds a line only check_hkl or only compare_hkl prints.
    public static func recognises(_ text: String) -> Bool { (try? parse(text, path: "")) != nil }

    public static func parse(_ text: String, path: String) throws -> HKLToolOutput {
        var check = HKLToolOutput(file: path, tool: .checkHKL)
        var compare = HKLToolOutput(file: path, tool: .compareHKL)
        var checkLines = 0, compareLines = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let number = index + 1
            func bad(_ what: String, _ out: inout HKLToolOutput) {
                out.issues.append(IngestIssue(kind: .warning, file: path, line: number, reason: "'\(line.prefix(80))': \(what) is not a number"))
            }
            let words = line.split(separator: " ")
            if line.hasPrefix("Discarded "), words.count > 5, words[3] == "(out" {
                checkLines += 1
                check.listReflections = Int(words[5].dropLast())
                if check.listReflections == nil { bad("the reflection count", &check) }
            } else if line.hasSuffix("reflections rejected because they were outside the resolution range.") {
                checkLines += 1
                check.outsideRange = Int(words[0])
                if check.outsideRange == nil { bad("the count", &check) }
            } else if line.hasPrefix("1/d goes from "), words.count >= 6 {
                checkLines += 1
                check.minInverseNm = Double(words[3])
                check.maxInverseNm = Double(words[5])
                if check.minInverseNm == nil || check.maxInverseNm == nil { bad("the range", &check) }
            } else if let (field, suffix) = Self.checkCounts.first(where: { line.hasSuffix($0.suffix) }).map({ ($0.field, $0.suffix) }),
                      words.count == suffix.split(separator: " ").count + 1
            {
                checkLines += 1
                check[keyPath: field] = Int(words[0])
                if check[keyPath: field] == nil { bad("the count", &check) }
            } else if let (field, prefix) = Self.checkFigures.first(where: { line.hasPrefix($0.prefix) }).map({ ($0.field, $0.prefix) }) {
                checkLines += 1
                check[keyPath: field] = line.dropFirst(prefix.count).split(separator: " ").first.flatMap { Double($0) }
                if check[keyPath: field] == nil { bad("the value", &check) }
            } else if line.hasPrefix("Resolution shell information written to ") {
                checkLines += 1
                check.shellFile = String(line.dropFirst("Resolution shell information written to ".count).dropLast(line.hasSuffix(".") ? 1 : 0))
            } else if line.hasSuffix("reflection pairs accepted."), let n = Int(words[0]) {
                compareLines += 1
                compare.pairs = n
            } else if line.hasPrefix("Accepted resolution range: "), words.count >= 6 {
                compareLines += 1
                compare.minInverseNm = Double(words[3])
                compare.maxInverseNm = Double(words[5])
                if compare.minInverseNm == nil || compare.maxInverseNm == nil { bad("the range", &compare) }
            } else if line.hasPrefix("Relative scale factor = ") {
                compareLines += 1
                let parts = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                // (An empty field after '=' has no first word: found by the fuzzer.)
                compare.relativeScale = parts.count > 1 ? parts[1].split(separator: ",").first.flatMap { Double($0) } : nil
                compare.relativeBSquareAngstrom = parts.count > 2 ? parts[2].split(separator: " ").first.flatMap { Double($0) } : nil
                if compare.relativeScale == nil { bad("the scale", &compare) }
            } else if line.hasPrefix("Overall "), let equals = line.range(of: " = "),
                      line.distance(from: line.startIndex, to: equals.lowerBound) > 8,  // a name ("Overall = 5": found by the fuzzer)
                      !Self.checkFigures.contains(where: { line.hasPrefix($0.prefix) })
            {
                compareLines += 1
                compare.figure = String(line[line.index(line.startIndex, offsetBy: 8)..<equals.lowerBound])
                compare.value = line[equals.upperBound...].split(separator: " ").first.flatMap { Double($0) }
                if compare.value == nil { bad("the figure", &compare) }
            } else if let colon = line.range(of: ": "), line[colon.upperBound...].contains(" reflections, resolution range "),
                      compare.lists.count < 2
            {
                compareLines += 1
                compare.lists.append(String(line[..<colon.lowerBound]))
            }
        }
        if checkLines == 0, compareLines == 0 {
            throw MergeError.notThisFormat(path: path, reason: "no line check_hkl or compare_hkl prints")
        }
        return checkLines >= compareLines ? check : compare
    }

    static let checkCounts: [(suffix: String, field: WritableKeyPath<HKLToolOutput, Int?> & Sendable)] = [
        ("measurements in total.", \.measurements),
        ("reflections in total.", \.reflections),
        ("reflections possible.", \.possible),
    ]

    static let checkFigures: [(prefix: String, field: WritableKeyPath<HKLToolOutput, Double?> & Sendable)] = [
        ("Overall <snr> = ", \.meanSignalToNoise),
        ("Overall redundancy = ", \.redundancy),
        ("Overall completeness = ", \.completenessPercent),
    ]
}
