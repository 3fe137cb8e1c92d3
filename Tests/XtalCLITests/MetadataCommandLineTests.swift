import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// `inspect`, and master files in `run`, through the real binary.
final class MetadataCommandLineTests: XCTestCase {
    func testInspectPrintsASampleMasterAsTextAndJSON() throws {
        let (path, reason) = SharedSamples.path("samples/nexus/real/dls_i03_xrc_209_master.h5")
        guard let path else { throw XCTSkip(reason) }
        let text = try run(["inspect", path])
        XCTAssertEqual(text.status, 0, text.stderr)
        for expected in ["240  (shape of /entry/data/data (virtual dataset))", "391.2284 mm (file: m)", "1005.453, 1050.752 px", "0.9762535 Å"] {
            XCTAssertTrue(text.stdout.contains(expected), "missing \(expected) in\n\(text.stdout)")
        }
        let json = try run(["inspect", path, "--json", "--per-image"])
        XCTAssertEqual(json.status, 0, json.stderr)
        struct Document: Decodable {
            var metadata: RunMetadata
            var perImage: PerImageMetadata?
        }
        let documents = try JSONDecoder().decode([Document].self, from: Data(json.stdout.utf8))
        XCTAssertEqual(documents.first?.metadata.images?.count, 240)
        XCTAssertEqual(documents.first?.metadata.detector.distance?.unit, "mm")
        XCTAssertEqual(documents.first?.perImage?.sampleY?.count, 240)
    }

    func testInspectNamesAnUnreadableFileAndExits66() throws {
        let folder = try TemporaryFolder()
        let notHDF5 = try folder.write("run01_master.h5", "not hdf5\n")
        let outcome = try run(["inspect", notHDF5])
        XCTAssertEqual(outcome.status, 66)
        XCTAssertTrue(outcome.stderr.contains("\(notHDF5): not an HDF5 file"), outcome.stderr)
    }

    /// The example's runs carry master files: images / hits / skipped come from them, and
    /// each run's count check is printed.
    func testRunOnTheExampleShowsCountsFromMetadata() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "900", "--seed", "2", "-q"]).status, 0)
        let job = try run(["run", folder.path, "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stdout.contains("run01: ok: run01_master.h5 has 300 images"), job.stdout)
        XCTAssertTrue(job.stdout.contains("run03: ok: run03_master.h5 has 300 images"), job.stdout)
        XCTAssertTrue(job.stdout.contains("non-hits left out of the stream"), job.stdout)
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.url.appendingPathComponent("xtalreport-out/summary.json")))
        for run in results.runs {
            XCTAssertEqual(run.metadata?.images?.count, 300)
            XCTAssertEqual(run.imageCheck?.agrees, true)
            XCTAssertEqual(run.statistics.imagesCollected, 300)
            XCTAssertEqual(run.statistics.skippedImages, 300 - run.statistics.hits)
        }
        XCTAssertEqual(results.runs[2].metadata?.pumpProbe?.delay?.value, 0.00001)
        XCTAssertEqual(results.cumulative.imagesCollected, 900)
    }

    /// Without run03's log, 300 collected images meet far fewer chunks: a mismatch, with the
    /// reason, and skipped images still counted against the collected 300.
    func testMismatchIsReportedWithItsLikelyReason() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "900", "--seed", "2", "-q"]).status, 0)
        let manifest = folder.url.appendingPathComponent("manifest.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "    indexamajig_log: run03.log\n", with: "")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let job = try run(["run", manifest.path, "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stdout.contains("run03: MISMATCH: run03_master.h5 has 300 images;"), job.stdout)
        XCTAssertTrue(job.stdout.contains("no indexamajig log was given"), job.stdout)
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.url.appendingPathComponent("xtalreport-out/summary.json")))
        let run03 = results.runs[2].statistics
        XCTAssertLessThan(run03.images, 300)
        XCTAssertEqual(run03.imagesCollected, 300)
        XCTAssertEqual(run03.skippedImages, 300 - run03.hits)
    }

    /// A corrupt master is named, the run kept without metadata, exit code 3.
    func testCorruptMasterGivesPartialResults() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        let master = folder.url.appendingPathComponent("run02_master.h5")
        let bytes = try Data(contentsOf: master)
        try bytes.prefix(bytes.count / 4).write(to: master)
        let job = try run(["run", folder.path, "-q"])
        XCTAssertEqual(job.status, 3, job.stderr)
        XCTAssertTrue(job.stdout.contains("run02: master file unreadable: \(master.path): HDF5 file is truncated or corrupt"), job.stdout)
    }
}
