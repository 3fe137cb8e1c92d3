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

    /// numpy's histogram of the values `sorted` holds into `bins` equal bins (each distinct
    /// value is binned once and counted with its multiplicity). Returns nil for no values.
    public static func numpy(sorted: SortedRuns, bins: Int) -> Histogram? {
        guard let first = sorted.values.first, let last = sorted.values.last, bins > 0 else { return nil }
        var lo = Quantiles.widen(first)
        var hi = Quantiles.widen(last)
        if lo == hi {  // numpy widens a degenerate range by ±0.5
            lo -= 0.5
            hi += 0.5
        }
        // np.linspace(lo, hi, bins + 1): i·step + lo, the last edge set to hi exactly.
        let step = (hi - lo) / Double(bins)
        var edges = (0...bins).map { Double($0) * step + lo }
        edges[bins] = hi

        // numpy's uniform-bin fast path: f = ((x − lo) / (hi − lo)) · bins, truncated, then
        // corrected by one either way against the real edges.
        var counts = [Int](repeating: 0, count: bins)
        let denominator = hi - lo
        func binIndex(_ value: Double) -> Int {
            let x = min(max(value, lo), hi)  // the ends were widened; keep x inside them
            var index = Int(((x - lo) / denominator) * Double(bins))
            if index == bins { index -= 1 }
            if x < edges[index] { index -= 1 }
            if index != bins - 1, x >= edges[index + 1] { index += 1 }
            return index
        }
        for (r, v) in sorted.values.enumerated() {
            let x = Double(v)
            var index = binIndex(x)
            // A Float32 within float precision of an edge is binned by its decimal value
            // (what numpy sees in the file's text); elsewhere Double(v) gives the same bin.
            let tolerance = x.magnitude * 1e-6
            if (x - edges[index]).magnitude <= tolerance || (edges[index + 1] - x).magnitude <= tolerance {
                index = binIndex(Quantiles.widen(v))
            }
            counts[index] += sorted.multiplicity(r)
        }
        return Histogram(edges: edges, counts: counts)
    }

    /// The histogram py-ISPyB shows for an SSX unit-cell parameter
    /// (`pyispyb/core/modules/ssx.py`, see shared/docs/ispyb.md §5.2): values outside
    /// [Q1 − 1.5·IQR, Q3 + 1.5·IQR] removed, then `np.histogram(…, 50)`.
    public static func pyISPyBCell(sorted: SortedRuns, bins: Int = 50) -> Histogram? {
        guard let q1 = Quantiles.percentile(sorted: sorted, 25),
            let q3 = Quantiles.percentile(sorted: sorted, 75)
        else { return nil }
        let iqr = q3 - q1
        let low = q1 - 1.5 * iqr
        let high = q3 + 1.5 * iqr
        // The runs are ascending, so the kept values are one contiguous slice of them.
        let values = sorted.values
        var start = 0
        while start < values.count, Quantiles.widen(values[start]) < low { start += 1 }
        var end = values.count
        while end > start, Quantiles.widen(values[end - 1]) > high { end -= 1 }
        let kept = sorted.slice(start..<end)
        guard var histogram = numpy(sorted: kept, bins: bins) else { return nil }
        histogram.excluded = sorted.count - kept.count
        return histogram
    }
}
