import XCTest

@testable import XtalCore

/// Quantiles and histograms must equal numpy's (py-ISPyB's cell histograms are numpy).
/// Expected values were computed with numpy 2.4 and are pinned here.
final class NumpyCompatibilityTests: XCTestCase {
    private func percentile(_ values: [Float32], _ p: Double) -> Double? {
        values.sorted().withUnsafeBufferPointer { Quantiles.percentile(sorted: SortedRuns(sorted: $0), p) }
    }

    private func histogram(_ values: [Float32], bins: Int) -> Histogram? {
        values.sorted().withUnsafeBufferPointer { Histogram.numpy(sorted: SortedRuns(sorted: $0), bins: bins) }
    }

    func testPercentileLinearInterpolation() throws {
        // np.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
        XCTAssertEqual(percentile([4, 1, 3, 2], 25), 1.75)
        XCTAssertEqual(percentile([4, 1, 3, 2], 50), 2.5)
        XCTAssertEqual(percentile([4, 1, 3, 2], 75), 3.25)
        // np.percentile([10, 20, 30, 40, 50], 25) == 20.0; one value gives itself; none gives nil
        XCTAssertEqual(percentile([10, 20, 30, 40, 50], 25), 20)
        XCTAssertEqual(percentile([7], 75), 7)
        XCTAssertNil(percentile([], 50))
    }

    func testMedianOfEvenAndOddCounts() {
        XCTAssertEqual([3, 1, 2].sorted().withUnsafeBufferPointer { Quantiles.median(sorted: SortedRuns(sorted: $0)) }, 2)
        XCTAssertEqual([4, 1, 3, 2].sorted().withUnsafeBufferPointer { Quantiles.median(sorted: SortedRuns(sorted: $0)) }, 2.5)
    }

    func testWideningUsesTheDecimalText() {
        // The stream says 23.66 and 26.45: numpy's median of those is 25.055 (prints 25.05).
        let median = [Float32(23.66), Float32(26.45)].withUnsafeBufferPointer { Quantiles.median(sorted: SortedRuns(sorted: $0)) }
        XCTAssertEqual(median, (23.66 + 26.45) / 2)
        XCTAssertEqual(String(format: "%.2f", median!), "25.05")
    }

    func testHistogramIncludesMaximumInLastBin() throws {
        // np.histogram([0, 1], 2) -> counts [1, 1], edges [0, 0.5, 1]
        let h = try XCTUnwrap(histogram([0, 1], bins: 2))
        XCTAssertEqual(h.counts, [1, 1])
        XCTAssertEqual(h.edges, [0, 0.5, 1])
        // np.histogram([1, 2, 2, 3, 3, 3, 4], 3) -> [1, 2, 4]
        XCTAssertEqual(try XCTUnwrap(histogram([1, 2, 2, 3, 3, 3, 4], bins: 3)).counts, [1, 2, 4])
    }

    func testHistogramOfEqualValuesWidensRangeByHalf() throws {
        // np.histogram([5, 5, 5], 50): edges 4.5 … 5.5, all three values in bin 25.
        let h = try XCTUnwrap(histogram([5, 5, 5], bins: 50))
        XCTAssertEqual(h.edges.first, 4.5)
        XCTAssertEqual(h.edges.last, 5.5)
        XCTAssertEqual(h.counts[25], 3)
        XCTAssertEqual(h.counts.reduce(0, +), 3)
    }

    func testEqualValuesTooLargeToWidenGoToTheMiddleBin() throws {
        // 1e17 − 0.5 == 1e17: numpy's widening is lost and its own code divides 0 by 0;
        // the values go where numpy puts equal values it can widen (bin 25 of 50).
        for value: Float32 in [1e17, -1e17, .greatestFiniteMagnitude] {
            let h = try XCTUnwrap(histogram([value, value, value], bins: 50))
            XCTAssertEqual(h.counts[25], 3, "\(value)")
            XCTAssertEqual(h.counts.reduce(0, +), 3, "\(value)")
        }
        let summary = DistributionSummary(values: [1e17, 1e17], binning: .numpy(bins: 10))
        XCTAssertEqual(summary.histogram?.counts[5], 2)
    }

    func testInfiniteValuesAreBinnedAtTheEnds() throws {
        let h = try XCTUnwrap(histogram([-.infinity, 1, 2, .infinity], bins: 10))
        XCTAssertEqual(h.counts.first, 1)
        XCTAssertEqual(h.counts.last, 1)
        XCTAssertEqual(h.counts[5], 2)
        let upper = try XCTUnwrap(histogram([1, 2, .infinity], bins: 10))
        XCTAssertEqual(upper.counts.reduce(0, +), 3)
        XCTAssertEqual(upper.counts.last, 1)
    }

    func testEdgeValuesAreCorrectedAgainstRealEdges() throws {
        // np.histogram([0, 0.1, 0.2, 0.3, 1], 10) -> [1, 1, 2, 0, 0, 0, 0, 0, 0, 1]: the edge
        // 3·0.1 is 0.30000000000000004, so 0.3 (as numpy reads it from text) falls in bin 2.
        // Float32(0.3) widened directly would be 0.3000000119 and land in bin 3.
        let h = try XCTUnwrap(histogram([0, 0.1, 0.2, 0.3, 1], bins: 10))
        XCTAssertEqual(h.counts, [1, 1, 2, 0, 0, 0, 0, 0, 0, 1])
    }

    func testPyISPyBCellRuleDropsOutliersButMedianKeepsThem() throws {
        // One far outlier: np.percentile gives Q1 = 10.125, Q3 = 11, IQR = 0.875 → keep [8.8125, 12.3125].
        let values: [Float32] = [10, 10.5, 11, 10, 10.5, 11, 10, 10.5, 11, 40]
        let summary = DistributionSummary(values: values, binning: .pyISPyBCell(bins: 50))
        let h = try XCTUnwrap(summary.histogram)
        XCTAssertEqual(h.excluded, 1)
        XCTAssertEqual(h.counts.reduce(0, +), 9)
        XCTAssertEqual(h.edges.first, 10)
        XCTAssertEqual(h.edges.last, 11)
        XCTAssertEqual(summary.median, 10.5)  // np.median over all ten values
        XCTAssertEqual(summary.count, 10)
    }

    func testMeanAndPopulationStandardDeviation() throws {
        let summary = DistributionSummary(values: [2, 4, 4, 4, 5, 5, 7, 9], binning: .numpy(bins: 4))
        XCTAssertEqual(summary.mean, 5)
        XCTAssertEqual(summary.standardDeviation, 2)  // np.std, ddof = 0
        XCTAssertEqual(summary.min, 2)
        XCTAssertEqual(summary.max, 9)
    }

    func testEmptyDistributionHasNoValues() {
        let summary = DistributionSummary(values: [], binning: .numpy(bins: 50))
        XCTAssertEqual(summary.count, 0)
        XCTAssertNil(summary.mean)
        XCTAssertNil(summary.histogram)
    }
}
