/// Order statistics that match numpy, the reference the peers use (py-ISPyB computes its
/// SSX cell histograms with `np.percentile`, `np.median` and `np.histogram`).
public enum Quantiles {
    /// `np.percentile(x, p)` with numpy's default "linear" method, on the values of
    /// `sorted`: virtual index `h = (n − 1)·p/100`, interpolated between its two
    /// neighbours with numpy's `_lerp` (which switches formula at t ≥ 0.5 for monotonicity).
    public static func percentile(sorted: some AscendingSample, _ p: Double) -> Double? {
        let n = sorted.count
        guard n > 0 else { return nil }
        let (lowIndex, highIndex, t) = position(p, count: n)
        let a = widen(sorted.element(lowIndex))
        let b = widen(sorted.element(highIndex))
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// The two neighbouring ranks and the fraction between them of numpy's virtual index
    /// `h = (n − 1)·p/100` (`_compute_virtual_index` for alpha = beta = 1).
    static func position(_ p: Double, count n: Int) -> (low: Int, high: Int, fraction: Double) {
        let q = p / 100
        let h = Double(n) * q - q
        let lowIndex = max(0, min(n - 1, Int(h.rounded(.down))))
        return (lowIndex, min(lowIndex + 1, n - 1), h - h.rounded(.down))
    }

    /// The ranks that the quartiles and the median of `n` values read.
    static func ranksRead(count n: Int) -> [Int] {
        guard n > 0 else { return [] }
        let quartiles = [25.0, 75].flatMap { p in
            let (low, high, _) = position(p, count: n)
            return [low, high]
        }
        return quartiles + [max(0, n / 2 - 1), n / 2]
    }

    /// `np.median(x)`: the middle value, or the mean of the two middle values.
    public static func median(sorted: some AscendingSample) -> Double? {
        let n = sorted.count
        guard n > 0 else { return nil }
        if n % 2 == 1 { return widen(sorted.element(n / 2)) }
        return (widen(sorted.element(n / 2 - 1)) + widen(sorted.element(n / 2))) / 2
    }

    /// A stored Float32 as the Double the input text meant: through its shortest decimal
    /// form, which for values printed with ≤ 7 significant digits (every CrystFEL field the
    /// engine keeps) is the text of the file. `Double(Float32(26.45))` would be
    /// 26.450000762…, and a median of 23.66 and 26.45 would print as 25.06, not 25.05 as
    /// numpy on the file's text gives. Used for the few order statistics, not per value.
    public static func widen(_ value: Float32) -> Double {
        guard value.isFinite else { return Double(value) }
        return Double(value.description) ?? Double(value)
    }
}
