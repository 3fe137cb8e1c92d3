import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// The merge stage through the real binary: on CrystFEL's own sample stream (figures as
/// process_hkl + check_hkl + compare_hkl give them) and on the bundled example.
final class MergingCommandLineTests: XCTestCase {
    func rows(_ path: String) throws -> [Substring] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        guard let end = lines.firstIndex(of: "End of reflections") else { return [] }
        return Array(lines[3..<end])
    }

    func testSampleStreamMergesAsCrystFEL() throws {
        let folder = try TemporaryFolder()
        let (written, reason) = try SampleMergeManifest.write(into: folder, withMerges: false)
        guard let manifest = written else { throw XCTSkip(reason) }
        let samples = URL(fileURLWithPath: try SharedSamples.file("samples/merge/runA300.stream")).deletingLastPathComponent()
        let outcome = try run(["run", manifest, "--no-store", "--no-report", "--quiet", "--threads", "2"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("A300: 190 crystals, 79.10–2.15 Å, completeness 72.47 %, CC½ 0.6864, Rsplit 42.20 %"), outcome.stdout)
        let out = folder.url.appendingPathComponent("xtalreport-out")
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        let merging = try XCTUnwrap(results.merging)
        let a300 = try XCTUnwrap(merging.datasets.first { $0.name == "A300" })
        // README of the merge samples, row A300-process: 72.47 %, 9.37, 3.01, CC½ 0.6864, CC* 0.9023, Rsplit 42.20 %.
        XCTAssertEqual(String(format: "%.2f", a300.overall.completenessPercent), "72.47")
        XCTAssertEqual(String(format: "%.2f", a300.overall.redundancy), "9.37")
        XCTAssertEqual(String(format: "%.2f", a300.overall.meanSignalToNoise), "3.01")
        XCTAssertEqual(String(format: "%.4f", a300.halfSetOverall.cc), "0.6864")
        XCTAssertEqual(String(format: "%.4f", a300.halfSetOverall.ccStar), "0.9023")
        XCTAssertEqual(String(format: "%.2f", a300.halfSetOverall.rSplitPercent), "42.20")
        XCTAssertEqual(a300.pointGroup, "4/mmm")
        XCTAssertEqual(a300.accumulation.count, 20)
        XCTAssertEqual(a300.accumulation.last?.crystals, 190)
        // The lists written are process_hkl's, row for row.
        for suffix in ["hkl", "hkl1", "hkl2"] {
            XCTAssertEqual(try rows(out.appendingPathComponent("merged/A300.\(suffix)").path),
                           try rows(samples.appendingPathComponent("A300-process.\(suffix)").path), suffix)
        }
        // The time points hold the crystals partialator's custom split assigns (README: 103 dark, 87 light).
        XCTAssertEqual(merging.datasets.first { $0.name == "time-point-dark" }?.crystals, 103)
        XCTAssertEqual(merging.datasets.first { $0.name == "time-point-light_10us" }?.crystals, 87)
        XCTAssertEqual(merging.lightDark.count, 1)
    }

    /// A damaged reflection line is counted, named with its file and line, and the job ends
    /// with exit code 3; the rest is merged. `stats --timings` names its three stages.
    func testUnreadableReflectionLineIsReported() throws {
        let folder = try TemporaryFolder()
        _ = try run(["example", folder.path, "--no-rotation-run", "--images", "300"])
        let path = folder.url.appendingPathComponent("run01.stream").path
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("   h    k    l          I   sigma(I)") })
        lines[header + 2] = "  12   x3    4     100.00      10.00"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try run(["stats", path, "--merge", "--point-group", "4/mmm", "--json", "--quiet", "--timings"])
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        // --timings: the read, the merge and the output, each with its wall time, on stderr
        // even when the job ends with partial results (the merge benchmark reads them).
        let timings = try XCTUnwrap(outcome.stderr.split(separator: "\n").first { $0.hasPrefix("timings: ") }, outcome.stderr)
        XCTAssertNotNil(timings.wholeMatch(of: /timings: read [0-9.]+ s \(peak \d+ MB\), merge [0-9.]+ s \(peak \d+ MB\), output [0-9.]+ s \(peak \d+ MB\); total [0-9.]+ s/), String(timings))
        let results = try ExperimentResults.jsonDecoder.decode(ExperimentResults.self, from: Data(outcome.stdout.utf8))
        XCTAssertEqual(results.merging?.malformedReflectionLines, 1)
        let issue = try XCTUnwrap(results.runs[0].issues.first { $0.reason.contains("unreadable reflection line") })
        XCTAssertEqual(issue.line, header + 3)
        XCTAssertGreaterThan(results.merging?.datasets.first?.crystals ?? 0, 10)
    }

    func testUnknownPointGroupIsABadUsage() throws {
        let folder = try TemporaryFolder()
        _ = try run(["example", folder.path, "--no-rotation-run", "--images", "30"])
        let outcome = try run(["run", folder.url.appendingPathComponent("manifest.yaml").path, "--no-store", "--quiet",
                               "--point-group", "4/mmmm"])
        XCTAssertEqual(outcome.status, 64)
        XCTAssertTrue(outcome.stderr.contains("unknown point group '4/mmmm'"), outcome.stderr)
    }

    /// The bundled example: CC½ falls with resolution, light − dark CC is below both
    /// half-set CC½ values, and one thread merges exactly as two.
    func testExampleMergesWithASignalAboveTheNoise() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run"]).status, 0)
        let manifest = folder.url.appendingPathComponent("manifest.yaml").path
        var merged: [MergingResults] = []
        for threads in ["1", "2"] {
            let out = folder.url.appendingPathComponent("out\(threads)").path
            let outcome = try run(["run", manifest, "--output", out, "--no-store", "--quiet", "--threads", threads])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let results = try ExperimentResults.jsonDecoder.decode(
                ExperimentResults.self, from: Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("summary.json")))
            merged.append(try XCTUnwrap(results.merging))
            if threads == "2" {
                XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/merging.html"))
                let page = try String(contentsOfFile: out + "/merging.html", encoding: .utf8)
                XCTAssertTrue(page.contains("Table 1"))
                XCTAssertTrue(page.contains("CC½ as crystals accumulate"))
            }
        }
        // Identical, NaN for NaN (compared as summary.json writes them).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        XCTAssertTrue(try encoder.encode(merged[0]) == encoder.encode(merged[1]), "one thread and two merge differently")
        let m = merged[0]
        let all = try XCTUnwrap(m.datasets.first { $0.name == "all-runs" })
        XCTAssertGreaterThan(all.halfSetShells.first!.cc, all.halfSetShells.last!.cc + 0.05)
        XCTAssertGreaterThan(all.halfSetOverall.cc, 0.9)
        let ld = try XCTUnwrap(m.lightDark.first)
        XCTAssertLessThan(ld.overall.cc, min(ld.firstCCHalf, ld.secondCCHalf))
        XCTAssertGreaterThan(ld.overall.r1IPercent, max(ld.firstRSplitPercent, ld.secondRSplitPercent))
        for d in m.datasets where d.crystals > 0 {
            XCTAssertEqual(d.accumulation.map(\.crystals), d.accumulation.map(\.crystals).sorted(), d.name)
            XCTAssertEqual(d.accumulation.last?.crystals, d.crystals, d.name)
        }
    }
}
