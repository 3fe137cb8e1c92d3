import XtalCore

/// Reads the values of one result file and lists, with file:line, those it cannot read.
/// Producers write numbers as `9.2`, `.122` or `7.385000e+01`, and "no value" as empty
/// text or the word `None`: those are absent, not errors. Anything else that is not a
/// finite number where one belongs is an issue, and the value is left out.
struct ResultValues {
    let file: String
    private(set) var issues: [IngestIssue] = []

    init(file: String) {
        self.file = file
    }

    /// Absent for empty text and `None`/`null`.
    static func isAbsent(_ text: String) -> Bool {
        text.isEmpty || text == "None" || text == "none" || text == "null" || text == "NULL"
    }

    mutating func double(_ text: String, _ what: String, line: Int) -> Double? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.isAbsent(text) { return nil }
        guard let value = Double(text), value.isFinite else {
            note("\(what): '\(text.prefix(60))' is not a finite number; left out", line: line)
            return nil
        }
        return value
    }

    mutating func int(_ text: String, _ what: String, line: Int) -> Int? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.isAbsent(text) { return nil }
        if let value = Int(text) { return value }
        // "1054.0": a count written as a float.
        if let value = Double(text), value.isFinite, value.rounded() == value, abs(value) < 1e15 { return Int(value) }
        note("\(what): '\(text.prefix(60))' is not a whole number; left out", line: line)
        return nil
    }

    mutating func bool(_ text: String, _ what: String, line: Int) -> Bool? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.isAbsent(text) { return nil }
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default:
            note("\(what): '\(text.prefix(60))' is neither true nor false; left out", line: line)
            return nil
        }
    }

    static func string(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return isAbsent(text) ? nil : text
    }

    mutating func note(_ reason: String, line: Int, kind: IngestIssue.Kind = .warning) {
        issues.append(IngestIssue(kind: kind, file: file, line: line, reason: reason))
    }
}

/// Why a result file was not read at all.
public enum MXReadError: Error, CustomStringConvertible, Equatable {
    /// Not a file of this format (wrong root element, not the expected table).
    case notThisFormat(path: String, reason: String)
    /// The file could not be opened or parsed.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notThisFormat(let path, _), .unreadable(let path, _): "\(path): \(reason)"
        }
    }

    /// Why, without the path.
    public var reason: String {
        switch self {
        case .notThisFormat(_, let reason): "not a result file xtalreport reads: \(reason)"
        case .unreadable(_, let reason): reason
        }
    }
}

/// A field of a result type, named in a reader's table of keys (immutable, shared by all threads).
typealias SendableField<Root, Value> = WritableKeyPath<Root, Value> & Sendable
