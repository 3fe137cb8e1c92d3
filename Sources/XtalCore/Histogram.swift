/// A histogram with explicit bin edges (`edges.count == counts.count + 1`), binned the way
/// `np.histogram(values, bins)` does with no `range`: edges from min to max by `np.linspace`,
/// every bin half-open except the last, which includes the maximum.
public struct Histogram: Sendable, Equatable, Codable {
    public var edges: [Double]
    public var counts: [Int]
    /// Values left out before binning (outliers under the py-ISPyB rule); 0 otherwise.
    public var excluded: Int

    public init(edges: [Double], counts: [Int], excluded: Int = 0) {
        self.edges = edges
        self.counts = counts
        self.excluded = excluded
    }

    /// numpy's histogram of the values of `sorted` into `bins` equal bins. Returns nil for
    /// no values.
    public static func numpy(sorted: some AscendingSample, bins: Int) -> Histogram? {
        numpy(sorted, ranks: 0..<sorted.count, bins: bins)
    }

    /// numpy's histogram of the elements at `ranks` of an ascending sample.
    ///
    /// No value is binned one by one: the bin of a value never decreases as the value
    /// grows (`NumpyBins.bin(of:)`), so the first order key of each bin is found by a binary
    /// search over keys, and a bin's count is the difference of two `countBelow` answers.
    /// `otherRanks` are made ready with the bin edges (`AscendingSample.prepare`).
    static func numpy(
        _ sample: some AscendingSample, ranks: Range<Int>, bins: Int, alsoReadying otherRanks: [Int] = []
    ) -> Histogram? {
        guard !ranks.isEmpty, bins > 0 else { return nil }
        sample.prepare(ranks: [ranks.lowerBound, ranks.upperBound - 1], keys: [])
        let first = sample.element(ranks.lowerBound)
        let last = sample.element(ranks.upperBound - 1)
        let binning = NumpyBins(low: Quantiles.widen(first), high: Quantiles.widen(last), bins: bins)
        let edgeKeys = firstKeys(of: binning, from: first, to: last)
        let end = UInt64(RadixSort.orderKey(last)) + 1
        sample.prepare(ranks: otherRanks, keys: edgeKeys.filter { $0 < end }.map { UInt32($0) })
        var counts = [Int](repeating: 0, count: bins)
        var below = ranks.lowerBound
        for (j, key) in edgeKeys.enumerated() {
            let belowEdge = key == end ? ranks.upperBound : sample.countBelow(key: UInt32(key)).clamped(to: ranks)
            counts[j] = belowEdge - below
            below = belowEdge
        }
        counts[bins - 1] = ranks.upperBound - below
        return Histogram(edges: binning.edges, counts: counts)
    }

    /// The first order key of each bin j ≥ 1 of `binning` among the keys from `first` to
    /// `last`, or the key after `last` when no value in that range gets there.
    private static func firstKeys(of binning: NumpyBins, from first: Float32, to last: Float32) -> [UInt64] {
        let end = UInt64(RadixSort.orderKey(last)) + 1
        var keys: [UInt64] = []
        var start = UInt64(RadixSort.orderKey(first))
        for j in 1..<binning.edges.count - 1 {
            start = firstKey(from: start, to: end) { binning.bin(of: RadixSort.value($0)) >= j }
            keys.append(start)
        }
        return keys
    }

    /// The histogram py-ISPyB shows for an SSX unit-cell parameter
    /// (`pyispyb/core/modules/ssx.py`, see shared/docs/ispyb.md §5.2): values outside
    /// [Q1 − 1.5·IQR, Q3 + 1.5·IQR] removed, then `np.histogram(…, 50)`.
    public static func pyISPyBCell(sorted: some AscendingSample, bins: Int = 50) -> Histogram? {
        guard let q1 = Quantiles.percentile(sorted: sorted, 25),
            let q3 = Quantiles.percentile(sorted: sorted, 75)
        else { return nil }
        let iqr = q3 - q1
        let low = q1 - 1.5 * iqr
        let high = q3 + 1.5 * iqr
        // The kept values are one contiguous range of ranks; its ends are found by key.
        let minKey = UInt64(RadixSort.orderKey(sorted.element(0)))
        let end = UInt64(RadixSort.orderKey(sorted.element(sorted.count - 1))) + 1
        let keptFrom = firstKey(from: minKey, to: end) { Quantiles.widen(RadixSort.value($0)) >= low }
        let keptUpTo = firstKey(from: minKey, to: end) { Quantiles.widen(RadixSort.value($0)) > high }
        sorted.prepare(ranks: [], keys: [keptFrom, keptUpTo].filter { $0 < end }.map { UInt32($0) })
        func rank(_ key: UInt64) -> Int { key == end ? sorted.count : sorted.countBelow(key: UInt32(key)) }
        let kept = rank(keptFrom)..<rank(keptUpTo)
        guard var histogram = numpy(sorted, ranks: kept, bins: bins) else { return nil }
        histogram.excluded = sorted.count - kept.count
        return histogram
    }

    /// The smallest key in `start..<end` for which `isAtOrPast` holds, or `end`;
    /// `isAtOrPast` must be false up to some key and true from there on.
    private static func firstKey(from start: UInt64, to end: UInt64, _ isAtOrPast: (UInt32) -> Bool) -> UInt64 {
        var low = start
        var high = end
        while low < high {
            let mid = (low + high) / 2
            if isAtOrPast(UInt32(mid)) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

extension Int {
    fileprivate func clamped(to range: Range<Int>) -> Int {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
