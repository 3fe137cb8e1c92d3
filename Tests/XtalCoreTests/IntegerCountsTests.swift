import XCTest

@testable import XtalCore

/// Peaks per frame are kept as counts per value, not one number per image: the summary
/// from the counts must be exactly the summary of the full list, whatever the split.
final class IntegerCountsTests: XCTestCase {
    func testSummaryFromCountsEqualsSummaryOfTheValues() {
        var state: UInt64 = 42
        var values: [UInt32] = []
        for i in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            // Mostly small counts, some above the dense range, a few missing markers.
            let v: UInt32 = i % 997 == 0 ? UInt32.max : i % 113 == 0 ? 70_000 + UInt32(state >> 60) : UInt32(state >> 56)
            values.append(v)
        }
        var counts = IntegerCounts()
        values.withUnsafeBufferPointer { counts.add($0, skipping: UInt32.max) }
        let present = values.filter { $0 != UInt32.max }
        XCTAssertEqual(counts.total, present.count)
        let fromCounts = DistributionSummary(runs: counts.runs, binning: .numpy(bins: 50))
        var fromValues = DistributionSummary(values: present.map { Float32($0) }, binning: .numpy(bins: 50))
        // The column's squared deviations are summed in column order, the counts' by value.
        XCTAssertEqual(fromValues.standardDeviation!, fromCounts.standardDeviation!, accuracy: 1e-9)
        fromValues.standardDeviation = fromCounts.standardDeviation
        XCTAssertEqual(fromCounts, fromValues)
        XCTAssertEqual(fromCounts.max, 70_015)
    }

    func testCombinedCountsEqualOnePass() {
        let a: [UInt32] = [0, 5, 5, 9, 100_000, UInt32.max]
        let b: [UInt32] = [7, 5, 65_535, 65_536, 100_000]
        var whole = IntegerCounts()
        (a + b).withUnsafeBufferPointer { whole.add($0, skipping: UInt32.max) }
        var left = IntegerCounts()
        var right = IntegerCounts()
        a.withUnsafeBufferPointer { left.add($0, skipping: UInt32.max) }
        b.withUnsafeBufferPointer { right.add($0, skipping: UInt32.max) }
        left.combine(right)
        XCTAssertEqual(left, whole)
        let runs = whole.runs
        XCTAssertEqual(runs.values, [0, 5, 7, 9, 65_535, 65_536, 100_000])
        XCTAssertEqual((0..<runs.runCount).map(runs.multiplicity), [1, 3, 1, 1, 1, 1, 2])
        XCTAssertEqual((0..<runs.count).map(runs.element), [0, 5, 5, 5, 7, 9, 65_535, 65_536, 100_000, 100_000])
    }
}
