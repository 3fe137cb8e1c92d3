import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// Processing results into the embedded SQLite store: AutoProc rows per result, none added
/// by a second run, and a store made before the added columns gets them.
final class ProcessingResultSQLiteTests: XCTestCase {
    static func sample(_ relative: String) throws -> String { try SharedSamples.file("samples/mx/" + relative) }

    func sqlite(_ database: String, _ query: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database, query]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("sqlite3 is not installed") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testRotationRunResultsStoredOnce() throws {
        let folder = try TemporaryFolder()
        try folder.write("manifest.yaml", """
            experiment: sqlite-mx
            runs:
              - name: rot
                kind: rotation
                processing: ["\(try Self.sample("json/fast_dp.json"))", "\(try Self.sample("xia2/xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt"))"]
            """)
        let manifest = folder.path + "/manifest.yaml"
        let database = folder.path + "/xtalreport-out/xtalreport.sqlite"
        let first = try run(["run", manifest, "--no-report", "-q"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("2 processing result(s)"), first.stdout)
        XCTAssertEqual(try sqlite(database, "SELECT COUNT(*) FROM AutoProcScalingStatistics"), "6")
        XCTAssertEqual(
            try sqlite(database, "SELECT rMerge, rMeasWithinIPlusIMinus, nTotalUniqueObservations FROM AutoProcScalingStatistics WHERE scalingStatisticsType = 'overall' ORDER BY autoProcScalingStatisticsId"),
            "0.033||6240\n0.048|0.056|18787")
        XCTAssertEqual(try sqlite(database, "SELECT spaceGroup FROM AutoProc WHERE spaceGroup IS NOT NULL ORDER BY autoProcId"), "I 2 3\nC 2 2 21")
        XCTAssertEqual(try sqlite(database, "SELECT refinedXBeam FROM AutoProcIntegration WHERE refinedXBeam IS NOT NULL ORDER BY 1"), "206.450538366977")
        let tables = ["AutoProcProgram", "AutoProc", "AutoProcScaling", "AutoProcScalingStatistics", "AutoProcIntegration", "AutoProcScaling_has_Int"]
        let counts = try tables.map { try sqlite(database, "SELECT COUNT(*) FROM \($0)") }

        // A store made before rotation-axis columns existed: they are added, nothing is duplicated.
        _ = try sqlite(database, "ALTER TABLE AutoProcIntegration DROP COLUMN rotationAxisX")
        let second = try run(["run", manifest, "--no-report", "-q"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(second.stdout.contains("processing result(s)"), second.stdout)
        XCTAssertEqual(try tables.map { try sqlite(database, "SELECT COUNT(*) FROM \($0)") }, counts)
        XCTAssertTrue(try sqlite(database, "SELECT name FROM pragma_table_info('AutoProcIntegration')").contains("rotationAxisX"))
    }

    /// A serial run with a stream and a Dozor log: the stream's peaks stay in spotTotal,
    /// Dozor's score fills dozor_score.
    func testDozorScoresBesideStreamPeaks() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "--seed", "2", "-q"]).status, 0)
        try FileManager.default.removeItem(atPath: folder.path + "/manifest.yaml")
        try FileManager.default.copyItem(
            atPath: try XCTUnwrap(SharedSamples.path("samples/ssx/dozor-2.0.2_edna2_test.log").path, "no ../shared"),
            toPath: folder.path + "/run01_dozor.log")
        let job = try run(["run", folder.path, "--no-report", "-q"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let database = folder.path + "/xtalreport-out/xtalreport.sqlite"
        let rows = try sqlite(database, "SELECT COUNT(*), COUNT(dozor_score) FROM ImageQualityIndicators i JOIN DataCollection d USING (dataCollectionId) WHERE d.fileTemplate LIKE 'run01%'")
        XCTAssertEqual(rows.split(separator: "|").last, "10")
        let first = try sqlite(database, "SELECT spotTotal, dozor_score FROM ImageQualityIndicators i JOIN DataCollection d USING (dataCollectionId) WHERE d.fileTemplate LIKE 'run01%' AND imageNumber = 1")
        XCTAssertTrue(first.hasSuffix("|967.135"), first)
        XCTAssertFalse(first.hasPrefix("2495|"), "the stream's peak count stays: \(first)")
    }

    /// An image number ImageQualityIndicators cannot hold is named, not dropped silently.
    func testImageNumberOutsideTheColumnIsNamed() throws {
        let folder = try TemporaryFolder()
        try folder.write("scan_dozor.log", """
             Program dozor /A.Popov & G.Bourenkov/
             Version 2.0.2 //  21.05.2019
            ------
                0 |    24     16.   0.245   1.6|    0.10   13.6  1.5  92.7    11.8 |     9.1  8.6    1.42
                1 |    30     16.   0.245   1.6|    0.10   13.6  1.5  92.7    11.8 |     9.5  8.6    1.42
            ------
            """)
        try folder.write("manifest.yaml", "experiment: zero\nruns:\n  - name: r\n    kind: rotation\n    image_quality: [scan_dozor.log]\n")
        let job = try run(["run", folder.path + "/manifest.yaml", "--no-report"])
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stderr.contains("scan_dozor.log: 1 image(s) numbered outside 1…16,777,215 have no ImageQualityIndicators row"), job.stderr)
        XCTAssertEqual(try sqlite(folder.path + "/xtalreport-out/xtalreport.sqlite", "SELECT imageNumber, dozor_score FROM ImageQualityIndicators"), "1|9.5")
    }
}
