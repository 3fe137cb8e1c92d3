/// Walks the lines of a buffer, counting line numbers (1-based).
///
/// Line ends are found 64 bytes at a time (`ByteMasks`): the cursor keeps the newline bits
/// of the current block and takes the next line end from them, so a short line costs a few
/// instructions instead of a library call. `skipLines(notStartingWithAnyOf:)` passes over
/// whole runs of lines (peak and reflection lists) at block speed, counting them.
struct LineCursor {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    /// Offset of the first byte of the next line.
    private var position = 0
    /// Offset of the 64-byte block `newlines` describes.
    private var block = 0
    /// Newline bits of that block at or after `position`.
    private var newlines: UInt64 = 0
    /// Number of the line last returned (or skipped).
    private(set) var lineNumber = 0

    init(_ buffer: UnsafeRawBufferPointer, firstLineNumber: Int = 1) {
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        count = buffer.count
        lineNumber = firstLineNumber - 1
        newlines = newlineMask(at: 0)
    }

    /// Bytes consumed so far.
    var offset: Int { position }

    @inline(__always)
    private func newlineMask(at offset: Int) -> UInt64 {
        if offset + 64 <= count { return ByteMasks.equal(base + offset, 0x0A) }
        var mask: UInt64 = 0
        var i = 0
        while offset + i < count {
            if base[offset + i] == 0x0A { mask |= 1 << UInt64(i) }
            i += 1
        }
        return mask
    }

    /// The next line, without its `\n` and a `\r` before it; nil at the end.
    @inline(__always)
    mutating func next() -> ByteLine? {
        guard position < count else { return nil }
        let lineStart = position
        var lineEnd: Int
        while newlines == 0 {
            block += 64
            if block >= count { break }
            newlines = newlineMask(at: block)
        }
        if newlines == 0 {
            // The last line has no newline.
            lineEnd = count
            position = count
        } else {
            lineEnd = block + newlines.trailingZeroBitCount
            newlines &= newlines &- 1
            position = lineEnd + 1
        }
        if lineEnd > lineStart, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        lineNumber += 1
        return ByteLine(start: base + lineStart, count: lineEnd - lineStart)
    }

    /// Passes over the lines whose first byte is none of `a`, `b`, `c`, counting them, and
    /// stops before the first line that starts with one of them. It may stop earlier (near
    /// the end of the buffer), never later: a caller that ignores such lines can always
    /// call it before `next()`.
    mutating func skipLines(notStartingWithAnyOf a: UInt8, _ b: UInt8, _ c: UInt8) {
        guard position < count else { return }
        let first = base[position]
        if first == a || first == b || first == c { return }
        while block + 65 <= count {
            // Newlines followed by a wanted byte: the starts of the lines to stop at.
            let stops = newlines & ByteMasks.equalAny(base + block + 1, a, b, c)
            if stops != 0 {
                let bit = stops.trailingZeroBitCount
                let passed = newlines & ((UInt64(1) << UInt64(bit + 1)) &- 1)
                lineNumber += passed.nonzeroBitCount
                newlines &= ~passed
                position = block + bit + 1
                return
            }
            if newlines != 0 {
                lineNumber += newlines.nonzeroBitCount
                position = block + 64 - newlines.leadingZeroBitCount
            }
            block += 64
            newlines = newlineMask(at: block)
        }
    }
}
