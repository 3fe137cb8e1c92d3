import XCTest

@testable import XtalCore

final class BitsetAndReductionTests: XCTestCase {
    func testBitsetAppendCountAndLogic() {
        var a = Bitset()
        var b = Bitset()
        for i in 0..<130 {
            a.append(i % 3 == 0)
            b.append(i % 2 == 0)
        }
        XCTAssertEqual(a.count, 130)
        XCTAssertEqual(a.popcount, (0..<130).filter { $0 % 3 == 0 }.count)
        XCTAssertEqual((a & b).popcount, (0..<130).filter { $0 % 6 == 0 }.count)
        XCTAssertEqual((a | b).popcount, (0..<130).filter { $0 % 2 == 0 || $0 % 3 == 0 }.count)
        // NOT must not count the unused bits of the last word.
        XCTAssertEqual((~a).popcount, 130 - a.popcount)
        XCTAssertTrue(a[129])
        XCTAssertFalse(a[128])
    }

    func testBitsetAppendContentsAtUnalignedOffset() {
        var a = Bitset(count: 3, value: true)
        let b = Bitset(count: 70, value: true)
        a.append(contentsOf: b)
        XCTAssertEqual(a.count, 73)
        XCTAssertEqual(a.popcount, 73)
        // Random bits at every offset within a word, then single appends after them.
        var generator = SystemRandomNumberGenerator()
        for first in [0, 1, 5, 63, 64, 65, 127, 130] {
            for second in [0, 1, 63, 64, 65, 200] {
                let left = (0..<first).map { _ in Bool.random(using: &generator) }
                let right = (0..<second).map { _ in Bool.random(using: &generator) }
                var x = Bitset()
                left.forEach { x.append($0) }
                var y = Bitset()
                right.forEach { y.append($0) }
                x.append(contentsOf: y)
                x.append(true)
                let expected = left + right + [true]
                XCTAssertEqual(x.count, expected.count)
                XCTAssertEqual((0..<x.count).map { x[$0] }, expected, "\(first) + \(second)")
                XCTAssertEqual(x.popcount, expected.filter { $0 }.count)
                XCTAssertEqual(x.words.count, (expected.count + 63) / 64)
            }
        }
    }

    func testSIMDReductionsEqualScalarLoopsForEveryTailLength() {
        var generator = SystemRandomNumberGenerator()
        for n in 0..<40 {
            let floats = (0..<n).map { _ in Float32.random(in: -100...100, using: &generator) }
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...4, using: &generator) }
            let mean = floats.isEmpty ? 0 : floats.reduce(0) { $0 + Double($1) } / Double(n)
            let deviations = floats.withUnsafeBufferPointer { SIMDReductions.sumOfSquaredDeviations($0, mean: mean) }
            XCTAssertEqual(deviations, floats.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) }, accuracy: 1e-6)
            let range = floats.withUnsafeBufferPointer { KeyRange($0) }
            XCTAssertEqual(range.sum, floats.reduce(0) { $0 + Double($1) }, accuracy: 1e-9)
            if n > 0 {
                XCTAssertEqual(range.minKey, floats.map(RadixSort.orderKey).min())
                XCTAssertEqual(range.maxKey, floats.map(RadixSort.orderKey).max())
            }
            XCTAssertEqual(bytes.withUnsafeBufferPointer { SIMDReductions.countAtLeast($0, 2) }, bytes.filter { $0 >= 2 }.count)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { SIMDReductions.sum($0) }, bytes.reduce(0) { $0 + Int($1) })
        }
    }

    func testFiniteCountsAndNonZeroBitsForEveryTailLength() {
        var generator = SystemRandomNumberGenerator()
        let special: [Float32] = [.infinity, -.infinity, .nan, 0, -0.0, .leastNonzeroMagnitude, -1, .greatestFiniteMagnitude, 2.5]
        for n in 0..<140 {
            let floats = (0..<n).map { _ in special.randomElement(using: &generator)! }
            XCTAssertEqual(floats.withUnsafeBufferPointer { SIMDReductions.countFinite($0) }, floats.filter(\.isFinite).count, "\(n)")
            XCTAssertEqual(
                floats.withUnsafeBufferPointer { SIMDReductions.countPositiveFinite($0) },
                floats.filter { $0.isFinite && $0 > 0 }.count, "\(n)")
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...3, using: &generator) &* 85 }  // 0, 85, 170, 255
            let bits = bytes.withUnsafeBufferPointer { Bitset(nonZero: $0) }
            XCTAssertEqual(bits.count, n)
            XCTAssertEqual((0..<n).map { bits[$0] }, bytes.map { $0 != 0 }, "\(n)")
            XCTAssertEqual(bits.popcount, bytes.filter { $0 != 0 }.count)
        }
    }
}
