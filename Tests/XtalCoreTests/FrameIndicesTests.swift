import XCTest
import XtalTestSupport

@testable import XtalCore

/// Frame indices from events: the byte reader gives what `Int(_:)` gives of the text after
/// the last `/`, on random and edge-case events; duplicates and out-of-range frames fall
/// back to serial numbers, then stream order.
final class FrameIndicesTests: XCTestCase {
    /// The definition: the String way the indices were read before the byte reader.
    static func reference(_ event: String) -> Int? {
        guard let slash = event.lastIndex(of: "/") else { return nil }
        return Int(event[event.index(after: slash)...])
    }

    static func byteReader(_ event: String) -> Int? {
        var bytes = Array(event.utf8)
        return bytes.withUnsafeMutableBufferPointer { FrameIndices.frameNumber(UnsafeBufferPointer($0)) }
    }

    func testFrameNumberReadsAsIntDoes() {
        let edges = [
            "", "/", "//", "//0", "//12", "//+5", "//-0", "//-3", "//+", "//-", "//1a", "//a1", "// 1", "//1 ",
            "x//7", "entry//3/4", "//9223372036854775807", "//9223372036854775808", "//00000000000000000000042",
            "//-9223372036854775808", "//١٢", "/\u{301}5", "//5\u{301}", "no slash 5",
        ]
        for event in edges { XCTAssertEqual(Self.byteReader(event), Self.reference(event), "event '\(event)'") }
        var random = SplitMix64(seed: 19)
        let alphabet = Array("//0123456789+-ab ")
        for _ in 0..<20_000 {
            let length = Int(random.next() % 12)
            let event = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            XCTAssertEqual(Self.byteReader(event), Self.reference(event), "event '\(event)'")
        }
    }

    func table(events: [String], serials: [UInt32]) -> ImageTable {
        var t = ImageTable()
        for (event, serial) in zip(events, serials) {
            t.events.append(event)
            t.serial.append(serial)
            t.crystalCount.append(0)
        }
        return t
    }

    func testResolveFallsBackOnRepeatsAndRange() {
        let good = FrameIndices.resolve(table(events: ["//2", "//0", "//5"], serials: [1, 2, 3]), limit: 6)
        XCTAssertEqual(good, FrameIndices(index: [2, 0, 5], basis: "event //N"))
        let repeated = FrameIndices.resolve(table(events: ["//2", "//2", "//5"], serials: [3, 1, 2]), limit: 6)
        XCTAssertEqual(repeated, FrameIndices(index: [2, 0, 1], basis: "image serial number - 1"))
        let outOfRange = FrameIndices.resolve(table(events: ["//2", "//6"], serials: [1, 1]), limit: 6)
        XCTAssertEqual(outOfRange, FrameIndices(index: [0, 1], basis: "stream order"))
        // A limit far beyond the images (a hostile count) is checked with a hash set, same answer.
        let huge = FrameIndices.resolve(table(events: ["//2", "//1000000000000"], serials: [1, 2]), limit: Int.max)
        XCTAssertEqual(huge, FrameIndices(index: [2, 1_000_000_000_000], basis: "event //N"))
    }
}
