/// A float column counted into 8192 ascending buckets of equal width between its smallest
/// and largest value; the keys of a bucket are gathered (and sorted) only when a statistic
/// looks inside it.
///
/// Why not sort: a summary needs a handful of order statistics (quartiles, median, the
/// ends of the py-ISPyB range) and, for a histogram, how many values lie below each of its
/// 49 inner bin edges. After one counting pass, each of those falls into one known bucket:
/// a gathering pass copies out the keys of just those buckets (a few thousand each for a
/// typical column) and sorts them. Callers announce what they will ask (`prepare`), so one
/// pass serves all quantiles and one all bin edges; an unannounced question costs a pass of
/// its own. A bucket that holds most of the column (a far outlier stretching the key range)
/// is sorted whole: the worst case costs about what a full sort costs.
///
/// A reference type because buckets are gathered lazily behind `element(_:)`; it is built
/// and read by one task, and keeps the column (shared, not copied) until it is released.
final class BucketedKeys: AscendingSample {
    let count: Int
    /// Smallest and largest order key (meaningless when `count` is 0).
    let minKey: UInt32
    let maxKey: UInt32
    /// Σx of the column (`KeyRange.sum`).
    let sum: Double
    private let column: [Float32]
    /// Bucket of x: ⌊(x − low) · scale⌋, at most the last. Never decreases as x grows, so
    /// each bucket holds one range of order keys. (Equal-width key ranges would not do:
    /// a column that crosses zero spans every tiny magnitude, and its dense values would
    /// share a handful of buckets.)
    private let low: Double
    private let scale: Double
    private let lastBucket: Int
    /// Bucket b holds the ranks `starts[b]..<starts[b + 1]`.
    private var starts: [Int]
    /// The sorted keys of the buckets gathered so far.
    private var gathered: [Int: [UInt32]] = [:]

    /// 2^13 = 8192 buckets: a few thousand keys each in a typical column, and bucket
    /// counts that stay in cache.
    static let bucketBits = 13

    /// Counts `values` (finite values; the accumulator filters them) into buckets; `range`
    /// is theirs.
    init(_ values: [Float32], range keyRange: KeyRange) {
        column = values
        count = values.count
        (minKey, maxKey, sum) = (keyRange.minKey, keyRange.maxKey, keyRange.sum)
        let bucketCount = count == 0 ? 1 : 1 << Self.bucketBits
        low = Double(RadixSort.value(minKey))
        let width = Double(RadixSort.value(maxKey)) - low
        scale = width > 0 ? Double(bucketCount) / width : 0
        lastBucket = bucketCount - 1
        starts = [Int](repeating: 0, count: bucketCount + 1)
        guard count > 0 else { return }
        let (low, scale, last) = (low, scale, lastBucket)
        starts.withUnsafeMutableBufferPointer { s in
            values.withUnsafeBufferPointer { v in
                for x in v { s[Self.bucket(x, low, scale, last) + 1] += 1 }
            }
            for b in 0..<bucketCount { s[b + 1] += s[b] }
        }
    }

    /// Gathers, in one pass, every bucket that holds one of `ranks` or would hold one of
    /// `keys` and is not gathered yet.
    func prepare(ranks: [Int], keys: [UInt32]) {
        var wanted = Set<Int>()
        for k in ranks where k > 0 && k < count - 1 { wanted.insert(bucket(ofRank: k)) }
        for key in keys where key > minKey && key <= maxKey { wanted.insert(bucket(ofKey: key)) }
        gather(wanted.filter { gathered[$0] == nil })
    }

    func element(_ k: Int) -> Float32 {
        precondition(k >= 0 && k < count, "rank out of range")
        // The ends are known from the counting pass.
        if k == 0 { return RadixSort.value(minKey) }
        if k == count - 1 { return RadixSort.value(maxKey) }
        let b = bucket(ofRank: k)
        return RadixSort.value(keys(of: b)[k - starts[b]])
    }

    func countBelow(key: UInt32) -> Int {
        guard count > 0, key > minKey else { return 0 }
        guard key <= maxKey else { return count }
        let b = bucket(ofKey: key)
        let sorted = keys(of: b)
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < key { low = mid + 1 } else { high = mid }
        }
        return starts[b] + low
    }

    @inline(__always)
    private static func bucket(_ x: Float32, _ low: Double, _ scale: Double, _ last: Int) -> Int {
        min(last, Int((Double(x) - low) * scale))
    }

    private func bucket(ofKey key: UInt32) -> Int { Self.bucket(RadixSort.value(key), low, scale, lastBucket) }

    /// The last bucket starting at or before rank k.
    private func bucket(ofRank k: Int) -> Int {
        var low = 0
        var high = starts.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= k { low = mid } else { high = mid - 1 }
        }
        return low
    }

    private func keys(of b: Int) -> [UInt32] {
        if let keys = gathered[b] { return keys }
        gather([b])
        return gathered[b]!
    }

    /// One pass over the column: the keys of `buckets`, each bucket's keys then sorted.
    private func gather(_ buckets: Set<Int>) {
        guard !buckets.isEmpty else { return }
        // Slot of each wanted bucket (-1: not wanted) and where its keys go in one buffer.
        var slot = [Int32](repeating: -1, count: starts.count - 1)
        var offsets = [0]
        let ordered = buckets.sorted()
        for (s, b) in ordered.enumerated() {
            slot[b] = Int32(s)
            offsets.append(offsets[s] + starts[b + 1] - starts[b])
        }
        var buffer = [UInt32](repeating: 0, count: offsets[ordered.count])
        var next = Array(offsets.dropLast())
        let (low, scale, last) = (low, scale, lastBucket)
        slot.withUnsafeBufferPointer { slotOf in
            buffer.withUnsafeMutableBufferPointer { out in
                next.withUnsafeMutableBufferPointer { position in
                    column.withUnsafeBufferPointer { v in
                        for x in v {
                            let s = Int(slotOf[Self.bucket(x, low, scale, last)])
                            if s >= 0 {
                                out[position[s]] = RadixSort.orderKey(x)
                                position[s] += 1
                            }
                        }
                    }
                }
            }
        }
        for (s, b) in ordered.enumerated() {
            var keys = Array(buffer[offsets[s]..<offsets[s + 1]])
            keys.withUnsafeMutableBufferPointer { RadixSort.sortInPlace($0) }
            gathered[b] = keys
        }
    }
}
