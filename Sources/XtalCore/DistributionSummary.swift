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

    /// Summarises `values` (finite values only; the caller filters). Sorts a copy once and
    /// groups equal values; see `init(runs:binning:)`.
    public init(values: [Float32], binning: Binning) {
        let keys = RadixSort.sortedKeys(values)
        self.init(runs: keys.withUnsafeBufferPointer { SortedRuns(sortedKeys: $0) }, binning: binning)
    }

    /// Summarises a sample given as ascending runs (`IntegerCounts.runs` for whole numbers).
    /// The mean and variance are summed run by run in ascending order, so they depend
    /// neither on how the values were split across workers or runs nor on their order.
    public init(runs: SortedRuns, binning: Binning) {
        count = runs.count
        guard count > 0 else {
            (mean, standardDeviation, median, q1, q3, iqr, min, max, histogram) = (nil, nil, nil, nil, nil, nil, nil, nil, nil)
            return
        }
        let mean = runs.sum / Double(count)
        self.mean = mean
        standardDeviation = (runs.sumOfSquaredDeviations(mean: mean) / Double(count)).squareRoot()
        let q1 = Quantiles.percentile(sorted: runs, 25)!
        let q3 = Quantiles.percentile(sorted: runs, 75)!
        (self.q1, self.q3, iqr) = (q1, q3, q3 - q1)
        median = Quantiles.median(sorted: runs)
        min = Quantiles.widen(runs.values.first!)
        max = Quantiles.widen(runs.values.last!)
        switch binning {
        case .numpy(let bins): histogram = Histogram.numpy(sorted: runs, bins: bins)
        case .pyISPyBCell(let bins): histogram = Histogram.pyISPyBCell(sorted: runs, bins: bins)
        }
    }
}
