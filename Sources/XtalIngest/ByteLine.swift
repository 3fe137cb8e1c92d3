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
