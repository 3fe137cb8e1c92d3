import XCTest
import XtalTestSupport

@testable import XtalCore

/// The table counts what a Set of pairs counts: repeats, 0 and −0, NaN, many collisions.
final class DistinctPairsTests: XCTestCase {
    func reference(_ xs: [Double], _ ys: [Double]) -> Int {
        Set(zip(xs, ys).map { DistinctPairs.Pair(x: $0, y: $1) }).count
    }

    func testCountsAsASetOfPairs() {
        XCTAssertEqual(DistinctPairs.count([], []), 0)
        let xs: [Double] = [0, -0.0, .nan, .nan, 1, 1, .infinity, -.infinity, 1]
        let ys: [Double] = [0, 0, 0, 0, 2, 2, 3, 3, -0.0]
        XCTAssertEqual(DistinctPairs.count(xs, ys), reference(xs, ys))
        var random = SplitMix64(seed: 7)
        for size in [1, 2, 17, 1000, 100_000] {
            // Chip-like grids: few distinct coordinates, many repeats.
            let values = (0..<40).map { Double($0) * 0.125 }
            let xs = (0..<size).map { _ in values[Int(random.next() % 40)] }
            let ys = (0..<size).map { _ in values[Int(random.next() % 40)] }
            XCTAssertEqual(DistinctPairs.count(xs, ys), reference(xs, ys), "size \(size)")
            let spread = (0..<size).map { _ in Double(random.next() % 1_000_000) / 7 }
            XCTAssertEqual(DistinctPairs.count(spread, ys), reference(spread, ys), "size \(size), spread")
        }
    }
}
