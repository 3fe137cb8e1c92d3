import XCTest

@testable import XtalCore

/// Summaries of float columns come from key buckets that are sorted only where a statistic
/// looks (`BucketedKeys`) and histograms that search bin edges by key instead of binning
/// each value. Both must give exactly what sorting every value and binning it one by one
/// gives, on columns shaped to hit the awkward cases.
final class BucketedKeysTests: XCTestCase {
    /// Deterministic columns: printed decimals, repeats, far outliers, signed zeros, values
    /// on bin edges, one huge bucket, a single value.
    private func columns() -> [(String, [Float32])] {
        var state: UInt64 = 2026
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        func normal(_ mean: Double, _ sd: Double) -> Double {
            mean + sd * (-2 * Foundation.log(uniform() + 1e-300)).squareRoot() * Foundation.cos(2 * .pi * uniform())
        }
        func printed(_ x: Double, _ scale: Double) -> Float32 { Float32((x * scale).rounded() / scale) }
        var cell = (0..<60_000).map { _ in printed(normal(79.1, 0.2), 1e4) }
        cell += [791, 7.9, 0.5]  // far outliers stretch the key range: most values share a bucket
        let resolution = (0..<40_000).map { _ in printed(normal(2.2, 0.5), 1e6) }
        let angles = (0..<30_000).map { i in i % 10 == 0 ? printed(normal(90, 0.05), 1e3) : Float32(90) }
        let edges = (0..<5_000).map { i in Float32(i % 11) / 10 }  // 0, 0.1, …, 1.0: every edge of 10 bins
        let signed = (0..<3_000).map { i in i % 3 == 0 ? Float32(-0.0) : i % 3 == 1 ? 0 : printed(normal(0, 1), 100) }
        let small = (0..<70).map { _ in printed(normal(5, 1), 10) }
        return [
            ("cell with outliers", cell), ("resolution", resolution), ("angles mostly 90", angles),
            ("values on edges", edges), ("signed zeros", signed), ("70 values", small), ("one value", [3.25]),
            ("two equal values", [7, 7]),
        ]
    }

    /// The reference: a full sort, numpy's rules applied value by value.
    private func reference(_ values: [Float32], _ binning: DistributionSummary.Binning) -> (
        median: Double, q1: Double, q3: Double, min: Double, max: Double, histogram: Histogram
    ) {
        let sorted = values.sorted { RadixSort.orderKey($0) < RadixSort.orderKey($1) }
        func percentile(_ p: Double) -> Double {
            let n = sorted.count
            let h = Double(n - 1) * p / 100
            let low = Int(h.rounded(.down))
            let high = Swift.min(low + 1, n - 1)
            let t = h - h.rounded(.down)
            let a = Quantiles.widen(sorted[low])
            let b = Quantiles.widen(sorted[high])
            return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
        }
        let n = sorted.count
        let median = n % 2 == 1 ? Quantiles.widen(sorted[n / 2]) : (Quantiles.widen(sorted[n / 2 - 1]) + Quantiles.widen(sorted[n / 2])) / 2
        var kept = sorted
        var bins = 0
        switch binning {
        case .numpy(let b): bins = b
        case .pyISPyBCell(let b):
            bins = b
            let (q1, q3) = (percentile(25), percentile(75))
            kept = sorted.filter { Quantiles.widen($0) >= q1 - 1.5 * (q3 - q1) && Quantiles.widen($0) <= q3 + 1.5 * (q3 - q1) }
        }
        let numpyBins = NumpyBins(low: Quantiles.widen(kept.first!), high: Quantiles.widen(kept.last!), bins: bins)
        var counts = [Int](repeating: 0, count: bins)
        for v in kept { counts[numpyBins.bin(of: v)] += 1 }
        let histogram = Histogram(edges: numpyBins.edges, counts: counts, excluded: n - kept.count)
        return (median, percentile(25), percentile(75), Quantiles.widen(sorted[0]), Quantiles.widen(sorted[n - 1]), histogram)
    }

    func testSummariesEqualFullSortAndValueByValueBinning() {
        for (name, values) in columns() {
            for binning in [DistributionSummary.Binning.numpy(bins: 50), .pyISPyBCell(bins: 50), .numpy(bins: 10)] {
                let summary = DistributionSummary(values: values, binning: binning)
                let expected = reference(values, binning)
                XCTAssertEqual(summary.count, values.count, name)
                XCTAssertEqual(summary.median, expected.median, name)
                XCTAssertEqual(summary.q1, expected.q1, name)
                XCTAssertEqual(summary.q3, expected.q3, name)
                XCTAssertEqual(summary.min, expected.min, name)
                XCTAssertEqual(summary.max, expected.max, name)
                XCTAssertEqual(summary.histogram, expected.histogram, "\(name) \(binning)")
                let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
                XCTAssertEqual(summary.mean!, mean, accuracy: 1e-9 * Swift.max(1, mean.magnitude), name)
            }
        }
    }

    func testRanksAndCountsBelowMatchASortedCopy() {
        for (name, values) in columns() {
            let sorted = values.map(RadixSort.orderKey).sorted()
            let sample = BucketedKeys(values, range: values.withUnsafeBufferPointer { KeyRange($0) })
            for k in stride(from: 0, to: sorted.count, by: Swift.max(1, sorted.count / 97)) {
                XCTAssertEqual(RadixSort.orderKey(sample.element(k)), sorted[k], "\(name) rank \(k)")
                let key = sorted[k]
                XCTAssertEqual(sample.countBelow(key: key), sorted.firstIndex { $0 >= key }!, "\(name) below \(key)")
                XCTAssertEqual(sample.countBelow(key: key &+ 1), sorted.firstIndex { $0 > key } ?? sorted.count, name)
            }
            XCTAssertEqual(sample.countBelow(key: 0), 0)
            XCTAssertEqual(sample.countBelow(key: .max), values.count)
        }
    }

    /// Columns with a narrow key span are counted key by key: the runs must be those of a
    /// sorted copy, and the summary must not depend on which path was taken.
    func testCountingPathEqualsSortedRuns() {
        var countedColumns = 0
        for (name, values) in columns() {
            let range = values.withUnsafeBufferPointer { KeyRange($0) }
            guard range.span <= SortedRuns.countingSpanLimit else { continue }
            countedColumns += 1
            let counted = values.withUnsafeBufferPointer { SortedRuns(counting: $0, range: range) }
            let sorted = RadixSort.sorted(values).withUnsafeBufferPointer { SortedRuns(sorted: $0) }
            XCTAssertEqual(counted.values.map(\.bitPattern), sorted.values.map(\.bitPattern), name)
            XCTAssertEqual((0..<counted.runCount).map(counted.multiplicity), (0..<sorted.runCount).map(sorted.multiplicity), name)
            let bucketed = BucketedKeys(values, range: range)
            let viaCounts = DistributionSummary(values: values, binning: .numpy(bins: 50))
            XCTAssertEqual(viaCounts.histogram, Histogram.numpy(sorted: bucketed, bins: 50), name)
            XCTAssertEqual(viaCounts.median, Quantiles.median(sorted: bucketed), name)
            XCTAssertEqual(viaCounts.q1, Quantiles.percentile(sorted: bucketed, 25), name)
        }
        XCTAssertGreaterThanOrEqual(countedColumns, 3, "the columns must exercise the counting path")
    }
}
