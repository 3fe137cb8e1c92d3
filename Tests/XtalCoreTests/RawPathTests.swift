import XCTest

@testable import XtalCore

/// File names as bytes: any byte sequence survives the trip through a String.
final class RawPathTests: XCTestCase {
    func testEveryByteSequenceRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0...24, using: &generator)).map { _ in UInt8.random(in: 1...255, using: &generator) }
            XCTAssertEqual(RawPath.bytes(RawPath.string(bytes)), bytes, "\(bytes)")
        }
    }

    func testValidUTF8IsUnchanged() {
        for name in ["run01.stream", "lyso 🧪 β", "données/été", ""] {
            XCTAssertEqual(RawPath.string(Array(name.utf8)), name)
            XCTAssertEqual(RawPath.bytes(name), Array(name.utf8))
        }
        // Overlong forms, surrogates and bytes past U+10FFFF are not UTF-8: kept as bytes.
        for invalid: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82]] {
            let text = RawPath.string(invalid)
            XCTAssertTrue(text.unicodeScalars.allSatisfy(RawPath.isRawByte), "\(invalid)")
            XCTAssertEqual(RawPath.bytes(text), invalid)
        }
        XCTAssertEqual(RawPath.display(RawPath.string([0x61, 0xFF, 0x62])), #"a\xffb"#)
    }
}
