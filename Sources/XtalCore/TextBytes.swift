/// Appending text to a byte buffer without a `String` per field: for result files of a line
/// per image (a million lines), where string interpolation and `String(_:)` dominated the
/// cost of writing them (perf on the 1 M-image example).
extension Array where Element == UInt8 {
    /// `value` in decimal, as `String(value)` writes it.
    public mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits = 1
        var rest = value.magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = count
        append(contentsOf: repeatElement(0x30, count: digits))
        var v = value.magnitude
        for k in stride(from: start + digits - 1, through: start, by: -1) {
            self[k] = UInt8(truncatingIfNeeded: 0x30 &+ v % 10)
            v /= 10
        }
    }

    /// The UTF-8 of `text`.
    public mutating func appendUTF8(_ text: String) {
        append(contentsOf: text.utf8)
    }
}

extension StringColumn {
    /// Appends the string at `index` to `out`, byte for byte what `Array(self[index].utf8)`
    /// appends (invalid UTF-8 repaired with U+FFFD), without making the `String` when the
    /// bytes are ASCII.
    public func appendString(_ index: Int, to out: inout [UInt8]) {
        let ascii = withUTF8(index) { bytes -> Bool in
            var high: UInt8 = 0
            for b in bytes { high |= b }
            if high < 0x80 { out.append(contentsOf: bytes) }
            return high < 0x80
        }
        if !ascii { out.append(contentsOf: self[index].utf8) }
    }
}
