/// Reductions over flat columns, written with Swift's SIMD vector types.
///
/// Why SIMD here: these loops touch every image (tens of millions per experiment) and do
/// almost no work per element, so they are bound by how many elements one instruction
/// handles. `SIMD8<Double>` / `SIMD16<UInt8>` keep 8–16 lanes per operation (AVX/SSE on
/// x86-64) and the lane-wise accumulation order is fixed, so a sum over the same array is
/// bit-for-bit reproducible. Tails shorter than a vector are finished in scalar code.
public enum SIMDReductions {
    /// Σ(x − mean)² over `values`: the second pass of a two-pass variance.
    public static func sumOfSquaredDeviations(_ values: UnsafeBufferPointer<Float32>, mean: Double) -> Double {
        var acc = SIMD8<Double>(repeating: 0)
        let m = SIMD8<Double>(repeating: mean)
        let n = values.count
        var i = 0
        while i + 8 <= n {
            let d = SIMD8<Double>(load8(values, i)) - m
            acc += d * d
            i += 8
        }
        var total = acc.sum()
        while i < n {
            let d = Double(values[i]) - mean
            total += d * d
            i += 1
        }
        return total
    }

    /// How many bytes of `values` are ≥ `threshold`, 16 lanes at a time.
    public static func countAtLeast(_ values: UnsafeBufferPointer<UInt8>, _ threshold: UInt8) -> Int {
        let t = SIMD16<UInt8>(repeating: threshold)
        let one = SIMD16<UInt8>(repeating: 1)
        let zero = SIMD16<UInt8>(repeating: 0)
        var total = 0
        let n = values.count
        var i = 0
        while i + 16 <= n {
            var v = SIMD16<UInt8>()
            for lane in 0..<16 { v[lane] = values[i + lane] }
            total += Int(zero.replacing(with: one, where: v .>= t).wrappedSum())
            i += 16
        }
        while i < n {
            if values[i] >= threshold { total += 1 }
            i += 1
        }
        return total
    }

    /// Σx over a UInt8 column (crystals per frame), 16 lanes widened to 16 bits.
    public static func sum(_ values: UnsafeBufferPointer<UInt8>) -> Int {
        var acc = SIMD16<UInt32>(repeating: 0)
        let n = values.count
        var i = 0
        while i + 16 <= n {
            var v = SIMD16<UInt8>()
            for lane in 0..<16 { v[lane] = values[i + lane] }
            acc &+= SIMD16<UInt32>(truncatingIfNeeded: v)
            i += 16
        }
        var total = Int(acc.wrappedSum())
        while i < n {
            total += Int(values[i])
            i += 1
        }
        return total
    }

    /// Number of finite values (neither infinite nor NaN): without the sign, the bit
    /// pattern lies below the all-ones exponent 0x7F80_0000.
    public static func countFinite(_ values: UnsafeBufferPointer<Float32>) -> Int {
        countBitPatterns(values, masked: 0x7FFF_FFFF, minus: 0, below: 0x7F80_0000)
    }

    /// Number of finite values above zero (a usable resolution limit): bit patterns from
    /// 1 (the smallest positive subnormal) to 0x7F7F_FFFF (the largest finite float).
    public static func countPositiveFinite(_ values: UnsafeBufferPointer<Float32>) -> Int {
        countBitPatterns(values, masked: 0xFFFF_FFFF, minus: 1, below: 0x7F7F_FFFF)
    }

    /// Number of values whose bit pattern b has `(b & mask) &- offset < limit`, 16 lanes at
    /// a time (plain constants, not a predicate closure, so that the loop is vectorised).
    @inline(__always)
    private static func countBitPatterns(
        _ values: UnsafeBufferPointer<Float32>, masked mask: UInt32, minus offset: UInt32, below limit: UInt32
    ) -> Int {
        let (maskLanes, offsetLanes, limitLanes) = (SIMD16(repeating: mask), SIMD16(repeating: offset), SIMD16(repeating: limit))
        var lanes = SIMD16<UInt32>(repeating: 0)
        let n = values.count
        var i = 0
        if let raw = UnsafeRawPointer(values.baseAddress) {
            while i + 16 <= n {
                let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<UInt32>.self)
                lanes &+= SIMD16(repeating: 0).replacing(with: 1, where: (bits & maskLanes) &- offsetLanes .< limitLanes)
                i += 16
            }
        }
        var count = Int(lanes.wrappedSum())
        while i < n {
            if (values[i].bitPattern & mask) &- offset < limit { count += 1 }
            i += 1
        }
        return count
    }

    @inline(__always)
    private static func load8(_ p: UnsafeBufferPointer<Float32>, _ i: Int) -> SIMD8<Float32> {
        SIMD8<Float32>(p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4], p[i + 5], p[i + 6], p[i + 7])
    }
}
