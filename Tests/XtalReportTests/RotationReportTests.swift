import Foundation
import XCTest
import XtalCore
import XtalIngest
import XtalTestSupport

@testable import XtalReport

/// The rotation run's page: collection, one Table 1 per program, the best result by its
/// stated rule, the per-image plots; the experiment page lists the rotation run beside the
/// serial ones; a real browser renders the page with its tables and plots.
final class RotationReportTests: XCTestCase {
    static func sample(_ relative: String) throws -> String { try SharedSamples.file("samples/" + relative) }

    func render() throws -> (TemporaryFolder, ExperimentResults) {
        let folder = try TemporaryFolder()
        var input = RunInput(name: "rot01", streams: [])
        input.kind = .rotation
        // iotbx merging statistics in their layout (merging.md §3): every resolution bin.
        let bins = try folder.write("x_merging-statistics.json", """
            {"d_star_sq_min": [0.0005, 0.1, 0.2], "d_star_sq_max": [0.1, 0.2, 0.277], "completeness": [99.2, 99.9, 99.9],
             "cc_one_half": [0.999, 0.99, 0.71], "overall": {"completeness": 99.9, "cc_one_half": 0.998}}
            """)
        input.processing = [try Self.sample("mx/json/fast_dp.json"), try Self.sample("mx/xia2/xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt"), bins]
        input.imageQuality = [try Self.sample("mx/image-quality/dozor_v1.3.8_2016.log")]
        let rotation = try RunIngestor.ingest(input)
        var serialInput = RunInput(name: "chip", streams: [])
        serialInput.imageQuality = [try Self.sample("ssx/dozor-2.0.2_edna2_test_no_results.log")]
        let serial = try RunIngestor.ingest(serialInput)
        var cumulative = StatisticsAccumulator()
        cumulative.combine(rotation.accumulator)
        cumulative.combine(serial.accumulator)
        let results = ExperimentResults(
            engine: .current, experiment: "mx page", session: nil, sample: nil, generated: "2026-12-01T00:00:00Z",
            runs: [serial.results, rotation.results], cumulative: cumulative.finalize())
        let assets = ReportAssets(
            templates: SharedSamples.repositoryRoot.appendingPathComponent("templates").path,
            recipe: SharedSamples.repositoryRoot.appendingPathComponent("reports/default.yaml").path)
        try ReportWriter(assets: assets).write(results, to: folder.path)
        return (folder, results)
    }

    func testRotationPageTablesAndPlots() throws {
        let (folder, _) = try render()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }.sorted()
        XCTAssertEqual(files, ["index.html", "rotation-rot01.html", "run-chip.html"], "serial pages for serial runs only")
        let page = try String(contentsOfFile: folder.path + "/rotation-rot01.html", encoding: .utf8)
        for text in ["I 2 3", "84.1 %", "27.56–1.79", "C 2 2 21", "42.66–1.90", "0.048", "0.999", "Best result",
                     "xia2 0.3.6.3 (xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt)", "the highest resolution", "dozor 1.3.8"] {
            XCTAssertTrue(page.contains(text), "the rotation page lacks '\(text)'")
        }
        for plot in RotationPlots.names {
            let path = folder.path + "/plots/rotation-rot01-\(plot).png"
            XCTAssertEqual(ReportTests.pngSize(path).map { [$0.width, $0.height] }, [1040, 640], "\(plot) (drawn at twice its size)")
        }
        let index = try String(contentsOfFile: folder.path + "/index.html", encoding: .utf8)
        XCTAssertTrue(index.contains("Rotation runs"), "the experiment page lists the rotation run")
        XCTAssertTrue(index.contains("rot01"))
    }

    /// The best result follows the rule: fast_dp (1.79 Å, 84.1 % complete) fails the
    /// completeness test, xia2 (1.90 Å, 99.9 %) passes it.
    func testBestResultRule() throws {
        let (_, results) = try render()
        let rotation = try XCTUnwrap(results.runs.first { $0.kind == .rotation })
        XCTAssertEqual(RotationTables.bestResult(rotation.processing ?? [])?.format, .xia2Text)
    }

    /// Runs headless Chromium on `page` with `arguments`; returns its standard output.
    static func chromium(_ page: URL, profile: URL, _ arguments: [String]) throws -> String {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium is not installed (scripts/install-deps.sh --test installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile.path]
            + arguments + [page.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return text
    }

    func testChromiumRendersTheRotationPage() throws {
        let (folder, _) = try render()
        let page = folder.url.appendingPathComponent("rotation-rot01.html")
        let profile = folder.url.appendingPathComponent("chromium-profile")
        // The DOM as the browser built it: the tables' cells and every plot image.
        let dom = try Self.chromium(page, profile: profile, ["--dump-dom"])
        XCTAssertTrue(dom.contains("C 2 2 21"), "no processing table in the rendered DOM")
        XCTAssertEqual(dom.components(separatedBy: "<img").count - 1, 5, "five plots")
        let shot = folder.url.appendingPathComponent("rotation.png").path
        _ = try Self.chromium(page, profile: profile, ["--window-size=1200,1600", "--screenshot=" + shot])
        let image = try XCTUnwrap(ReportTests.readPNG(shot), "no screenshot")
        XCTAssertGreaterThan(ReportTests.distinctColours(image.rgba), 50)
    }

    /// The bundled example's rotation run, through the binary: its page opens in the browser
    /// with the pipeline's Table 1, the collection table and the three plots.
    func testExampleRotationPageInChromium() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--images", "300", "-q"]).status, 0)
        let job = try run(["run", folder.path + "/manifest.yaml", "--no-store", "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let page = folder.url.appendingPathComponent("xtalreport-out/rotation-rot01.html")
        let dom = try Self.chromium(page, profile: folder.url.appendingPathComponent("chromium-profile"), ["--dump-dom"])
        for text in ["P 43 21 2", "39.46–1.60", "0.071", "0.100° per image", "resolution at edge / corner", "xtalreport example pipeline 1.0"] {
            XCTAssertTrue(dom.contains(text), "the example's rotation page lacks '\(text)'")
        }
        XCTAssertEqual(dom.components(separatedBy: "<img").count - 1, 3, "three plots")
        for plot in ["mx-spots", "mx-scan-resolution", "mx-scan-score"] {
            XCTAssertNotNil(ReportTests.pngSize(folder.path + "/xtalreport-out/plots/rotation-rot01-\(plot).png"), plot)
        }
    }
}
