import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// A file name that is not valid UTF-8 (Linux names are bytes) opens like any other, as an
/// argument and in `run DIR`, and reaches a pipe as the bytes it is.
final class NonUTF8NameCommandLineTests: XCTestCase {
    /// Renames `folder/runNN…` to `folder/run` + byte 0xFF + `NN…`.
    func rename(_ folder: String, _ name: String) throws -> String {
        let raw = RawPath.string(Array((folder + "/run").utf8) + [0xFF] + Array(name.dropFirst(3).utf8))
        let status = RawPath.withCString(folder + "/" + name) { from in RawPath.withCString(raw) { to in Glibc.rename(from, to) } }
        XCTAssertEqual(status, 0)
        return raw
    }

    func testNamesThatAreNotUTF8AreRead() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("manifest.yaml"))
        let stream = try rename(folder.path, "run01.stream")
        _ = try rename(folder.path, "run01.log")
        _ = try rename(folder.path, "run01_master.h5")
        XCTAssertTrue(RawPath.exists(stream))

        let job = try run(["run", folder.path, "-q", "--no-store", "--no-report"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.url.appendingPathComponent("xtalreport-out/summary.json")))
        XCTAssertEqual(results.runs.count, 3)
        let first = try XCTUnwrap(results.runs.first { $0.name.unicodeScalars.contains(where: RawPath.isRawByte) })
        XCTAssertNotNil(first.metadata, "the master file beside it was found and read")
        XCTAssertNotNil(first.indexamajigLog)
        XCTAssertEqual(first.statistics.images, 100)

        // As a real argv byte (through the shell), and printed to a pipe as that byte.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" stats \"$(printf '%s/run\\37701.stream' \"$1\")\" -q", xtalreportBinary.path, folder.path]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        XCTAssertTrue(printed.contains(Data([0x72, 0x75, 0x6E, 0xFF, 0x30, 0x31])), "the name's own bytes on stdout")
    }
}
