#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Number parsing on raw bytes, for the few stream lines the statistics need.
///
/// Integers are parsed directly. Decimals in CrystFEL's `%f` form (`-12.34567`) take a
/// fast path that is exact: the digits form an integer mantissa m < 2^53 and the result is
/// m / 10^k with k ≤ 22, a single correctly rounded IEEE division of two exact doubles
/// (Clinger's fast path). Anything else (exponents, `inf`, `nan`, long mantissas) goes to
/// C's `strtod`, so every value equals what `strtod` gives.
enum NumberParsing {
    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// Parses a number at the start of `text` (after spaces); returns it and the bytes used.
    static func double(_ text: ByteLine) -> (value: Double, used: Int)? {
        var p = text.start
        let end = text.end
        while p < end, p[0] == 0x20 || p[0] == 0x09 { p += 1 }
        let numberStart = p
        var negative = false
        if p < end, p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            p += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        while p < end, p[0] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(p[0] &- 0x30)
            digits += 1
            p += 1
        }
        if p < end, p[0] == UInt8(ascii: ".") {
            p += 1
            while p < end, p[0] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[0] &- 0x30)
                digits += 1
                fraction += 1
                p += 1
            }
        }
        let nextIsExotic = p < end && (p[0] | 0x20 == UInt8(ascii: "e") || p[0] | 0x20 == UInt8(ascii: "i")
            || p[0] | 0x20 == UInt8(ascii: "n") || p[0] | 0x20 == UInt8(ascii: "x"))
        if digits > 0, digits <= 15, fraction <= 22, !nextIsExotic {
            let magnitude = Double(mantissa) / powersOfTen[fraction]
            return (negative ? -magnitude : magnitude, p - text.start)
        }
        return strtodFallback(from: numberStart, end: end, lineStart: text.start)
    }

    /// Parses a decimal integer at the start of `text` (after spaces).
    static func int(_ text: ByteLine) -> (value: Int, used: Int)? {
        var p = text.start
        let end = text.end
        while p < end, p[0] == 0x20 || p[0] == 0x09 { p += 1 }
        var negative = false
        if p < end, p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            p += 1
        }
        var value = 0
        var digits = 0
        while p < end, p[0] &- 0x30 < 10 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(p[0] &- 0x30))
            if o1 || o2 { return nil }
            value = s
            digits += 1
            p += 1
        }
        guard digits > 0 else { return nil }
        return (negative ? -value : value, p - text.start)
    }

    /// An integer that must fill the whole (trimmed) text.
    static func wholeInt(_ text: ByteLine) -> Int? {
        let t = text.trimmed()
        guard let (v, used) = int(t), used == t.count else { return nil }
        return v
    }

    /// A number that must fill the whole (trimmed) text.
    static func wholeDouble(_ text: ByteLine) -> Double? {
        let t = text.trimmed()
        guard let (v, used) = double(t), used == t.count else { return nil }
        return v
    }

    private static func strtodFallback(
        from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, lineStart: UnsafePointer<UInt8>
    ) -> (value: Double, used: Int)? {
        // Copy the token (up to the next space) into a NUL-terminated stack buffer.
        var tokenEnd = start
        while tokenEnd < end, tokenEnd[0] != 0x20, tokenEnd[0] != 0x09, tokenEnd - start < 63 { tokenEnd += 1 }
        let length = tokenEnd - start
        guard length > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for i in 0..<length { buffer[i] = CChar(bitPattern: start[i]) }
            buffer[length] = 0
            var stop: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &stop)
            let used = stop.map { $0 - buffer.baseAddress! } ?? 0
            guard used > 0 else { return nil }
            return (value, start - lineStart + used)
        }
    }
}
