/// The smallest and largest order key (`RadixSort.orderKey`) of a float column and its sum,
/// from one vectorised pass: what decides how the column is summarised (counted key by key
/// when the span is small, else grouped into buckets).
struct KeyRange {
    /// Smallest and largest order key (0 for an empty column).
    let minKey: UInt32
    let maxKey: UInt32
    /// Σx in Double, in the column's order (8 lanes).
    let sum: Double

    /// Number of keys from the smallest to the largest, both included.
    var span: Int { Int(maxKey) - Int(minKey) + 1 }

    init(_ values: UnsafeBufferPointer<Float32>) {
        let n = values.count
        guard let base = values.baseAddress, n > 0 else {
            (minKey, maxKey, sum) = (0, 0, 0)
            return
        }
        let raw = UnsafeRawPointer(base)
        var low = SIMD8<UInt32>(repeating: .max)
        var high = SIMD8<UInt32>(repeating: 0)
        var total = SIMD8<Double>(repeating: 0)
        let signBit = SIMD8<UInt32>(repeating: 0x8000_0000)
        var i = 0
        while i + 8 <= n {
            let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<UInt32>.self)
            // orderKey lane-wise: negatives have all bits flipped, the rest only the sign.
            var flip = signBit
            flip.replace(with: .max, where: bits .>= signBit)
            let key = bits ^ flip
            low = pointwiseMin(low, key)
            high = pointwiseMax(high, key)
            total += SIMD8<Double>(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float32>.self))
            i += 8
        }
        var minKey = low.min()
        var maxKey = high.max()
        var sum = total.sum()
        while i < n {
            let key = RadixSort.orderKey(values[i])
            minKey = min(minKey, key)
            maxKey = max(maxKey, key)
            sum += Double(values[i])
            i += 1
        }
        (self.minKey, self.maxKey, self.sum) = (minKey, maxKey, sum)
    }
}
