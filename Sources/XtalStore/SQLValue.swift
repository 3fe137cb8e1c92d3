/// A value bound to, or read from, a SQL statement. Every value the store writes travels as
/// a bound parameter; no SQL is ever built from input text.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// `.int`, or nil for nil.
    public static func int(_ v: Int?) -> SQLValue { v.map { .int(Int64($0)) } ?? .null }
    /// `.double` for finite values; nil and NaN/∞ become NULL (a column cannot hold them).
    public static func number(_ v: Double?) -> SQLValue {
        guard let v, v.isFinite else { return .null }
        return .double(v)
    }
    /// `.text`, or nil for nil.
    public static func text(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    /// `.int(1/0)`, or nil for nil.
    public static func bool(_ v: Bool?) -> SQLValue { v.map { .int($0 ? 1 : 0) } ?? .null }

    /// The value as an integer (MariaDB results arrive as text).
    public var intValue: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(exactly: v.rounded()) ?? nil
        case .text(let s): Int64(s) ?? Double(s).flatMap { Int64(exactly: $0.rounded()) }
        case .null: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .text(let s): Double(s)
        case .null: nil
        }
    }

    public var stringValue: String? {
        switch self {
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .text(let s): s
        case .null: nil
        }
    }

    public var isNull: Bool { self == .null }

    public var description: String { stringValue ?? "NULL" }
}
