/// The bins of `np.histogram(values, bins)` between a sample's smallest and largest value,
/// and the bin numpy gives a value.
struct NumpyBins {
    /// `np.linspace(low, high, bins + 1)`: i·step + low, the last edge set to `high` exactly.
    let edges: [Double]
    private let low: Double
    private let high: Double
    private let bins: Int

    /// Bins from `low` to `high` (the sample's ends, as `Quantiles.widen` gives them).
    init(low: Double, high: Double, bins: Int) {
        var (low, high) = (low, high)
        if low == high {  // numpy widens a degenerate range by ±0.5
            low -= 0.5
            high += 0.5
        }
        let step = (high - low) / Double(bins)
        var edges = (0...bins).map { Double($0) * step + low }
        edges[bins] = high
        (self.edges, self.low, self.high, self.bins) = (edges, low, high, bins)
    }

    /// The bin of a stored value: numpy's uniform-bin fast path on the value as a Double,
    /// except that a Float32 within float precision of an edge is binned by its decimal
    /// value (what numpy sees in the file's text; elsewhere both give the same bin). The
    /// result never decreases as `value` grows, which `Histogram` relies on.
    func bin(of value: Float32) -> Int {
        let x = Double(value)
        let index = bin(ofDouble: x)
        let tolerance = x.magnitude * 1e-6
        if (x - edges[index]).magnitude <= tolerance || (edges[index + 1] - x).magnitude <= tolerance {
            return bin(ofDouble: Quantiles.widen(value))
        }
        return index
    }

    /// numpy's fast path: f = ((x − low) / (high − low)) · bins, truncated, then corrected
    /// by one either way against the real edges.
    private func bin(ofDouble value: Double) -> Int {
        let span = high - low
        guard span > 0, span.isFinite else { return degenerateBin(value) }
        let x = Swift.min(Swift.max(value, low), high)  // the ends were widened; keep x inside them
        let f = ((x - low) / span) * Double(bins)
        var index = f.isFinite ? Int(Swift.min(Swift.max(f, 0), Double(bins))) : 0
        if index == bins { index -= 1 }
        if index > 0, x < edges[index] { index -= 1 }
        if index != bins - 1, x >= edges[index + 1] { index += 1 }
        return index
    }

    /// A range numpy cannot bin: all values equal where widening by ±0.5 is lost to
    /// rounding (1e17 − 0.5 == 1e17), or an infinite end. numpy's own code then divides by
    /// zero or infinity and indexes outside its edges; here the values at an end that is
    /// apart from the other go to the first or last bin, and the rest to the middle one,
    /// where numpy puts a sample of equal values it can widen (in order, as `bin(of:)`
    /// promises).
    private func degenerateBin(_ x: Double) -> Int {
        if low != high, x <= low { return 0 }
        if low != high, x >= high { return bins - 1 }
        return bins / 2
    }
}
