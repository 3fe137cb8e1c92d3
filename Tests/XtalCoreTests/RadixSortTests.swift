import XCTest

@testable import XtalCore

/// The O(n) sort behind quantiles gives exactly `sorted()`'s order.
final class RadixSortTests: XCTestCase {
    func testAgreesWithSortedOnMixedValues() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 65, 1000, 100_000] {
            var values = (0..<count).map { _ in Float32.random(in: -1e6...1e6, using: &generator) }
            values += [0, -0.0, 1e-38, -1e-38, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 79.1, 79.1].prefix(count)
            XCTAssertEqual(RadixSort.sorted(values).map(\.bitPattern), values.sorted().map(\.bitPattern).fixingZeros(), "\(count)")
        }
    }

    func testRoundTripOfKeys() {
        for x: Float32 in [-2, -0.5, -0.0, 0, 0.5, 2, 37.93, -1e30] {
            XCTAssertEqual(RadixSort.value(RadixSort.orderKey(x)).bitPattern, x.bitPattern)
        }
        XCTAssertLessThan(RadixSort.orderKey(-1), RadixSort.orderKey(-0.5))
        XCTAssertLessThan(RadixSort.orderKey(-0.0), RadixSort.orderKey(0))
        XCTAssertLessThan(RadixSort.orderKey(0), RadixSort.orderKey(.leastNonzeroMagnitude))
    }
}

extension Array where Element == UInt32 {
    /// `sorted()` keeps -0 and +0 in input order (they compare equal); the radix sort puts
    /// -0 first. Normalise runs of zeros for the comparison.
    func fixingZeros() -> [UInt32] {
        let zeros = self.filter { $0 == 0 || $0 == 0x8000_0000 }
        guard let first = firstIndex(where: { $0 == 0 || $0 == 0x8000_0000 }) else { return self }
        var copy = self
        let negative = zeros.filter { $0 == 0x8000_0000 }.count
        for i in 0..<zeros.count { copy[first + i] = i < negative ? 0x8000_0000 : 0 }
        return copy
    }
}
