import Foundation
import XCTest
import XtalCore
import XtalTestSupport

final class ChunkedFileWriterTests: XCTestCase {
    /// A file of several megabytes comes out byte for byte, written in pieces of about a
    /// megabyte (the buffer never holds much more), and appears only once it is whole.
    func testLargeFileIsWrittenInPiecesAndRenamedWhenWhole() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("big.tsv").path
        var expected: [UInt8] = []
        var largestBuffer = 0
        try ChunkedFileWriter.write(to: path) { out, flushIfFull in
            for line in 0..<300_000 {
                let text = Array("line\t\(line)\n".utf8)
                out += text
                expected += text
                largestBuffer = max(largestBuffer, out.count)
                try flushIfFull(&out)
                if line == 150_000 { XCTAssertFalse(FileManager.default.fileExists(atPath: path)) }
            }
        }
        XCTAssertGreaterThan(expected.count, 3 << 20)
        XCTAssertLessThanOrEqual(largestBuffer, (1 << 20) + 64)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), expected)
    }

    /// A body that fails leaves the file that was there, and no temporary file.
    func testFailureLeavesTheOldFile() throws {
        struct Stop: Error {}
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("kept.txt").path
        try "old\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ChunkedFileWriter.write(to: path) { out, flushIfFull in
            out += [UInt8](repeating: 0x41, count: 3 << 20)
            try flushIfFull(&out)
            throw Stop()
        })
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["kept.txt"])
    }
}
