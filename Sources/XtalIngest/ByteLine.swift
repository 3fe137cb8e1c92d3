#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of an input buffer, without its `\n` and without a trailing `\r` (CRLF files).
/// A view into the mapped file: no copy, no allocation.
struct ByteLine {
    var start: UnsafePointer<UInt8>
    var count: Int

    var end: UnsafePointer<UInt8> { start + count }
    var isEmpty: Bool { count == 0 }
    var first: UInt8 { count > 0 ? start[0] : 0 }

    /// True when the line begins with `prefix`.
    @inline(__always)
    func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        return count >= n && memcmp(start, prefix.utf8Start, n) == 0
    }

    /// True when the line is exactly `text`.
    @inline(__always)
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && memcmp(start, text.utf8Start, count) == 0
    }

    /// The rest of the line after the first `n` bytes.
    @inline(__always)
    func dropFirst(_ n: Int) -> ByteLine {
        let k = min(n, count)
        return ByteLine(start: start + k, count: count - k)
    }

    /// Offset of the first occurrence of `needle`, if any.
    func firstRange(of needle: StaticString) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard count >= n else { return nil }
        // memchr for the first byte, memcmp for the rest (memmem is a GNU extension that
        // Swift's Glibc module does not export).
        let firstByte = Int32(needle.utf8Start[0])
        var from = start
        let lastStart = start + (count - n)
        while from <= lastStart {
            guard let hit = memchr(from, firstByte, lastStart - from + 1) else { return nil }
            let candidate = hit.assumingMemoryBound(to: UInt8.self)
            if memcmp(candidate, needle.utf8Start, n) == 0 { return UnsafePointer(candidate) - start }
            from = UnsafePointer(candidate) + 1
        }
        return nil
    }

    /// The line with leading and trailing spaces and tabs removed.
    func trimmed() -> ByteLine {
        var s = start
        var e = start + count
        while s < e, s[0] == 0x20 || s[0] == 0x09 { s += 1 }
        while e > s, e[-1] == 0x20 || e[-1] == 0x09 { e -= 1 }
        return ByteLine(start: s, count: e - s)
    }

    var rawBuffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

    /// The line as a String (invalid UTF-8 repaired with U+FFFD).
    var string: String {
        String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }
}

/// Walks the lines of a buffer with `memchr`, counting line numbers (1-based).
struct LineCursor {
    private var position: UnsafePointer<UInt8>
    private let limit: UnsafePointer<UInt8>
    private let base: UnsafePointer<UInt8>
    /// Number of the line last returned.
    private(set) var lineNumber = 0

    init(_ buffer: UnsafeRawBufferPointer, firstLineNumber: Int = 1) {
        let start = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        position = start
        base = start
        limit = start + buffer.count
        lineNumber = firstLineNumber - 1
    }

    /// Bytes consumed so far.
    var offset: Int { position - base }

    @inline(__always)
    mutating func next() -> ByteLine? {
        guard position < limit else { return nil }
        let remaining = limit - position
        let lineStart = position
        var length: Int
        if let nl = memchr(lineStart, 0x0A, remaining) {
            length = UnsafeRawPointer(nl) - UnsafeRawPointer(lineStart)
            position = lineStart + length + 1
        } else {
            length = remaining
            position = limit
        }
        if length > 0, lineStart[length - 1] == 0x0D { length -= 1 }
        lineNumber += 1
        return ByteLine(start: lineStart, count: length)
    }
}
