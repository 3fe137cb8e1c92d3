#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A column of short strings stored as one byte arena plus end offsets, so that a million
/// image filenames or event ids cost two allocations, not a million.
///
/// A string equal to the one before it is not stored again: the column then keeps, per
/// entry, which stored string (span) it is. The filenames of a multi-image HDF5 file are
/// one span for the whole file, 4 bytes an image instead of the name's length plus 4 (the
/// example's 15-byte names: 15 MB less at a million images; a facility's absolute paths of
/// 60–100 bytes: 60–100 MB less), while a column without repeats (event ids) keeps only
/// its end offsets, as before.
public struct StringColumn: Sendable {
    var bytes: [UInt8] = []
    /// The end of each span in `bytes` (the start is the previous end).
    var ends: [UInt32] = []
    /// The span of each entry, once some entry repeated the one before it; nil while the
    /// entries are the spans.
    var spanOf: [UInt32]?

    public init() {}

    public var count: Int { spanOf?.count ?? ends.count }

    /// The number of strings stored (consecutive repeats once).
    public var storedCount: Int { ends.count }

    public mutating func append(_ utf8: UnsafeRawBufferPointer) {
        let last = ends.count - 1
        if last >= 0, spanEquals(last, utf8) {
            if spanOf == nil { spanOf = (0..<UInt32(truncatingIfNeeded: ends.count)).map { $0 } }
            spanOf!.append(UInt32(truncatingIfNeeded: last))
            return
        }
        bytes.append(contentsOf: utf8)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        spanOf?.append(UInt32(truncatingIfNeeded: ends.count - 1))
    }

    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Makes room for the entries of `others`, to be appended next.
    public mutating func reserveCapacity(forAppending others: [StringColumn]) {
        bytes.reserveCapacity(bytes.count + others.reduce(0) { $0 + $1.bytes.count })
        ends.reserveCapacity(ends.count + others.reduce(0) { $0 + $1.ends.count })
        if spanOf != nil || others.contains(where: { $0.spanOf != nil }) {
            let entries = count + others.reduce(0) { $0 + $1.count }
            if spanOf == nil { spanOf = (0..<UInt32(truncatingIfNeeded: ends.count)).map { $0 } }
            spanOf!.reserveCapacity(entries)
        }
    }

    public mutating func append(contentsOf other: StringColumn) {
        let shift = UInt32(truncatingIfNeeded: bytes.count)
        let spanShift = UInt32(truncatingIfNeeded: ends.count)
        if spanOf != nil || other.spanOf != nil {
            if spanOf == nil { spanOf = (0..<spanShift).map { $0 } }
            if let others = other.spanOf {
                spanOf!.reserveCapacity(spanOf!.count + others.count)
                for span in others { spanOf!.append(span &+ spanShift) }
            } else {
                spanOf! += (0..<UInt32(truncatingIfNeeded: other.ends.count)).map { $0 &+ spanShift }
            }
        }
        bytes += other.bytes
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(end &+ shift) }
    }

    /// The span that entry `index` is.
    @inline(__always)
    func span(_ index: Int) -> Int {
        if let spanOf { return Int(spanOf[index]) }
        return index
    }

    /// The byte range of span `s` in `bytes`.
    @inline(__always)
    func range(ofSpan s: Int) -> Range<Int> {
        (s == 0 ? 0 : Int(ends[s - 1]))..<Int(ends[s])
    }

    private func spanBytes(_ s: Int) -> ArraySlice<UInt8> { bytes[range(ofSpan: s)] }

    private func spanEquals(_ s: Int, _ utf8: UnsafeRawBufferPointer) -> Bool {
        let r = range(ofSpan: s)
        guard r.count == utf8.count else { return false }
        guard r.count > 0 else { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + r.lowerBound, utf8.baseAddress!, r.count) == 0 }
    }

    /// `body` of the bytes of the string at `index`, without making a String of them.
    public func withUTF8<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let r = range(ofSpan: span(index))
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// The string at `index`; invalid UTF-8 is repaired with U+FFFD.
    public subscript(index: Int) -> String {
        String(decoding: spanBytes(span(index)), as: UTF8.self)
    }

    /// Whether the string at `index` is empty.
    public func isEmpty(_ index: Int) -> Bool { range(ofSpan: span(index)).isEmpty }

    /// The byte length of the string at `index`.
    public func byteCount(_ index: Int) -> Int { range(ofSpan: span(index)).count }
}
