import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// Drives the real `xtalreport` binary, as a user or a pipeline would.
final class CommandLineTests: XCTestCase {
    func testExampleThenRunWritesSummaryAndExitsZero() throws {
        let folder = try TemporaryFolder()
        let example = try run(["example", folder.path, "--images", "1500", "--seed", "5"])
        XCTAssertEqual(example.status, 0, example.stderr)
        let manifest = folder.url.appendingPathComponent("manifest.yaml").path
        let job = try run(["run", manifest])
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stdout.contains("all runs"), job.stdout)
        let summaryPath = folder.url.appendingPathComponent("xtalreport-out/summary.json")
        XCTAssertTrue(job.stdout.contains("Summary: \(summaryPath.path)"), job.stdout)
        let results = try ExperimentResults.jsonDecoder.decode(ExperimentResults.self, from: Data(contentsOf: summaryPath))
        XCTAssertEqual(results.experiment, "lysozyme-chip-example")
        XCTAssertEqual(results.sample?.protein, "lysozyme")
        XCTAssertEqual(results.runs.map(\.name), ["run01", "run02", "run03", "rot01"])
        XCTAssertEqual(results.cumulative.images, 1500)
        // The rotation run: its pipeline's result, Dozor and DIALS along the scan, its master file.
        let rotation = results.runs[3]
        XCTAssertEqual(rotation.kind, .rotation)
        XCTAssertEqual(rotation.processing?.first?.spaceGroup, "P 43 21 2")
        XCTAssertEqual(rotation.processing?.first?.statistics?.overall?.resolutionLimitHigh, 1.6)
        XCTAssertEqual(rotation.imageQuality?.map(\.images), [1800, 1800])
        XCTAssertEqual(rotation.metadata?.sample.rotation?.increment, 0.1)
        XCTAssertTrue(job.stdout.contains("rot01: xtalreport example pipeline 1.0: P 43 21 2, 39.46–1.6 Å"), job.stdout)
        XCTAssertTrue(job.stdout.contains("rot01: DataCollection 4 (created), AutoProcProgram 4, 1800 image rows, 1 processing result(s)"), job.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path + "/xtalreport-out/rotation-rot01.html"))
        XCTAssertEqual(results.cumulative.hits, results.runs.reduce(0) { $0 + $1.statistics.hits })
        XCTAssertEqual(results.cumulative.crystals, results.runs.reduce(0) { $0 + $1.statistics.crystals })
        XCTAssertEqual(results.runs[2].imageCountSource, "indexamajig log")
        XCTAssertEqual(results.accounting.imagesProcessed, 1500)
        XCTAssertEqual(results.runs[0].provenance.first?.crystfelVersion, "0.11.1")
        XCTAssertEqual(results.cumulative.cell.a.histogram?.counts.count, 50)

        // The report is written beside summary.json, and re-rendered from it alone.
        let index = folder.url.appendingPathComponent("xtalreport-out/index.html")
        XCTAssertTrue(job.stdout.hasSuffix("Report: \(index.path)\n"), job.stdout)
        try FileManager.default.removeItem(at: index)
        let report = try run(["report", folder.url.appendingPathComponent("xtalreport-out").path])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: index.path))
        XCTAssertEqual(try run(["report", folder.path]).status, 66)  // no summary.json there

        // A directory is scanned for its manifest.
        let again = try run(["run", folder.path, "--output", folder.url.appendingPathComponent("second").path, "-q"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stderr, "")
    }

    func testDirectoryWithoutManifestMakesOneRunPerStream() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("manifest.yaml"))
        let job = try run(["run", folder.path, "-q", "--timings"])
        XCTAssertEqual(job.status, 0, job.stderr)
        // --timings: each stage's wall time and the peak memory after it, on stderr.
        let timings = try XCTUnwrap(job.stderr.split(separator: "\n").first { $0.hasPrefix("timings: ") })
        for stage in ["read ", "split files ", "summary ", "report ", "store "] { XCTAssertTrue(timings.contains(stage), String(timings)) }
        XCTAssertTrue(timings.contains(" MB)") && timings.contains("; total "), String(timings))
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self,
            from: Data(contentsOf: folder.url.appendingPathComponent("xtalreport-out/summary.json")))
        XCTAssertEqual(results.runs.map(\.name), ["run01", "run02", "run03"])
        XCTAssertEqual(results.runs[2].indexamajigLog, folder.url.appendingPathComponent("run03.log").path)
    }

    func testStatsJSONReproducesTheSampleReferenceCounts() throws {
        let (path, reason) = SharedSamples.path("samples/ssx/crystfel-0.11.1_synthetic-lyso.stream")
        guard let path else { throw XCTSkip(reason) }
        let (log, _) = SharedSamples.path("samples/ssx/indexamajig-0.11.1_stderr_synthetic-lyso.log")
        let outcome = try run(["stats", path, "--json", "--log", try XCTUnwrap(log), "-q"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let results = try ExperimentResults.jsonDecoder.decode(ExperimentResults.self, from: Data(outcome.stdout.utf8))
        let s = results.cumulative
        XCTAssertEqual([s.chunks, s.hits, s.hitLines.hit0, s.indexedFrames, s.crystals], [12, 8, 4, 8, 8])
        XCTAssertEqual(s.sumNumPeaks, 520)
        XCTAssertEqual(s.cell.a.mean! / 10, 7.9239, accuracy: 0.00006)
        XCTAssertEqual(String(format: "%.2f", s.resolutionLimit.distribution.median!), "2.46")
        XCTAssertEqual(s.hitRate!, 8.0 / 12.0, accuracy: 1e-12)
    }

    func testExitCodes() throws {
        let folder = try TemporaryFolder()
        // 66: missing input, named.
        let missing = try run(["stats", "/nonexistent/a.stream"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/a.stream"), missing.stderr)
        // 66: not a stream.
        let notes = try folder.write("notes.stream", "hello\n")
        XCTAssertEqual(try run(["stats", notes, "-q"]).status, 66)
        // 64: invalid manifest, with the reason.
        let bad = try folder.write("bad.yaml", "experiment: x\nruns: []\n")
        let badRun = try run(["run", bad])
        XCTAssertEqual(badRun.status, 64)
        XCTAssertTrue(badRun.stderr.contains("'runs' is empty"), badRun.stderr)
        // 64: bad usage.
        XCTAssertEqual(try run(["stats"]).status, 64)
        XCTAssertEqual(try run(["stats", notes, "--log", "a", "--log", "b"]).status, 64)
        // 3: partial results (a truncated chunk), summary still written.
        let truncated = try folder.write(
            "cut.stream",
            "CrystFEL stream format 2.3\nGenerated by CrystFEL 0.11.1\n----- Begin chunk -----\nImage filename: a.h5\n"
                + "num_peaks = 3\n----- End chunk -----\n----- Begin chunk -----\nImage filename: a.h5\nnum_pe")
        let partial = try run(["stats", truncated, "-q"])
        XCTAssertEqual(partial.status, 3)
        XCTAssertTrue(partial.stderr.contains("1 incomplete"), partial.stderr)
        XCTAssertTrue(partial.stdout.contains("cut.stream"), partial.stdout)
    }

    /// Several runs on two threads are parsed and assembled in a pipeline (one run is
    /// assembled while the next is parsed): the JSON must be the one-thread JSON, and a run
    /// whose assembly fails (its log cannot be read) must fail the command cleanly.
    func testSeveralRunsOnTwoThreadsGiveTheOneThreadResults() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "3000", "--seed", "11", "-q"]).status, 0)
        let streams = ["run01", "run02", "run03"].map { folder.url.appendingPathComponent("\($0).stream").path }
        let logs = ["run01", "run02", "run03"].map { folder.url.appendingPathComponent("\($0).log").path }
        func statsJSON(_ threads: Int) throws -> String {
            let outcome = try run(["stats", "--json", "-q", "--threads", "\(threads)"] + streams + logs.flatMap { ["--log", $0] })
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            // The generation time is the only field allowed to differ.
            return outcome.stdout.split(separator: "\n").filter { !$0.contains("\"generated\"") }.joined(separator: "\n")
        }
        let one = try statsJSON(1)
        XCTAssertTrue(one.contains("\"run03.stream\""), one)
        XCTAssertEqual(try statsJSON(2), one)

        // The second run's "log" is a folder: its assembly fails while run03 is parsed.
        let broken = try run(["stats", "-q", "--threads", "2"] + streams + ["--log", logs[0], "--log", folder.path, "--log", logs[2]])
        XCTAssertEqual(broken.status, 66, broken.stderr)
        XCTAssertTrue(broken.stderr.contains(folder.path), broken.stderr)
    }

    func testHelpDocumentsCommandsAndExitCodes() throws {
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["stats", "run", "report", "inspect", "example", "Exit codes", "66"] {
            XCTAssertTrue(help.stdout.contains(word), "--help should mention \(word)")
        }
        XCTAssertEqual(try run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines), EngineInfo.current.version)
    }
}
