#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// indexamajig's reflection row (`%4i %4i %4i %10.2f %10.2f …`) read from its first 48
    /// bytes at once: SSE2 compares classify every byte as space, minus, digit or dot, a
    /// few mask operations check the layout, and the digits are summed in fixed loops.
    ///
    /// Why: the byte-at-a-time reader (`ReflectionLineParsing.fixedColumnsScalar`) skips
    /// each field's leading spaces in a loop whose length varies from row to row, so the
    /// processor mispredicts a branch in nearly every field, and reflection rows are most
    /// of a stream's bytes. Here no branch depends on the digits. Exactly the rows the
    /// scalar reader accepts are accepted, with the same values (tested on random rows
    /// and on random damage to them).
    enum FixedColumnRow {
        // Masks over the row's first 48 bytes, bit i for byte i (constants, so that the
        // check is a handful of instructions; FixedColumnRowTests derives them again).
        /// The integer fields (h 0..<4, k 5..<9, l 10..<14, and the parts of I and σ(I)
        /// before the point, 15..<22 and 26..<33), each `spaces, an optional minus, digits`.
        static let fields: UInt64 = 0x1_fc3f_bdef
        /// Positions whose left neighbour is in the same field.
        static let fieldInterior: UInt64 = 0x1_f83f_39ce
        /// Positions that must be digits: each field's last (3, 8, 13, 21, 32) and the
        /// decimals of I and σ(I) (23, 24, 34, 35).
        static let digitsRequired: UInt64 = 0xd_01a0_2108
        /// The separators (4, 9, 14, 25) and the space after σ(I) (36).
        static let spacesRequired: UInt64 = 0x10_0200_4210
        /// The decimal points of I and σ(I) (22, 33).
        static let pointsRequired: UInt64 = 0x2_0040_0000

        /// The five values of the row at `p` (48 readable bytes), or nil where the scalar
        /// reader gives nil.
        @inline(__always)
        static func parse(_ p: UnsafePointer<UInt8>) -> (Int16, Int16, Int16, Float32, Float32)? {
            let raw = UnsafeRawPointer(p)
            let zero = _mm_set1_epi8(0x30), nine = _mm_set1_epi8(9)
            let space = _mm_set1_epi8(0x20), minus = _mm_set1_epi8(0x2D), point = _mm_set1_epi8(0x2E)
            // The class masks of the 48 bytes, and their digit values (0 for any other byte).
            var spaces: UInt64 = 0, minuses: UInt64 = 0, numerals: UInt64 = 0, points: UInt64 = 0
            @inline(__always) func classify(_ offset: Int) -> __m128i {
                let v = _mm_loadu_si128(raw.advanced(by: offset).assumingMemoryBound(to: __m128i.self))
                let d = _mm_sub_epi8(v, zero)
                let isDigit = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d)
                let shift = UInt64(offset)
                @inline(__always) func mask(_ m: __m128i) -> UInt64 { UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(m))) << shift }
                spaces |= mask(_mm_cmpeq_epi8(v, space))
                minuses |= mask(_mm_cmpeq_epi8(v, minus))
                points |= mask(_mm_cmpeq_epi8(v, point))
                numerals |= mask(isDigit)
                return _mm_and_si128(d, isDigit)
            }
            var digits = (classify(0), classify(16), classify(32))
            let signs = minuses | numerals
            guard spaces & spacesRequired == spacesRequired, points & pointsRequired == pointsRequired,
                  numerals & digitsRequired == digitsRequired,
                  fields & ~(spaces | signs) == 0,
                  // Within a field, a minus or a digit is followed by a digit.
                  (signs << 1) & fieldInterior & ~numerals == 0
            else { return nil }
            return withUnsafeBytes(of: &digits) { d in
                @inline(__always) func number(_ from: Int, _ to: Int) -> Int {
                    var v = 0
                    for i in from..<to { v = v &* 10 &+ Int(d[i]) }
                    return v
                }
                @inline(__always) func negative(_ from: Int, _ to: Int) -> Bool {
                    minuses & (UInt64(1) << UInt64(to) &- UInt64(1) << UInt64(from)) != 0
                }
                @inline(__always) func signed(_ from: Int, _ to: Int) -> Int16 {
                    let v = Int16(truncatingIfNeeded: number(from, to))
                    return negative(from, to) ? 0 &- v : v
                }
                let i = ReflectionLineParsing.hundredths(number(15, 22) &* 100 &+ number(23, 25), negative: negative(15, 22))
                let s = ReflectionLineParsing.hundredths(number(26, 33) &* 100 &+ number(34, 36), negative: negative(26, 33))
                return (signed(0, 4), signed(5, 9), signed(10, 14), i, s)
            }
        }
    }
#endif
