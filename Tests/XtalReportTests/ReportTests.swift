import CPNG
import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalIngest
import XtalTestSupport

#if canImport(FoundationXML)
    import FoundationXML
#endif
@testable import XtalReport

/// The report of the example experiment: well-formed pages, valid PNGs of the stated size,
/// numbers equal to summary.json, input strings escaped, and a real browser renders it.
final class ReportTests: XCTestCase {
    /// The example's results with a hostile sample name, rendered into a temporary folder.
    func renderExample(sampleName: String = "<script>alert(1)</script>") throws -> (folder: TemporaryFolder, results: ExperimentResults) {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 900, seed: 4).write(to: folder.path)
        var runs: [RunResults] = []
        var cumulative = StatisticsAccumulator()
        for (i, stream) in written.streams.enumerated() {
            let run = try RunIngestor.ingest(
                RunInput(name: "run0\(i + 1)", streams: [stream], indexamajigLog: written.logs[i], master: written.masters[i]))
            runs.append(run.results)
            cumulative.combine(run.accumulator)
        }
        let results = ExperimentResults(
            engine: .current, experiment: "report & test", session: "mx1-1",
            sample: SampleInfo(name: sampleName, protein: "lysozyme", support: "chip"), generated: "2026-11-21T00:00:00Z",
            runs: runs, cumulative: cumulative.finalize())
        let assets = ReportAssets(
            templates: SharedSamples.repositoryRoot.appendingPathComponent("templates").path,
            recipe: SharedSamples.repositoryRoot.appendingPathComponent("reports/default.yaml").path)
        try ReportWriter(assets: assets).write(results, to: folder.path)
        return (folder, results)
    }

    func pages(in folder: TemporaryFolder) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder.url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "html" }.sorted { $0.path < $1.path }
    }

    func testPagesAreWellFormedAndImagesAreValidPNGsOfTheStatedSize() throws {
        let (folder, _) = try renderExample()
        let files = try pages(in: folder)
        XCTAssertEqual(files.map(\.lastPathComponent), ["index.html", "run-run01.html", "run-run02.html", "run-run03.html"])
        for page in files {
            let parser = XMLParser(contentsOf: page)!
            let collector = ImageCollector()
            parser.delegate = collector
            XCTAssertTrue(parser.parse(), "\(page.lastPathComponent) is not well-formed: \(String(describing: parser.parserError))")
            XCTAssertFalse(collector.images.isEmpty)
            for image in collector.images {
                let png = folder.url.appendingPathComponent(image.src).path
                let size = try XCTUnwrap(Self.pngSize(png), "\(image.src) is not a readable PNG")
                // Rendered at 2× the size the page states.
                XCTAssertEqual(size.width, image.width * 2, image.src)
                XCTAssertEqual(size.height, image.height * 2, image.src)
            }
            // Every page links to every other (navigation).
            let html = try String(contentsOf: page, encoding: .utf8)
            for other in files { XCTAssertTrue(html.contains("href=\"\(other.lastPathComponent)\"")) }
        }
    }

    func testNumbersOnThePagesEqualTheResults() throws {
        let (folder, results) = try renderExample()
        let index = try String(contentsOf: folder.url.appendingPathComponent("index.html"), encoding: .utf8)
        let c = results.cumulative
        XCTAssertTrue(index.contains("<td>images collected</td><td>\(c.imagesCollected)</td>"), index)
        XCTAssertTrue(index.contains("<td>hits</td><td>\(c.hits)</td>"))
        XCTAssertTrue(index.contains("<td>skipped images (images − hits)</td><td>\(c.skippedImages)</td>"))
        for run in results.runs {
            let s = run.statistics
            let row = "<td>\(run.name)</td><td>\(s.imagesCollected)</td><td>\(s.images)</td><td>\(s.hits)</td>"
            XCTAssertTrue(index.contains(row), "runs table row \(row) missing")
            let page = try String(contentsOf: folder.url.appendingPathComponent("run-\(run.name).html"), encoding: .utf8)
            XCTAssertTrue(page.contains("<td>indexed frames</td><td>\(s.indexedFrames)</td>"))
            XCTAssertTrue(page.contains(run.metadata!.file))  // collection metadata shown
        }
    }

    func testInputStringsAreEscaped() throws {
        let (folder, _) = try renderExample()
        let index = try String(contentsOf: folder.url.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertFalse(index.contains("<script>"))
        XCTAssertTrue(index.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(index.contains("report &amp; test"))
    }

    func testPNGsCarryProvenanceText() throws {
        let (folder, _) = try renderExample()
        let data = try Data(contentsOf: folder.url.appendingPathComponent("plots/index-cell-a.png"))
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        XCTAssertTrue(text.contains("tEXtSoftware\0xtalreport \(EngineInfo.current.version)"))
        XCTAssertTrue(text.contains("tEXtTitle\0Unit cell a"))
    }

    func testUnknownPlotInARecipeIsNamed() throws {
        let folder = try TemporaryFolder()
        let recipe = try folder.write("bad.yaml", "title: x\npages:\n  - {id: index, title: X, scope: experiment, sections: [{title: S, plots: [pie]}]}\n")
        XCTAssertThrowsError(try ReportRecipe.load(path: recipe)) { error in
            XCTAssertTrue("\(error)".contains("unknown plot 'pie'"), "\(error)")
        }
    }

    /// Headless Chromium (Debian's package) renders index.html; the screenshot must be the
    /// window's size and not blank.
    func testChromiumRendersTheReport() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium is not installed (scripts/install-deps.sh --test installs it)")
        }
        let (folder, _) = try renderExample(sampleName: "lyso")
        let shot = folder.url.appendingPathComponent("screenshot.png").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,1600",
            "--user-data-dir=" + folder.url.appendingPathComponent("chromium-profile").path,
            "--screenshot=" + shot, folder.url.appendingPathComponent("index.html").absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let image = try XCTUnwrap(Self.readPNG(shot), "no screenshot")
        XCTAssertEqual(image.width, 1200)
        XCTAssertEqual(image.height, 1600)
        // Not blank: many distinct colours (text, plots, hit-rate cells).
        XCTAssertGreaterThan(Self.distinctColours(image.rgba), 50)
    }

    // MARK: PNG reading through libpng's simplified API

    /// Distinct RGB colours among every 7th pixel of an RGBA image.
    static func distinctColours(_ rgba: [UInt8]) -> Int {
        var colours = Set<UInt32>()
        for i in stride(from: 0, to: rgba.count, by: 4 * 7) {
            colours.insert(UInt32(rgba[i]) << 16 | UInt32(rgba[i + 1]) << 8 | UInt32(rgba[i + 2]))
        }
        return colours.count
    }

    static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        readPNG(path).map { ($0.width, $0.height) }
    }

    static func readPNG(_ path: String) -> (width: Int, height: Int, rgba: [UInt8])? {
        var image = png_image()
        image.version = xr_PNG_IMAGE_VERSION()
        guard png_image_begin_read_from_file(&image, path) != 0 else { return nil }
        image.format = xr_PNG_FORMAT_RGBA()
        var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 4)
        guard png_image_finish_read(&image, nil, &pixels, 0, nil) != 0 else { return nil }
        return (Int(image.width), Int(image.height), pixels)
    }
}

/// Collects `<img>` elements while parsing a page as XML.
final class ImageCollector: NSObject, XMLParserDelegate {
    struct Image {
        var src: String
        var width: Int
        var height: Int
    }

    var images: [Image] = []

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        guard name == "img", let src = attributes["src"] else { return }
        images.append(Image(src: src, width: Int(attributes["width"] ?? "") ?? 0, height: Int(attributes["height"] ?? "") ?? 0))
    }
}
