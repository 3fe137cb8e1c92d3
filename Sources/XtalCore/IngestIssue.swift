/// A problem found in an input, with where it is and why: malformed and incomplete chunks
/// are never dropped silently, they are counted and listed with one of these each.
public struct IngestIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// A chunk that ended but could not be used (missing or unreadable required line).
        case malformedChunk
        /// A chunk cut short: end of file, or a new chunk/header before `----- End chunk -----`.
        case incompleteChunk
        /// Something odd that did not cost any data (e.g. an unparsable header value).
        case warning
        /// A line of a table or a record of a result file that could not be read and is
        /// left out (a Dozor row, an image of a per-image file, a statistics block).
        case malformedLine
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    public var reason: String

    public init(kind: Kind, file: String, line: Int, reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(kind.rawValue): \(reason)" }
}
