import XtalCore

/// Text fitted to a column of `VARCHAR(n)`: as it is when it fits, else its first
/// characters with `~` and a hash of the whole text (8 hex digits, `FileStem.hash`), so a
/// long name is stored instead of failing the run's transaction, and two names that
/// differ only after the cut are still told apart.
enum ColumnText {
    static func fitted(_ text: String, to width: Int) -> String {
        guard text.unicodeScalars.count > width else { return text }
        let suffix = "~" + FileStem.hash(text)
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(width - suffix.count))) + suffix
    }

    static func fitted(_ text: String?, to width: Int) -> SQLValue {
        text.map { .text(fitted($0, to: width)) } ?? .null
    }
}
