import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// Rotation runs and serial runs summarised from spot finding, through the binary: the
/// manifest's `kind`, `processing` and `image_quality`, directory mode's file-name rules,
/// summary.json's fields, and a file that cannot be read named with exit 3.
final class RotationRunCommandLineTests: XCTestCase {
    static func sample(_ relative: String) throws -> String { try SharedSamples.file("samples/" + relative) }

    func summary(_ folder: String) throws -> ExperimentResults {
        try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/xtalreport-out/summary.json")))
    }

    func testManifestWithRotationAndSpotFindingRuns() throws {
        let folder = try TemporaryFolder()
        let xia2 = try Self.sample("mx/xia2/xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt")
        let xml = try Self.sample("mx/ispyb-xml/autoPROC_esrf-id30a2_2016_single-sweep.xml")
        let dozor = try Self.sample("mx/image-quality/dozor_v1.3.8_2016.log")
        let noResults = try Self.sample("ssx/dozor-2.0.2_edna2_test_no_results.log")
        try folder.write("manifest.yaml", """
            experiment: mx
            runs:
              - name: rot1
                kind: rotation
                processing: ["\(xia2)", "\(xml)"]
                image_quality: ["\(dozor)"]
              - name: ssx1
                image_quality: ["\(noResults)"]
                hit_spot_cutoff: 20
            """)
        let job = try run(["run", folder.path + "/manifest.yaml", "--no-report", "--no-store"])
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stdout.contains("rot1: xia2 0.3.6.3: C 2 2 21, 42.66–1.9 Å, completeness 99.9 %, Rmerge 0.048"), job.stdout)
        XCTAssertTrue(job.stdout.contains("rot1: autoPROC 1.1.6: P 61 2 2"), job.stdout)
        XCTAssertFalse(job.stdout.contains("\nrot1  "), "a rotation run has no row in the serial table:\n\(job.stdout)")
        let results = try summary(folder.path)
        let rotation = try XCTUnwrap(results.runs.first { $0.name == "rot1" })
        XCTAssertEqual(rotation.kind, .rotation)
        XCTAssertEqual(rotation.processing?.map(\.format), [.xia2Text, .ispybXML])
        XCTAssertEqual(rotation.processing?.first?.statistics?.overall?.nTotalUniqueObservations, 18787)
        XCTAssertEqual(rotation.imageQuality?.first?.images, 100)
        XCTAssertEqual(rotation.imageQuality?.first?.alongScan.start.count, 100)
        XCTAssertEqual(rotation.statistics.images, 0)

        // The serial run from spot finding alone: hits are images with more than 20 spots.
        let serial = try XCTUnwrap(results.runs.first { $0.name == "ssx1" })
        XCTAssertNil(serial.kind)
        XCTAssertEqual(serial.statistics.images, 51)
        XCTAssertEqual(serial.accounting.imagesFromSpotFinding, 51)
        let expectedHits = try Self.spotCounts(noResults).count { $0 > 20 }
        XCTAssertEqual(serial.statistics.hits, expectedHits)
        XCTAssertEqual(serial.imageQuality?.first?.hits, expectedHits)
        XCTAssertEqual(serial.imageQuality?.first?.imagesWithoutResults, 40)
        XCTAssertTrue(serial.imageCountSource.hasPrefix("spot finding"), serial.imageCountSource)
        XCTAssertEqual(results.accounting.imagesProcessed, 51)
    }

    /// The spot counts of a Dozor log, read here independently of the engine.
    static func spotCounts(_ path: String) throws -> [Int] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let groups = line.split(separator: "|", omittingEmptySubsequences: false)
            guard groups.count == 4, Int(groups[0].trimmingCharacters(in: .whitespaces)) != nil else { return nil }
            return Int(groups[1].split(separator: " ")[0])
        }
    }

    func testUnreadableResultFileIsNamedAndExitsThree() throws {
        let folder = try TemporaryFolder()
        let broken = try folder.write("broken_ispyb.xml", "<AutoProcContainer><AutoProc>")
        try folder.write("manifest.yaml", """
            experiment: mx
            runs:
              - name: rot1
                kind: rotation
                processing: [broken_ispyb.xml, absent.xml]
            """)
        let job = try run(["run", folder.path + "/manifest.yaml", "--no-report", "--no-store"])
        XCTAssertEqual(job.status, 3, job.stderr)
        XCTAssertTrue(job.stderr.contains("2 processing or per-image file(s) could not be read"), job.stderr)
        XCTAssertTrue(job.stderr.contains("\(broken):0: warning: not read: not well-formed XML"), job.stderr)
        XCTAssertTrue(job.stderr.contains("absent.xml:0: warning: not read:"), job.stderr)
        XCTAssertEqual(try summary(folder.path).accounting.resultFilesUnread, 2)
    }

    func testManifestValidation() throws {
        let folder = try TemporaryFolder()
        for (yaml, reason) in [
            ("runs:\n  - name: a\n    kind: still\n    results: [x.stream]", "kind must be 'ssx' or 'rotation', not 'still'"),
            ("runs:\n  - name: a\n    kind: rotation", "run 'a' lists no result files"),
            ("runs:\n  - name: a\n    image_quality: [d.log]\n    hit_spot_cutoff: -1", "hit_spot_cutoff must be 0 or more"),
        ] {
            let path = try folder.write("m.yaml", "experiment: e\n" + yaml + "\n")
            let job = try run(["run", path, "--no-report", "--no-store"])
            XCTAssertEqual(job.status, 64, yaml)
            XCTAssertTrue(job.stderr.contains(reason), "\(yaml): \(job.stderr)")
        }
    }

    /// Directory mode: a folder of processing results is a rotation run; a per-image file
    /// named after a stream joins its run; a folder of only per-image files gives serial
    /// runs from spot finding.
    func testDirectoryModeFindsResultFilesByName() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "600", "--seed", "5", "-q"]).status, 0)
        try FileManager.default.removeItem(atPath: folder.path + "/manifest.yaml")
        try FileManager.default.createDirectory(atPath: folder.path + "/rot", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path + "/screen", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.sample("mx/json/fast_dp.json"), toPath: folder.path + "/rot/fast_dp.json")
        try FileManager.default.copyItem(
            atPath: try Self.sample("mx/image-quality/dozor_v2.0.2_2019.log"), toPath: folder.path + "/rot/dozor.log")
        try FileManager.default.copyItem(
            atPath: try Self.sample("ssx/dozor-2.0.2_edna2_test.log"), toPath: folder.path + "/run01_dozor.log")
        try FileManager.default.copyItem(
            atPath: try Self.sample("ssx/dozor-2.0.2_edna2_test_no_results.log"), toPath: folder.path + "/screen/chip_dozor.log")
        let job = try run(["run", folder.path, "--no-report", "--no-store", "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let results = try summary(folder.path)
        XCTAssertEqual(results.runs.map(\.name), ["run01", "run02", "run03", "rot", "screen/chip_dozor"])
        XCTAssertEqual(results.runs[0].imageQuality?.first?.images, 10)
        XCTAssertNil(results.runs[1].imageQuality)
        XCTAssertEqual(results.runs[3].kind, .rotation)
        XCTAssertEqual(results.runs[3].processing?.first?.spaceGroup, "I 2 3")
        XCTAssertEqual(results.runs[3].imageQuality?.first?.images, 10)
        XCTAssertEqual(results.runs[4].statistics.images, 51)
    }
}
