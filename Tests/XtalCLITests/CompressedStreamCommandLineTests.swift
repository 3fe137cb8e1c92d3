import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// `run DIR` finds `*.stream.gz` and `*.stream.zst` runs and gives the summary of the plain
/// files; a damaged compressed file is named and ends the job with exit 3.
final class CompressedStreamCommandLineTests: XCTestCase {
    func compress(_ tool: String, _ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-q", "-f", "--rm", path]
        if tool == "gzip" { process.arguments = [tool, "-q", "-f", path] }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("\(tool) is not installed (scripts/install-deps.sh --test)") }
    }

    func summary(_ folder: URL) throws -> ExperimentResults {
        try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.appendingPathComponent("xtalreport-out/summary.json")))
    }

    func testDirectoryOfCompressedStreamsGivesThePlainSummary() throws {
        let plain = try TemporaryFolder()
        let packed = try TemporaryFolder()
        for folder in [plain, packed] {
            XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "1500", "--seed", "8", "-q"]).status, 0)
            try FileManager.default.removeItem(at: folder.url.appendingPathComponent("manifest.yaml"))
        }
        try compress("gzip", packed.path + "/run01.stream")
        try compress("zstd", packed.path + "/run02.stream")
        try compress("pzstd", packed.path + "/run03.stream")
        for folder in [plain, packed] {
            let job = try run(["run", folder.path, "-q", "--no-report"])
            XCTAssertEqual(job.status, 0, job.stderr)
        }
        let a = try summary(plain.url)
        let b = try summary(packed.url)
        XCTAssertEqual(b.runs.map(\.name), ["run01", "run02", "run03"])
        XCTAssertEqual(b.runs.flatMap(\.inputs).map(\.compression), ["gzip", "zstd", "zstd"])
        XCTAssertEqual(b.runs.map(\.indexamajigLog), a.runs.map(\.indexamajigLog).map { $0?.replacingOccurrences(of: plain.path, with: packed.path) })
        XCTAssertEqual(b.runs.map(\.statistics), a.runs.map(\.statistics))
        XCTAssertEqual(b.runs.flatMap(\.inputs).map(\.bytes), a.runs.flatMap(\.inputs).map(\.bytes))
        XCTAssertEqual(b.runs.flatMap(\.inputs).map(\.lines), a.runs.flatMap(\.inputs).map(\.lines))
        XCTAssertEqual(b.cumulative, a.cumulative)
        XCTAssertEqual(b.accounting, a.accounting)
        XCTAssertEqual(b.runs.flatMap(\.issues).count, a.runs.flatMap(\.issues).count)
    }

    func testCutShortGzipStreamExitsThree() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "900", "-q"]).status, 0)
        let stream = folder.path + "/run01.stream"
        try compress("gzip", stream)
        let data = try Data(contentsOf: URL(fileURLWithPath: stream + ".gz"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: stream + ".gz"))
        let stats = try run(["stats", stream + ".gz"])
        XCTAssertEqual(stats.status, 3, stats.stderr)
        XCTAssertTrue(stats.stdout.contains("cut short") || stats.stderr.contains("cut short"), stats.stdout + stats.stderr)
    }
}
