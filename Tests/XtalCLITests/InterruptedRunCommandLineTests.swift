import Foundation
import XCTest
import XtalTestSupport

/// An output folder is the complete result of one job or visibly not: the job record says
/// which, outputs are whole files (never truncated, no temporary files left), SIGINT and
/// SIGTERM exit 130/143 with the folder marked interrupted, and a full disk exits 73.
final class InterruptedRunCommandLineTests: XCTestCase {
    struct Record: Decodable {
        var state: String
        var pid: Int32
        var exitCode: Int32?
        var reason: String?
    }

    func record(_ output: URL) -> Record? {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent("xtalreport-job.json").path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Temporary files (`.NAME.partial-PID`) anywhere under `folder`.
    func leftovers(_ folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter {
            ($0 as NSString).lastPathComponent.contains(".partial-")
        }
    }

    func testCompleteRunIsRecordedComplete() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "600", "-q"]).status, 0)
        let job = try run(["run", folder.path, "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let output = folder.url.appendingPathComponent("xtalreport-out")
        XCTAssertEqual(record(output)?.state, "complete")
        XCTAssertEqual(record(output)?.exitCode, 0)
        XCTAssertEqual(leftovers(output), [])
        let noReport = try run(["run", folder.path, "-q", "--no-report", "--output", folder.path + "/plain"])
        XCTAssertEqual(noReport.status, 0, noReport.stderr)
        let index = try String(contentsOfFile: folder.path + "/plain/index.html", encoding: .utf8)
        XCTAssertTrue(index.contains("without a report (--no-report)"), index)
    }

    /// A re-run in an old folder, stopped by a signal at some point of its work: exit
    /// 128 + signal, the folder marked interrupted, the old summary gone, nothing truncated.
    func testSignalledReRunLeavesTheFolderMarkedInterrupted() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "1500", "-q"]).status, 0)
        XCTAssertEqual(try run(["run", folder.path, "-q"]).status, 0)
        let output = folder.url.appendingPathComponent("xtalreport-out")
        for (signal, delay) in [(SIGINT, 0.3), (SIGTERM, 2.5)] {
            let process = Process()
            process.executableURL = xtalreportBinary
            process.arguments = ["run", folder.path, "-q"]
            // Each run's store transaction is held open 1 s, so the job lasts over 3 s.
            process.environment = ProcessInfo.processInfo.environment.merging(["XTALREPORT_TEST_STORE_PAUSE": "1"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while record(output)?.pid != process.processIdentifier, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            XCTAssertEqual(record(output)?.state, "running")
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 128 + signal, "signal \(signal)")
            let stopped = try XCTUnwrap(record(output))
            XCTAssertEqual(stopped.state, "interrupted")
            XCTAssertEqual(stopped.exitCode, 128 + signal)
            XCTAssertEqual(leftovers(output), [], "signal \(signal)")
            let summary = output.appendingPathComponent("summary.json")
            if let data = FileManager.default.contents(atPath: summary.path) {
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), "a summary.json that exists is whole")
            }
            if delay < 1 {
                XCTAssertFalse(FileManager.default.fileExists(atPath: summary.path), "the old summary is not left beside a partial job")
                let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
                XCTAssertTrue(index.contains("not a complete result"), index)
            }
            let report = try run(["report", output.path])
            XCTAssertTrue(report.stderr.contains("was interrupted"), report.stderr)
        }
        // A new job completes the folder again.
        XCTAssertEqual(try run(["run", folder.path, "-q"]).status, 0)
        XCTAssertEqual(record(output)?.state, "complete")
    }

    /// A full file system (a 1 MiB tmpfs) fails as exit 73 with the system's reason, never
    /// as a database error and never with a truncated file in place.
    func testFullDiskExitsSeventyThree() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "1500", "-q"]).status, 0)
        let small = folder.url.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small.path]
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a small tmpfs here (needs root): the full-disk case is not tested") }
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [small.path]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        let job = try run(["run", folder.path, "-q", "--output", small.path + "/out"])
        XCTAssertEqual(job.status, 73, job.stderr)
        XCTAssertTrue(job.stderr.contains("No space left on device") || job.stderr.contains("disk is full"), job.stderr)
        XCTAssertEqual(leftovers(small), [])
        let state = record(small.appendingPathComponent("out"))?.state
        XCTAssertNotEqual(state, "complete")
    }
}
