import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// The timing stage through the real binary: `run` on the pump-probe example prints and
/// reports per-time-point statistics and writes both split files.
final class TimingCommandLineTests: XCTestCase {
    func testRunOnThePumpProbeExamplePrintsTimePointsAndWritesSplitFiles() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "1200", "--seed", "5", "-q"]).status, 0)
        let outcome = try run(["run", folder.url.appendingPathComponent("manifest.yaml").path, "-q"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        for expected in [
            "run03: time points (chain 'pump-probe' from manifest", "  dark ", "  light_10us ",
            "sums over time points equal the run's totals", "light − dark: hit rate",
            "Custom split (partialator --custom-split): time-resolved/custom-split.txt",
            "group_1 = dark: 200, group_2 = light_10us: 200 images, as the table expects",
        ] {
            XCTAssertTrue(outcome.stdout.contains(expected), "missing '\(expected)' in\n\(outcome.stdout)")
        }
        let out = folder.url.appendingPathComponent("xtalreport-out")
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        let run03 = try XCTUnwrap(results.runs[2].timeResolved)
        XCTAssertEqual(run03.timePoints.map(\.imagesCollected), [200, 200])
        XCTAssertNil(results.runs[0].timeResolved, "run01 has no chain")
        XCTAssertEqual(results.splitFiles?.consistent, true)
        XCTAssertEqual(results.splitFiles?.hitsListed, results.runs[2].statistics.hits)
        for file in ["custom-split.txt", "grouping.yaml", "grouping-values.h5", "per-image.tsv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("time-resolved/" + file).path), file)
        }
        let page = try String(contentsOf: out.appendingPathComponent("time-resolved.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("light_10us") && page.contains("Light against dark"))
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("run-run03.html"), encoding: .utf8).contains("Time points"))
    }

    func testABadLaserPatternIsAManifestErrorNamingIt() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        let manifest = folder.url.appendingPathComponent("manifest.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
            .replacingOccurrences(of: "laser_pattern: interleave", with: "laser_pattern: stripes")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let outcome = try run(["run", manifest.path, "-q"])
        XCTAssertEqual(outcome.status, 64)
        XCTAssertTrue(outcome.stderr.contains("event chain 'pump-probe': unknown laser_pattern 'stripes'"), outcome.stderr)
    }
}
