/// An O(n) sort for Float32 samples (least-significant-digit radix sort over
/// order-preserving keys): far cheaper than a comparison sort for the millions of
/// per-image values of a large run. The order is the same as `sorted()` for finite values;
/// -0 sorts before +0. `BucketedKeys` uses it for the buckets a statistic looks into.
///
/// Three digits of 11, 11 and 10 bits; the counts of all three are taken in one pass, and
/// a digit shared by every key (the sign and exponent of a cell length, say) costs no pass.
public enum RadixSort {
    /// `values` in ascending order.
    public static func sorted(_ values: [Float32]) -> [Float32] {
        sortedKeys(values).map(value)
    }

    /// The order keys (`orderKey`) of `values`, ascending.
    public static func sortedKeys(_ values: [Float32]) -> [UInt32] {
        var keys = values.map(orderKey)
        keys.withUnsafeMutableBufferPointer { sortInPlace($0) }
        return keys
    }

    /// Sorts order keys (or any UInt32s) ascending.
    public static func sortInPlace(_ keys: UnsafeMutableBufferPointer<UInt32>) {
        let n = keys.count
        guard n > 64 else {
            var small = keys
            return small.sort()
        }
        let shifts: [UInt32] = [0, 11, 22]
        let width = 2048
        var counts = [Int](repeating: 0, count: 3 * width)
        counts.withUnsafeMutableBufferPointer { c in
            for key in keys {
                c[Int(key & 0x7FF)] += 1
                c[width + Int((key >> 11) & 0x7FF)] += 1
                c[2 * width + Int(key >> 22)] += 1
            }
        }
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        defer { scratch.deallocate() }
        var source = keys
        var target = scratch
        for (pass, shift) in shifts.enumerated() {
            let base = pass * width
            if counts[base..<base + width].contains(n) { continue }  // one digit for all: nothing to move
            // Exclusive prefix sums: where each digit's keys start.
            var next = [Int](repeating: 0, count: width)
            var total = 0
            for d in 0..<width {
                next[d] = total
                total += counts[base + d]
            }
            next.withUnsafeMutableBufferPointer { position in
                for key in source {
                    let digit = Int((key >> shift) & 0x7FF)
                    target[position[digit]] = key
                    position[digit] += 1
                }
            }
            swap(&source, &target)
        }
        if source.baseAddress != keys.baseAddress {
            _ = keys.update(fromContentsOf: source)
        }
    }

    /// A key whose unsigned order is the float order: flip all bits of negatives, the sign
    /// bit of the rest.
    @inline(__always)
    public static func orderKey(_ x: Float32) -> UInt32 {
        let bits = x.bitPattern
        return bits ^ (UInt32(bitPattern: Int32(bitPattern: bits) >> 31) | 0x8000_0000)
    }

    /// The value of an order key.
    @inline(__always)
    public static func value(_ key: UInt32) -> Float32 {
        Float32(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }
}
