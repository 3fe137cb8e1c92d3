/// A float column as order keys grouped into 8192 ascending buckets of equal key width; a
/// bucket is sorted only when an order statistic falls into it.
///
/// Why not sort: a summary needs a handful of order statistics (quartiles, median, the
/// ends of the py-ISPyB range) and, for a histogram, how many values lie below each bin
/// edge. Grouping costs one counting pass and one scatter pass; afterwards a rank touches
/// one bucket (a few thousand keys for a typical column) and a count below a key scans
/// at most one unsorted bucket, so the
/// 3 scatter passes of a full radix sort, and any per-value binning, are saved. A bucket
/// that holds most of the column (a far outlier stretching the key range) is radix-sorted
/// when an order statistic falls into it: the worst case costs about what a full sort costs.
///
/// A reference type because buckets are sorted lazily behind `element(_:)`; it is built and
/// read by one task.
final class BucketedKeys: AscendingSample {
    let count: Int
    /// Smallest and largest order key (meaningless when `count` is 0).
    let minKey: UInt32
    let maxKey: UInt32
    /// Σx of the column (`KeyRange.sum`).
    let sum: Double
    /// Keys of bucket b lie in [minKey + b << shift, minKey + (b + 1) << shift).
    private let shift: UInt32
    private var keys: [UInt32]
    /// Bucket b holds `keys[starts[b]..<starts[b + 1]]`.
    private var starts: [Int]
    private var bucketSorted: [Bool]

    /// 2^13 = 8192 buckets: small enough for the scatter pass to stay in cache.
    static let bucketBits = 13

    /// Groups `values` (finite values; the accumulator filters them); `range` is theirs.
    init(_ values: UnsafeBufferPointer<Float32>, range keyRange: KeyRange) {
        count = values.count
        (minKey, maxKey, sum) = (keyRange.minKey, keyRange.maxKey, keyRange.sum)
        let range = count == 0 ? 0 : maxKey - minKey
        let rangeBits = UInt32.bitWidth - range.leadingZeroBitCount
        shift = UInt32(max(0, rangeBits - Self.bucketBits))
        let bucketCount = count == 0 ? 1 : Int(range >> shift) + 1
        starts = [Int](repeating: 0, count: bucketCount + 1)
        bucketSorted = [Bool](repeating: false, count: bucketCount)
        keys = []
        guard count > 0 else { return }

        // Counting pass: bucket sizes, then where each bucket starts.
        let low = minKey
        let shift = shift
        starts.withUnsafeMutableBufferPointer { s in
            for v in values { s[Int((RadixSort.orderKey(v) &- low) >> shift) + 1] += 1 }
            for b in 0..<bucketCount { s[b + 1] += s[b] }
        }
        // Scatter pass.
        var next = Array(starts.dropLast())
        keys = [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
            next.withUnsafeMutableBufferPointer { position in
                for v in values {
                    let key = RadixSort.orderKey(v)
                    let b = Int((key &- low) >> shift)
                    out[position[b]] = key
                    position[b] += 1
                }
            }
            initialized = count
        }
    }

    func element(_ k: Int) -> Float32 {
        precondition(k >= 0 && k < count, "rank out of range")
        // The last bucket starting at or before k.
        var low = 0
        var high = starts.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= k { low = mid } else { high = mid - 1 }
        }
        sortBucket(low)
        return RadixSort.value(keys[k])
    }

    func countBelow(key: UInt32) -> Int {
        guard count > 0, key > minKey else { return 0 }
        guard key <= maxKey else { return count }
        let b = Int((key - minKey) >> shift)
        let start = starts[b]
        let end = starts[b + 1]
        return keys.withUnsafeBufferPointer { k in
            if bucketSorted[b] {
                var low = start
                var high = end
                while low < high {
                    let mid = (low + high) / 2
                    if k[mid] < key { low = mid + 1 } else { high = mid }
                }
                return low
            }
            // One vectorised compare per key: cheaper than sorting the bucket for the one
            // or two bin edges that fall into it.
            var below = 0
            for i in start..<end { below &+= k[i] < key ? 1 : 0 }
            return start + below
        }
    }

    private func sortBucket(_ b: Int) {
        guard !bucketSorted[b] else { return }
        let range = starts[b]..<starts[b + 1]
        keys.withUnsafeMutableBufferPointer { k in
            var bucket = UnsafeMutableBufferPointer(rebasing: k[range])
            if bucket.count <= 64 { bucket.sort() } else { RadixSort.sortInPlace(bucket) }
        }
        bucketSorted[b] = true
    }
}
