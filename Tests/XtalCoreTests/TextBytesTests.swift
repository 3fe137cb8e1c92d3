import XCTest

@testable import XtalCore

/// Text appended as bytes says what the `String` of it says.
final class TextBytesTests: XCTestCase {
    func testDecimalsAsStringWritesThem() {
        var values = [0, 1, -1, 9, 10, 99, 100, 12345, -12345, Int.max, Int.min, Int(Int32.max), Int(Int32.min)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 { values.append(Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0..<63)) }
        for value in values {
            var bytes: [UInt8] = [0x41]
            bytes.appendDecimal(value)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "A" + String(value))
        }
    }

    func testStringsOfAColumnAsTheirUTF8() {
        var column = StringColumn()
        let raw: [[UInt8]] = [Array("/data/run_01.h5".utf8), [], Array("Kristall-ä".utf8), [0x2F, 0x2F, 0xFF, 0x31], [0xC3]]
        for bytes in raw { bytes.withUnsafeBytes { column.append($0) } }
        for i in raw.indices {
            var out: [UInt8] = []
            column.appendString(i, to: &out)
            XCTAssertEqual(out, Array(column[i].utf8), "row \(i): invalid UTF-8 repaired as the String repairs it")
            XCTAssertEqual(column.isEmpty(i), raw[i].isEmpty)
            XCTAssertEqual(column.byteCount(i), raw[i].count)
        }
    }
}
