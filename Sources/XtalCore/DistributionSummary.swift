/// Summary of one numeric column: moments, order statistics and a histogram.
/// Fields are nil when there were no values (JSON `null`).
public struct DistributionSummary: Sendable, Equatable, Codable {
    public var count: Int
    public var mean: Double?
    /// Population standard deviation (numpy's default `ddof=0`).
    public var standardDeviation: Double?
    /// `np.median` over all values (not only those kept in the histogram).
    public var median: Double?
    public var q1: Double?
    public var q3: Double?
    public var iqr: Double?
    public var min: Double?
    public var max: Double?
    public var histogram: Histogram?

    /// How the histogram is binned.
    public enum Binning: Sendable {
        /// Plain `np.histogram(values, bins)`.
        case numpy(bins: Int)
        /// py-ISPyB's SSX cell rule: 1.5 × IQR outliers removed, then numpy binning.
        case pyISPyBCell(bins: Int)
    }

    /// Summarises `values` (finite values only; the caller filters). A column whose keys
    /// span few values (a cell parameter printed to fixed decimals) is counted key by key
    /// (`SortedRuns(counting:range:)`); any other is counted into key buckets, not sorted
    /// (`BucketedKeys`), and its mean and variance are summed in the column's order, which
    /// the accumulator keeps the same however the input was split across workers.
    public init(values: [Float32], binning: Binning) {
        let range = values.withUnsafeBufferPointer { KeyRange($0) }
        if range.span <= SortedRuns.countingSpanLimit {
            let runs = values.withUnsafeBufferPointer { SortedRuns(counting: $0, range: range) }
            self.init(runs: runs, binning: binning)
            return
        }
        let sample = BucketedKeys(values, range: range)
        let mean = sample.sum / Double(values.count)
        let squaredDeviations = values.withUnsafeBufferPointer { SIMDReductions.sumOfSquaredDeviations($0, mean: mean) }
        self.init(sample: sample, mean: mean, sumOfSquaredDeviations: squaredDeviations, binning: binning)
    }

    /// Summarises a sample given as ascending runs (`IntegerCounts.runs` for whole numbers).
    /// The mean and variance are summed run by run in ascending order.
    public init(runs: SortedRuns, binning: Binning) {
        let mean = runs.sum / Double(Swift.max(1, runs.count))
        self.init(sample: runs, mean: mean, sumOfSquaredDeviations: runs.sumOfSquaredDeviations(mean: mean), binning: binning)
    }

    private init(sample: some AscendingSample, mean sampleMean: Double, sumOfSquaredDeviations: Double, binning: Binning) {
        count = sample.count
        guard count > 0 else {
            (mean, standardDeviation, median, q1, q3, iqr, min, max, histogram) = (nil, nil, nil, nil, nil, nil, nil, nil, nil)
            return
        }
        mean = sampleMean
        standardDeviation = (sumOfSquaredDeviations / Double(count)).squareRoot()
        // The quartiles and the median are made ready in the same pass as the numpy bin
        // edges (which depend only on the ends); the py-ISPyB range needs the quartiles first.
        let quantileRanks = Quantiles.ranksRead(count: count)
        var numpyHistogram: Histogram?
        if case .numpy(let bins) = binning {
            numpyHistogram = Histogram.numpy(sample, ranks: 0..<count, bins: bins, alsoReadying: quantileRanks)
        } else {
            sample.prepare(ranks: quantileRanks, keys: [])
        }
        let q1 = Quantiles.percentile(sorted: sample, 25)!
        let q3 = Quantiles.percentile(sorted: sample, 75)!
        (self.q1, self.q3, iqr) = (q1, q3, q3 - q1)
        median = Quantiles.median(sorted: sample)
        min = Quantiles.widen(sample.element(0))
        max = Quantiles.widen(sample.element(count - 1))
        switch binning {
        case .numpy: histogram = numpyHistogram
        case .pyISPyBCell(let bins): histogram = Histogram.pyISPyBCell(sorted: sample, bins: bins)
        }
    }
}
