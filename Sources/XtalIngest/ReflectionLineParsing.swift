import XtalCore

/// One line of a crystal's reflection list: `h k l I sigma(I) peak background fs ss panel`
/// as indexamajig writes it (`%4i %4i %4i %10.2f %10.2f …`); only h, k, l, I and σ(I) are
/// kept, as CrystFEL's `%f` reads them (32-bit floats).
enum ReflectionLineParsing {
    /// The five values, or nil for a line that is not a reflection row or whose indices do
    /// not fit in 16 bits.
    @inline(__always)
    static func parse(_ line: ByteLine) -> (Int16, Int16, Int16, Float32, Float32)? {
        fixedColumns(line) ?? anyLayout(line)
    }

    /// The fast path: the exact columns indexamajig writes (indices in 4 characters, I and
    /// σ(I) in 10 with two decimals). The values are those of C's strtof: the decimal
    /// mantissa over 100, correctly rounded to a 32-bit float.
    @inline(__always)
    static func fixedColumns(_ line: ByteLine) -> (Int16, Int16, Int16, Float32, Float32)? {
        #if arch(x86_64)
            // A row of indexamajig's has more than 48 bytes (the peak, background, position
            // and panel columns follow), so its first 48 can be classified at once.
            if line.count >= 48 { return FixedColumnRow.parse(line.start) }
        #endif
        return fixedColumnsScalar(line)
    }

    /// `fixedColumns` one byte at a time: the definition the vector path
    /// (`FixedColumnRow`) is tested against, and the path for rows shorter than 48 bytes.
    static func fixedColumnsScalar(_ line: ByteLine) -> (Int16, Int16, Int16, Float32, Float32)? {
        guard line.count >= 36 else { return nil }
        let p = line.start
        guard p[4] == 0x20, p[9] == 0x20, p[14] == 0x20, p[25] == 0x20, p[22] == 0x2E, p[33] == 0x2E,
              line.count == 36 || p[36] == 0x20
        else { return nil }
        @inline(__always) func integer(_ from: Int, _ to: Int) -> Int? {
            var i = from
            while i < to, p[i] == 0x20 { i += 1 }
            var negative = false
            if i < to, p[i] == 0x2D {
                negative = true
                i += 1
            }
            guard i < to else { return nil }
            var v = 0
            while i < to {
                let d = Int(p[i]) &- 0x30
                guard d >= 0, d < 10 else { return nil }
                v = v * 10 + d
                i += 1
            }
            return negative ? -v : v
        }
        @inline(__always) func decimal(_ from: Int) -> Float32? {
            // from ..< from + 7: integer part (right-aligned), then '.', then two digits.
            guard let whole = integer(from, from + 7) else { return nil }
            let d1 = Int(p[from + 8]) &- 0x30, d2 = Int(p[from + 9]) &- 0x30
            guard d1 >= 0, d1 < 10, d2 >= 0, d2 < 10 else { return nil }
            let negative = whole < 0 || (whole == 0 && (from..<from + 7).contains { p[$0] == 0x2D })
            return hundredths(abs(whole) * 100 + d1 * 10 + d2, negative: negative)
        }
        guard let h = integer(0, 4), let k = integer(5, 9), let l = integer(10, 14),
              let i = decimal(15), let s = decimal(26)
        else { return nil }
        return (Int16(h), Int16(k), Int16(l), i, s)
    }

    /// The value of a decimal printed with two decimals, from its digits as an integer
    /// (`mantissa` = |value| × 100), as C's strtof reads it.
    @inline(__always)
    static func hundredths(_ mantissa: Int, negative: Bool) -> Float32 {
        // Below 2^24 the mantissa and 100 are exact 32-bit floats and their quotient is
        // rounded once, as strtof rounds the decimal; above, through a double (rounding
        // twice is still exact for a quotient of 24-bit operands, as 53 ≥ 2·24 + 2).
        let value = mantissa < 1 << 24 ? Float32(mantissa) / 100 : Float32(Double(mantissa) / 100)
        return negative ? -value : value
    }

    /// Any spacing: three integers, then two numbers.
    static func anyLayout(_ line: ByteLine) -> (Int16, Int16, Int16, Float32, Float32)? {
        var rest = line
        var index: [Int16] = []
        for _ in 0..<3 {
            guard let (v, used) = NumberParsing.int(rest), v >= Int(Int16.min), v <= Int(Int16.max) else { return nil }
            index.append(Int16(v))
            rest = rest.dropFirst(used)
        }
        guard let (i, usedI) = NumberParsing.double(rest) else { return nil }
        rest = rest.dropFirst(usedI)
        guard let (s, _) = NumberParsing.double(rest) else { return nil }
        return (index[0], index[1], index[2], Float32(i), Float32(s))
    }
}
