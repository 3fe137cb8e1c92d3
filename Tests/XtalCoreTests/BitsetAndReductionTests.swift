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
    }

    func testSIMDReductionsEqualScalarLoopsForEveryTailLength() {
        var generator = SystemRandomNumberGenerator()
        for n in 0..<40 {
            let floats = (0..<n).map { _ in Float32.random(in: -100...100, using: &generator) }
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...4, using: &generator) }
            var words = (0..<n).map { _ in UInt32.random(in: 0...1000, using: &generator) }
            if n > 3 { words[3] = UInt32.max }
            let sum = floats.withUnsafeBufferPointer { SIMDReductions.sum($0) }
            XCTAssertEqual(sum, floats.reduce(0) { $0 + Double($1) }, accuracy: 1e-9)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { SIMDReductions.countAtLeast($0, 2) }, bytes.filter { $0 >= 2 }.count)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { SIMDReductions.sum($0) }, bytes.reduce(0) { $0 + Int($1) })
            XCTAssertEqual(
                words.withUnsafeBufferPointer { SIMDReductions.sumSkippingMissing($0) },
                words.filter { $0 != UInt32.max }.reduce(0) { $0 + UInt64($1) })
        }
    }
}
