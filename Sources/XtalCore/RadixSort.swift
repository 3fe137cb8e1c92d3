/// An O(n) sort for Float32 samples (least-significant-digit radix sort, 4 passes of 8
/// bits over order-preserving keys), used by every quantile and histogram: far cheaper than
/// a comparison sort for the millions of per-image values of a large run. The order is
/// the same as `sorted()` for finite values; -0 sorts before +0.
public enum RadixSort {
    /// `values` in ascending order.
    public static func sorted(_ values: [Float32]) -> [Float32] {
        let n = values.count
        guard n > 64 else { return values.sorted() }
        var keys = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            values.withUnsafeBufferPointer { v in
                for i in 0..<n { buffer[i] = orderKey(v[i]) }
            }
            count = n
        }
        var scratch = [UInt32](repeating: 0, count: n)
        for shift in stride(from: 0, to: 32, by: 8) {
            var counts = [Int](repeating: 0, count: 257)
            keys.withUnsafeBufferPointer { k in
                for key in k { counts[Int((key >> UInt32(shift)) & 0xFF) + 1] += 1 }
            }
            if counts[1...].contains(n) { continue }  // every key has the same digit: nothing to move
            for d in 1...256 { counts[d] += counts[d - 1] }
            keys.withUnsafeBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { out in
                    for key in k {
                        let digit = Int((key >> UInt32(shift)) & 0xFF)
                        out[counts[digit]] = key
                        counts[digit] += 1
                    }
                }
            }
            swap(&keys, &scratch)
        }
        return keys.map(value)
    }

    /// A key whose unsigned order is the float order: flip all bits of negatives, the sign
    /// bit of the rest.
    @inline(__always)
    static func orderKey(_ x: Float32) -> UInt32 {
        let bits = x.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    @inline(__always)
    static func value(_ key: UInt32) -> Float32 {
        Float32(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }
}
