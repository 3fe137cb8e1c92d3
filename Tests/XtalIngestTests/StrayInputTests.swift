import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalIngest

/// Input outside any chunk is never lost in silence: a damaged begin marker makes a
/// malformed chunk, chunk content without its chunk is listed and counted, CR-only line
/// ends are refused, and a file that is mostly not a stream says so.
final class StrayInputTests: XCTestCase {
    let header = MalformedInputTests.header
    func chunk(_ serial: Int) -> String { MalformedInputTests.chunk(serial: serial) }

    func read(_ text: String) throws -> StreamReadResult {
        let folder = try TemporaryFolder()
        return try CrystFELStreamReader.read(path: try folder.write("t.stream", Data(text.utf8)))
    }

    func testDamagedBeginMarkersMakeMalformedChunks() throws {
        for damaged in ["----- Begin chunk ----- ", "----- Begin chunk ----=", "----- begin chunk -----", "---- Begin chunk -----",
                        "-----Begin chunk-----", "----- Bxgin chunk -----"] {
            let text = header + chunk(1) + chunk(2).replacingOccurrences(of: "----- Begin chunk -----", with: damaged) + chunk(3)
            let r = try read(text)
            XCTAssertEqual(r.images.count, 2, damaged)
            XCTAssertEqual(r.malformedChunks, 1, damaged)
            XCTAssertTrue(r.issues.contains { $0.reason.contains("damaged chunk marker") }, "\(damaged): \(r.issues)")
            XCTAssertEqual(r.strayChunkLines, 0, damaged)
        }
    }

    func testChunkContentOutsideAChunkIsListedAndCounted() throws {
        // An extra end marker before the crystal: the crystal's lines are outside any chunk.
        let split = chunk(2).replacingOccurrences(of: "--- Begin crystal", with: "----- End chunk -----\n--- Begin crystal")
        let r = try read(header + chunk(1) + split + chunk(3))
        XCTAssertEqual(r.images.count, 3)
        XCTAssertGreaterThan(r.strayChunkLines, 5)
        let listed = r.issues.filter { $0.reason.contains("chunk content outside any chunk") }
        XCTAssertEqual(listed.count, 1, "\(r.issues)")
        // A stray line that is not chunk content is listed once per stretch, and not counted as content.
        let other = try read(header + chunk(1) + "some note\nanother note\n" + chunk(2))
        XCTAssertEqual(other.strayLines, 2)
        XCTAssertEqual(other.strayChunkLines, 0)
        XCTAssertEqual(other.issues.filter { $0.reason.contains("line outside any chunk") }.count, 1)
    }

    func testCarriageReturnOnlyLineEndsAreRefused() throws {
        let text = (header + chunk(1)).replacingOccurrences(of: "\n", with: "\r")
        XCTAssertThrowsError(try read(text)) { error in
            XCTAssertTrue("\(error)".contains("CR only"), "\(error)")
        }
    }

    func testHeaderThenGarbageIsMostlyStray() throws {
        var garbage = ExampleBytes(seed: 7)
        let r = try read(header + chunk(1) + garbage.lines(count: 2000))
        XCTAssertGreaterThan(r.strayBytes * 2, r.bytes)
    }
}

/// Printable garbage in lines (no stream key or marker), deterministic.
struct ExampleBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func lines(count: Int) -> String {
        (0..<count).map { _ in
            String((0..<60).map { _ -> Character in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Character(Unicode.Scalar(UInt8(33 + (state >> 33) % 90)))
            })
        }.joined(separator: "\n") + "\n"
    }
}
