#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A column of short strings stored as one byte arena plus end offsets, so that a million
/// image filenames or event ids cost two allocations, not a million.
///
/// A string equal to the one before it is not stored again, nor is each repeat: the column
/// then keeps the first entry of each stored string (span), and finds an entry's span by
/// binary search. The filenames of a multi-image HDF5 file are one span for the whole file
/// and cost nothing an image (a facility's absolute paths of 60–100 bytes: 60–100 MB less
/// at a million images than storing each).
///
/// While every span is one prefix followed by a number (CrystFEL's events `//N`), the spans
/// are kept as numbers (`NumberedSpans`): 4 bytes an image. The first string that is not
/// turns the column into text for good.
public struct StringColumn: Sendable {
    var bytes: [UInt8] = []
    /// The end of each span in `bytes` (the start is the previous end); empty while numbered.
    var ends: [UInt32] = []
    /// The spans as numbers, while every span is one (then `bytes` and `ends` are empty).
    var numbered: NumberedSpans?
    /// The first entry of each span, ascending, once some entry repeated the one before
    /// it; nil while entry i is span i.
    var firstEntry: [UInt32]?

    public init() {}

    /// The number of entries.
    public internal(set) var count = 0

    /// The number of strings stored (consecutive repeats once).
    public var storedCount: Int { numbered?.numbers.count ?? ends.count }

    public mutating func append(_ utf8: UnsafeRawBufferPointer) {
        if numbered != nil {
            if let n = numbered!.number(utf8) {
                if count > 0, numbered!.numbers.last == n { return noteRepeat() }
                numbered!.numbers.append(n)
                return noteNewSpan()
            }
            writeNumbersOut()
        } else if count == 0, let (prefix, n) = NumberedSpans.split(utf8) {
            numbered = NumberedSpans(prefix: prefix, numbers: [n])
            return noteNewSpan()
        }
        if !ends.isEmpty, spanEquals(ends.count - 1, utf8) { return noteRepeat() }
        bytes.append(contentsOf: utf8)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
        noteNewSpan()
    }

    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    private mutating func noteNewSpan() {
        firstEntry?.append(UInt32(truncatingIfNeeded: count))
        count += 1
    }

    private mutating func noteRepeat() {
        if firstEntry == nil { firstEntry = (0..<UInt32(truncatingIfNeeded: storedCount)).map { $0 } }
        count += 1
    }

    /// Turns numbered spans into text (the same bytes, stored).
    private mutating func writeNumbersOut() {
        guard let spans = numbered else { return }
        numbered = nil
        bytes.reserveCapacity(spans.textByteCount)
        ends.reserveCapacity(spans.numbers.count)
        for s in spans.numbers.indices {
            spans.withUTF8(s) { bytes.append(contentsOf: $0) }
            ends.append(UInt32(truncatingIfNeeded: bytes.count))
        }
    }

    /// Whether `others` appended to this column keep its spans numbered.
    private func staysNumbered(with others: [StringColumn]) -> Bool {
        guard let prefix = numbered?.prefix else { return false }
        return others.allSatisfy { $0.count == 0 || $0.numbered?.prefix == prefix }
    }

    /// Makes room for the entries of `others`, to be appended next.
    public mutating func reserveCapacity(forAppending others: [StringColumn]) {
        let spans = storedCount + others.reduce(0) { $0 + $1.storedCount }
        if staysNumbered(with: others) {
            numbered!.numbers.reserveCapacity(spans)
        } else if others.contains(where: { $0.count > 0 }) {
            writeNumbersOut()
            let text = others.reduce(bytes.count) { $0 + ($1.numbered?.textByteCount ?? $1.bytes.count) }
            bytes.reserveCapacity(text)
            ends.reserveCapacity(spans)
        }
        if firstEntry != nil || others.contains(where: { $0.firstEntry != nil }) {
            if firstEntry == nil { firstEntry = (0..<UInt32(truncatingIfNeeded: storedCount)).map { $0 } }
            firstEntry!.reserveCapacity(spans)
        }
    }

    public mutating func append(contentsOf other: StringColumn) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other  // no copy
            return
        }
        let (spanShift, entryShift) = (storedCount, UInt32(truncatingIfNeeded: count))
        if staysNumbered(with: [other]) {
            numbered!.numbers += other.numbered!.numbers
        } else {
            writeNumbersOut()
            if let spans = other.numbered {
                for s in spans.numbers.indices {
                    spans.withUTF8(s) { bytes.append(contentsOf: $0) }
                    ends.append(UInt32(truncatingIfNeeded: bytes.count))
                }
            } else {
                let shift = UInt32(truncatingIfNeeded: bytes.count)
                bytes += other.bytes
                ends.reserveCapacity(ends.count + other.ends.count)
                for end in other.ends { ends.append(end &+ shift) }
            }
        }
        if firstEntry != nil || other.firstEntry != nil {
            if firstEntry == nil { firstEntry = (0..<UInt32(truncatingIfNeeded: spanShift)).map { $0 } }
            if let others = other.firstEntry {
                firstEntry!.reserveCapacity(firstEntry!.count + others.count)
                for entry in others { firstEntry!.append(entry &+ entryShift) }
            } else {
                firstEntry! += (0..<UInt32(truncatingIfNeeded: other.storedCount)).map { $0 &+ entryShift }
            }
        }
        count += other.count
    }

    /// The span that entry `index` is: the last one starting at or before it.
    @inline(__always)
    func span(_ index: Int) -> Int {
        guard let firstEntry else { return index }
        let entry = UInt32(truncatingIfNeeded: index)
        var (low, high) = (0, firstEntry.count)  // firstEntry[low] <= entry < firstEntry[high]
        while high - low > 1 {
            let middle = (low + high) / 2
            if firstEntry[middle] <= entry { low = middle } else { high = middle }
        }
        return low
    }

    /// The byte range of text span `s` in `bytes`.
    @inline(__always)
    func range(ofSpan s: Int) -> Range<Int> {
        (s == 0 ? 0 : Int(ends[s - 1]))..<Int(ends[s])
    }

    private func spanEquals(_ s: Int, _ utf8: UnsafeRawBufferPointer) -> Bool {
        let r = range(ofSpan: s)
        guard r.count == utf8.count else { return false }
        guard r.count > 0 else { return true }
        return bytes.withUnsafeBytes { memcmp($0.baseAddress! + r.lowerBound, utf8.baseAddress!, r.count) == 0 }
    }

    /// `body` of the bytes of the string at `index`, without making a String of them.
    public func withUTF8<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let s = span(index)
        if let numbered { return numbered.withUTF8(s, body) }
        let r = range(ofSpan: s)
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// The string at `index`; invalid UTF-8 is repaired with U+FFFD.
    public subscript(index: Int) -> String {
        withUTF8(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the string at `index` is empty.
    public func isEmpty(_ index: Int) -> Bool { byteCount(index) == 0 }

    /// The byte length of the string at `index`.
    public func byteCount(_ index: Int) -> Int {
        let s = span(index)
        if let numbered { return numbered.byteCount(s) }
        return range(ofSpan: s).count
    }
}
