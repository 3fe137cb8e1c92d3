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

    /// Summarises `values` (finite values only; the caller filters). Sorts a copy once:
    /// the order statistics read it directly, and summing in sorted order makes the mean
    /// independent of how the values were split across workers or runs.
    public init(values: [Float32], binning: Binning) {
        let sorted = RadixSort.sorted(values)
        count = sorted.count
        (mean, standardDeviation, median, q1, q3, iqr, min, max, histogram) = sorted.withUnsafeBufferPointer { p in
            guard !p.isEmpty else { return (nil, nil, nil, nil, nil, nil, nil, nil, nil) }
            let mean = SIMDReductions.sum(p) / Double(p.count)
            let variance = SIMDReductions.sumOfSquaredDeviations(p, mean: mean) / Double(p.count)
            let q1 = Quantiles.percentile(sorted: p, 25)!
            let q3 = Quantiles.percentile(sorted: p, 75)!
            let histogram: Histogram?
            switch binning {
            case .numpy(let bins): histogram = Histogram.numpy(sorted: p, bins: bins)
            case .pyISPyBCell(let bins): histogram = Histogram.pyISPyBCell(sorted: p, bins: bins)
            }
            return (
                mean, variance.squareRoot(), Quantiles.median(sorted: p), q1, q3, q3 - q1,
                Quantiles.widen(p.first!), Quantiles.widen(p.last!), histogram
            )
        }
    }
}
