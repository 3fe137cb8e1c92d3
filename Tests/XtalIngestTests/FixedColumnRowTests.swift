import XCTest

@testable import XtalIngest
import XtalTestSupport

/// The vector reader of indexamajig's reflection rows (`FixedColumnRow`) against the
/// byte-at-a-time definition (`ReflectionLineParsing.fixedColumnsScalar`): the same rows
/// accepted, with bit-identical values, on well-formed rows and on rows with random damage.
final class FixedColumnRowTests: XCTestCase {
    typealias Row = (Int16, Int16, Int16, Float32, Float32)

    private func same(_ a: Row?, _ b: Row?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?):
            return x.0 == y.0 && x.1 == y.1 && x.2 == y.2 && x.3.bitPattern == y.3.bitPattern && x.4.bitPattern == y.4.bitPattern
        default: return false
        }
    }

    /// Both readers on `bytes` (at least 48 of them), and the line for messages.
    private func both(_ bytes: [UInt8]) -> (vector: Row?, scalar: Row?) {
        bytes.withUnsafeBufferPointer { b in
            let line = ByteLine(start: b.baseAddress!, count: b.count)
            #if arch(x86_64)
                return (FixedColumnRow.parse(line.start), ReflectionLineParsing.fixedColumnsScalar(line))
            #else
                return (ReflectionLineParsing.fixedColumns(line), ReflectionLineParsing.fixedColumnsScalar(line))
            #endif
        }
    }

    #if arch(x86_64)
        func testMasksAreTheLayoutsPositions() {
            func bits(_ positions: [Int]) -> UInt64 { positions.reduce(0) { $0 | 1 << UInt64($1) } }
            let fields = bits(Array(0..<4) + Array(5..<9) + Array(10..<14) + Array(15..<22) + Array(26..<33))
            XCTAssertEqual(FixedColumnRow.fields, fields)
            XCTAssertEqual(FixedColumnRow.fieldInterior, fields & (fields << 1))
            XCTAssertEqual(FixedColumnRow.digitsRequired, bits([3, 8, 13, 21, 32, 23, 24, 34, 35]))
            XCTAssertEqual(FixedColumnRow.spacesRequired, bits([4, 9, 14, 25, 36]))
            XCTAssertEqual(FixedColumnRow.pointsRequired, bits([22, 33]))
        }
    #endif

    func testWellFormedAndDamagedRowsReadAlike() {
        var random = SplitMix64(seed: 2026)
        let alphabet = Array(" -.0123456789x+E\t".utf8)
        var accepted = 0, rejected = 0
        for n in 0..<60000 {
            let h = Int(random.next() % 1999) - 999, k = Int(random.next() % 1999) - 999, l = Int(random.next() % 199) - 99
            let scale = [0.004, 0.5, 3, 99.99, 1234.5, 99_999, 167_772.15, 999_999.99][n % 8]
            let i = (Double(random.next() % 2_000_001) / 1_000_000 - 1) * scale
            let s = Double(random.next() % 1_000_001) / 1_000_000 * scale
            let text = String(format: "%4d %4d %4d %10.2f %10.2f %10.2f %10.2f %6.1f %6.1f p0", h, k, l, i, s, 1.0, 2.0, 10.5, 20.5)
            var bytes = Array(text.utf8)
            // Two in three rows damaged: one to three bytes of the first 40 replaced.
            if n % 3 != 0 {
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    bytes[Int(random.next() % 40)] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            let (vector, scalar) = both(bytes)
            XCTAssertTrue(same(vector, scalar), "readers differ on '\(String(decoding: bytes, as: UTF8.self))'")
            if scalar == nil { rejected += 1 } else { accepted += 1 }
        }
        // Both outcomes were exercised.
        XCTAssertGreaterThan(accepted, 20000)
        XCTAssertGreaterThan(rejected, 10000)
    }

    func testEdgeSpellings() {
        let rows = [
            "  -0    2    3      -0.50      10.00      10.00       1.00  100.0  200.0 p0",
            "9999 -999    0 9999999.99      -0.00      10.00       1.00  100.0  200.0 p0",
            "   0    0    0       0.00       0.00      10.00       1.00  100.0  200.0 p0",
            "  -     2    3     100.00      10.00      10.00       1.00  100.0  200.0 p0",
            " - 1    2    3     100.00      10.00      10.00       1.00  100.0  200.0 p0",
            "   1    2    3    -   .00      10.00      10.00       1.00  100.0  200.0 p0",
            "   1    2    3     100.00      10.00x     10.00       1.00  100.0  200.0 p0",
            "   1    2    3     1 0.00      10.00      10.00       1.00  100.0  200.0 p0",
            "   1    2    3   --100.00      10.00      10.00       1.00  100.0  200.0 p0",
        ]
        for text in rows {
            let (vector, scalar) = both(Array(text.utf8))
            XCTAssertTrue(same(vector, scalar), "readers differ on '\(text)'")
        }
        XCTAssertEqual(both(Array(rows[0].utf8)).vector?.3.bitPattern, Float32(-0.5).bitPattern)
        XCTAssertEqual(both(Array(rows[1].utf8)).vector?.4.sign, .minus)
        for text in rows[3...] { XCTAssertNil(both(Array(text.utf8)).vector, text) }
    }
}
