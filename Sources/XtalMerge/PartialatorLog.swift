import Foundation
import XtalCore

/// What partialator (CrystFEL 0.11) printed on stdout and stderr about a merge: the check
/// of a `--custom-split` file ("Please check that these numbers match your expectations"),
/// the last `Overall CChalf`, the last count of crystals by rejection flag (partialator's
/// `str_prflag` names: OK, not enough reflections, PR solve failed, early rejection,
/// negative delta CC½, B too big, bad scaling), the crystals of the final merge, and the
/// files written with each custom-split dataset's crystal count. Lines it does not know
/// are ignored (partialator prints residual tables and progress); a known line whose
/// numbers cannot be read is an issue with its line.
public struct PartialatorLog: Sendable, Codable, Equatable {
    public var file: String

    /// partialator's check of the custom split.
    public struct SplitCheck: Sendable, Codable, Equatable {
        public var crystalsAssigned: Int?
        public var crystalsUnassigned: Int?
        public var datasetsWithCrystals: Int?
        public var datasetsWithoutCrystals: Int?
    }

    /// A custom-split dataset as written: its name, file and crystals (deltaCC½-rejected
    /// crystals still counted, as partialator counts them).
    public struct Dataset: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        public var crystals: Int
    }

    public var splitCheck: SplitCheck?
    /// The last `Overall CChalf = X % (N reflections)`.
    public var overallCCHalfPercent: Double?
    public var overallCCHalfReflections: Int?
    /// The last `N bad crystals:` block: crystals by flag, OK included.
    public var crystalsByFlag: [String: Int] = [:]
    public var badCrystals: Int?
    /// Crystals in the final merge (the last residual line after `Final merge...`).
    public var finalMergeCrystals: Int?
    /// `Writing overall results to FILE`.
    public var overallResults: String?
    public var datasets: [Dataset] = []
    /// The partiality model, where the log names it ("Setting --no-pr because we are not
    /// modelling partialities (--model=unity).").
    public var model: String?
    /// partialator's own WARNING lines, as printed.
    public var warnings: [String] = []
    public var issues: [IngestIssue] = []

    public init(file: String) {
        self.file = file
    }

    /// Reads `path`; throws when it is not a partialator log at all.
    public static func read(path: String) throws -> PartialatorLog {
        return try parse(try MergeError.text(of: path, largest: 1 << 30), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> PartialatorLog {
        var log = PartialatorLog(file: path)
        var recognised = false
        var inFinalMerge = false
        var flagBlockLeft = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func note(_ reason: String, _ number: Int) {
            log.issues.append(IngestIssue(kind: .warning, file: path, line: number, reason: reason))
        }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if flagBlockLeft > 0, let (count, flag) = countAndRest(line) {
                log.crystalsByFlag[flag] = count
                flagBlockLeft -= 1
                continue
            }
            flagBlockLeft = 0
            if let field = Self.splitCheckLines.first(where: { line.hasPrefix($0.prefix) })?.field {
                let count = trailingInt(line, number, note)  // first: `note` writes to `log` too
                var check = log.splitCheck ?? SplitCheck()
                check[keyPath: field] = count
                log.splitCheck = check
                recognised = true
            } else if line.hasPrefix("Overall CChalf = ") {
                recognised = true
                let parts = line.dropFirst("Overall CChalf = ".count).split(separator: " ")
                log.overallCCHalfPercent = parts.first.flatMap { Double($0) }
                if let open = parts.firstIndex(where: { $0.hasPrefix("(") }) {
                    log.overallCCHalfReflections = Int(parts[open].dropFirst())
                }
                if log.overallCCHalfPercent == nil { note("'\(line)': the CC½ is not a number", number) }
            } else if line.hasSuffix("bad crystals:"), let count = Int(line.split(separator: " ")[0]) {
                log.badCrystals = count
                log.crystalsByFlag = [:]
                flagBlockLeft = 8  // at most one line per flag
            } else if line == "Final merge..." {
                inFinalMerge = true
                recognised = true
            } else if line.hasPrefix("Log residual went from"), inFinalMerge {
                if let last = line.split(separator: ",").last, let (count, rest) = countAndRest(last.trimmingCharacters(in: .whitespaces)),
                    rest == "crystals"
                {
                    log.finalMergeCrystals = count
                } else {
                    note("'\(line)': no crystal count", number)
                }
            } else if line.hasPrefix("Writing overall results to ") {
                log.overallResults = String(line.dropFirst("Writing overall results to ".count))
                recognised = true
            } else if line.hasPrefix("Writing dataset '") {
                recognised = true
                if let dataset = parseDataset(line) {
                    log.datasets.append(dataset)
                } else {
                    note("'\(line)': expected \"Writing dataset 'NAME' to FILE (N crystals)\"", number)
                }
            } else if let range = line.range(of: "(--model="), let close = line[range.upperBound...].firstIndex(of: ")") {
                log.model = String(line[range.upperBound..<close])
            } else if line.hasPrefix("WARNING:") {
                log.warnings.append(line)
            }
        }
        guard recognised else {
            throw MergeError.notThisFormat(path: path, reason: "no line partialator prints (Overall CChalf, Final merge..., Writing …)")
        }
        return log
    }

    /// The lines of partialator's custom-split check ("Please check that these numbers match
    /// your expectations").
    static let splitCheckLines: [(prefix: String, field: WritableKeyPath<SplitCheck, Int?> & Sendable)] = [
        ("Number of crystals assigned to a dataset:", \.crystalsAssigned),
        ("Number of crystals with no dataset assigned:", \.crystalsUnassigned),
        ("Number of datasets with at least one crystal:", \.datasetsWithCrystals),
        ("Number of datasets with no crystals:", \.datasetsWithoutCrystals),
    ]

    /// "187 OK" → (187, "OK").
    static func countAndRest(_ line: String) -> (Int, String)? {
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let count = Int(parts[0]) else { return nil }
        return (count, String(parts[1]))
    }

    static func trailingInt(_ line: String, _ number: Int, _ note: (String, Int) -> Void) -> Int? {
        guard let value = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            note("'\(line)': no count", number)
            return nil
        }
        return value
    }

    /// "Writing dataset 'light' to A300-split-unity-light.hkl (87 crystals)".
    static func parseDataset(_ line: String) -> Dataset? {
        let afterQuote = line.dropFirst("Writing dataset '".count)
        guard let close = afterQuote.firstIndex(of: "'") else { return nil }
        let name = String(afterQuote[..<close])
        var rest = afterQuote[afterQuote.index(after: close)...]
        guard rest.hasPrefix(" to ") else { return nil }
        rest = rest.dropFirst(4)
        guard let open = rest.lastIndex(of: "("), rest.hasSuffix(" crystals)") else { return nil }
        let file = rest[..<open].trimmingCharacters(in: .whitespaces)
        guard let crystals = Int(rest[rest.index(after: open)...].dropLast(" crystals)".count)) else { return nil }
        return Dataset(name: name, file: file, crystals: crystals)
    }
}
