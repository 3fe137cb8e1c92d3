import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// The peers' merges through the real binary: CrystFEL's own light/dark merge of the
/// samples read, checked and stored (SQLite; MariaDB in XtalStoreTests), the bundled
/// example checked against the custom-split file it wrote itself, and damaged inputs
/// reported with the numbers.
final class PeerMergeCommandLineTests: XCTestCase {
    func summary(_ folder: URL) throws -> ExperimentResults {
        try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
    }

    func sqlite(_ database: String, _ query: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, query]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let storeTables = [
        "AutoProcProgram", "AutoProc", "AutoProcScaling", "AutoProcScalingStatistics", "AutoProcIntegration",
        "AutoProcScaling_has_Int", "ProcessingJob", "ProcessingJobImageSweep", "ProcessingJobParameter", "XtalReportMergedDataset",
    ]

    func testSampleLightDarkMergeIsReadCheckedAndStoredOnce() throws {
        let folder = try TemporaryFolder()
        let (manifest, reason) = try SampleMergeManifest.write(into: folder)
        guard let manifest else { throw XCTSkip(reason) }
        let first = try run(["run", manifest, "--no-report", "--threads", "2", "-q"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains(
            "light by partialator, unity dataset 'light': 87 crystals, 79.10–2.16 Å, completeness 57.16 %, CC½ 0.5119, Rsplit 53.53 %; checks: 4 passed"),
            first.stdout)
        XCTAssertTrue(first.stdout.contains("unity by partialator, unity: 187 crystals"), first.stdout)
        let out = folder.url.appendingPathComponent("xtalreport-out")
        let merging = try XCTUnwrap(try summary(out).merging)
        XCTAssertEqual(merging.peerMerges.map(\.dataset), ["light", "dark", "unity"])
        XCTAssertTrue(merging.peerMerges.allSatisfy(\.checksPass), "\(merging.peerMerges.map(\.checks))")
        // The lineage of xtalreport's own light dataset: 150 images, 93 hits, 87 indexed, 87 crystals.
        let light = try XCTUnwrap(merging.datasets.first { $0.name == "light" }?.lineage)
        XCTAssertEqual([light.images, light.hits, light.indexedFrames, light.crystals, light.crystalsMerged], [150, 93, 87, 87, 87])
        XCTAssertEqual(light.parts.map(\.timePoint), ["light_10us"])
        // The per-image ledger: every image, and which datasets its crystals went into.
        let ledger = try String(contentsOf: out.appendingPathComponent("merged/ledger.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        XCTAssertEqual(ledger.count, 300)
        let mergedInto = ledger.map { $0[9].split(separator: ",").map(String.init) }
        XCTAssertEqual(mergedInto.filter { $0.contains("light") }.count, 87)
        XCTAssertEqual(mergedInto.filter { $0.contains("unity") }.count, 190)
        XCTAssertTrue(zip(ledger, mergedInto).allSatisfy { $0.0[8] == "0" ? $0.1.isEmpty : $0.1.contains("A300") })

        // Table 1 of partialator's light dataset: what check_hkl and compare_hkl printed.
        let db = out.appendingPathComponent("xtalreport.sqlite").path
        let rows = try sqlite(db, """
            SELECT s.scalingStatisticsType, s.completeness, s.multiplicity, s.meanIOverSigI, s.nTotalObservations,
                   s.nTotalUniqueObservations, IFNULL(s.ccHalf, '-')
            FROM AutoProcProgram p JOIN AutoProc a USING (autoProcProgramId) JOIN AutoProcScaling c USING (autoProcId)
            JOIN AutoProcScalingStatistics s USING (autoProcScalingId)
            WHERE p.processingPrograms = 'partialator' AND p.processingMessage = 'merged dataset ''light'''
            ORDER BY s.autoProcScalingStatisticsId
            """)
        XCTAssertEqual(rows.split(separator: "\n"), [
            "overall|57.159353|5.243182|3.305513|20763|3960|0.5119369",
            "innerShell|97.94|8.8|3.0|6723|761|-",
            "outerShell|1.77|2.0|5.93|24|12|-",
        ])
        // One integration per run, linked to the scaling; the selection as job parameters.
        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM AutoProcScaling_has_Int h JOIN AutoProcIntegration i USING (autoProcIntegrationId) WHERE i.dataCollectionId = 1"), "9")
        XCTAssertEqual(try sqlite(db, "SELECT parameterValue FROM ProcessingJobParameter WHERE parameterKey = 'peer_dataset' ORDER BY 1"), "dark\nlight")
        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM XtalReportMergedDataset"), "9")
        var before: [String] = []
        for table in Self.storeTables { before.append(try sqlite(db, "SELECT COUNT(*) FROM \(table)")) }
        let second = try run(["run", manifest, "--no-report", "--threads", "2", "-q"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("merged dataset light (partialator): AutoProcProgram 8 unchanged"), second.stdout)
        var after: [String] = []
        for table in Self.storeTables { after.append(try sqlite(db, "SELECT COUNT(*) FROM \(table)")) }
        XCTAssertEqual(after, before, "a second run must not add rows")
    }

    /// A manifest merge that lists no files gets the files named after it beside its run's
    /// stream: A300-unity's list, log, harvest file, check_hkl and compare_hkl outputs.
    func testFilesOfAMergeAreFoundByName() throws {
        let folder = try TemporaryFolder()
        let stream = try SharedSamples.file("samples/merge/runA300.stream")
        let manifest = try folder.write("manifest.yaml", """
            version: 1
            experiment: by-name
            runs:
              - {name: A300, results: ['\(stream)']}
            merging: {point_group: 4/mmm}
            merges:
              - {name: A300-unity, runs: [A300]}
            """)
        let outcome = try run(["run", manifest, "--no-store", "--no-report", "--threads", "2", "-q"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("merge 'A300-unity': "), outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("A300-unity by partialator, unity: 187 crystals, 79.10–2.15 Å, completeness 72.21 %, CC½ 0.7015, Rsplit 41.20 %; checks: 1 passed"), outcome.stdout)
        let peer = try XCTUnwrap(try summary(folder.url.appendingPathComponent("xtalreport-out")).merging?.peerMerges.first)
        XCTAssertEqual(peer.comparisons.map(\.second), ["truth.hkl"])
        XCTAssertTrue(peer.files.contains { $0.path.hasSuffix("A300-unity.harvest.json") && $0.notUsed == nil })
    }

    /// A merge whose inputs changed is updated in place: same program, same row counts, new figures.
    func testChangedPeerMergeIsUpdatedInPlace() throws {
        let folder = try TemporaryFolder()
        let (manifest, reason) = try SampleMergeManifest.write(into: folder)
        guard let manifest else { throw XCTSkip(reason) }
        XCTAssertEqual(try run(["run", manifest, "--no-report", "--threads", "2", "-q"]).status, 0)
        let samples = URL(fileURLWithPath: try SharedSamples.file("samples/merge/A300-unity-check.log")).deletingLastPathComponent()
        let edited = try String(contentsOf: samples.appendingPathComponent("A300-unity-check.log"), encoding: .utf8)
            .replacingOccurrences(of: "Overall completeness = 72.210285 %", with: "Overall completeness = 70.000000 %")
        let check = try folder.write("A300-unity-check.log", edited)
        _ = try folder.write("A300-unity-check.dat", String(contentsOf: samples.appendingPathComponent("A300-unity-check.dat"), encoding: .utf8))
        _ = try SampleMergeManifest.write(into: folder, replacing: ["A300-unity-check.log": check])
        let db = folder.url.appendingPathComponent("xtalreport-out/xtalreport.sqlite").path
        let count = { try self.sqlite(db, "SELECT COUNT(*) FROM AutoProcScalingStatistics") }
        let rowsBefore = try count()
        let second = try run(["run", manifest, "--no-report", "--threads", "2", "-q"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("merged dataset unity (partialator): AutoProcProgram 10 updated"), second.stdout)
        XCTAssertEqual(try count(), rowsBefore)
        XCTAssertEqual(try sqlite(db, """
            SELECT s.completeness FROM AutoProcProgram p JOIN AutoProc a USING (autoProcProgramId) JOIN AutoProcScaling c USING (autoProcId)
            JOIN AutoProcScalingStatistics s USING (autoProcScalingId)
            WHERE p.autoProcProgramId = 10 AND s.scalingStatisticsType = 'overall'
            """), "70.0")
    }

    /// A partialator log with fewer crystals than xtalreport counted: exit 3, and the warning
    /// gives both numbers.
    func testLogWithFewerCrystalsIsAWarningWithTheNumbers() throws {
        let folder = try TemporaryFolder()
        let log = try String(contentsOfFile: try SharedSamples.file("samples/merge/A300-split-unity.log"), encoding: .utf8)
        let fewer = try folder.write("partialator.log", log.replacingOccurrences(of: "(87 crystals)", with: "(80 crystals)"))
        let (manifest, reason) = try SampleMergeManifest.write(into: folder, replacing: ["A300-split-unity.log": fewer])
        guard let manifest else { throw XCTSkip(reason) }
        let outcome = try run(["run", manifest, "--no-store", "--threads", "2", "-q"])
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        // The Merging page shows the lineage, the failed check with its numbers, and both Table 1s.
        let page = try String(contentsOf: folder.url.appendingPathComponent("xtalreport-out/merging.html"), encoding: .utf8)
        for text in ["What went in", "failed</td>", "partialator wrote 80 crystals into &#39;light&#39;",
                     "xtalreport (process_hkl&#39;s model)", "not used: a second check_hkl"] {
            XCTAssertTrue(page.contains(text), text)
        }
        XCTAssertTrue(outcome.stderr.contains(
            "merge 'light' (partialator): crystals check failed: partialator wrote 80 crystals into 'light', xtalreport counts 87 indexed crystals in merge 'light' (run A300, laser light): 7 fewer"),
            outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("checks: 3 passed, 1 FAILED"), outcome.stdout)
    }

    /// The bundled example against the DIALS grouping YAML it wrote (per-image values in an
    /// HDF5 file, read by the isolated reader): passed; the same with `repeat=3` (a pattern
    /// that is not the run's) fails, naming images and both groupings.
    func testExampleAgainstItsOwnGroupingYAML() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        let manifestPath = folder.url.appendingPathComponent("manifest.yaml").path
        XCTAssertEqual(try run(["run", manifestPath, "--no-store", "--no-report", "-q"]).status, 0)
        let written = folder.url.appendingPathComponent("xtalreport-out/time-resolved")
        let values = folder.url.appendingPathComponent("values.h5").path
        try FileManager.default.copyItem(atPath: written.appendingPathComponent("grouping-values.h5").path, toPath: values)
        let yaml = try String(contentsOf: written.appendingPathComponent("grouping.yaml"), encoding: .utf8)
            .replacingOccurrences(of: written.appendingPathComponent("grouping-values.h5").path, with: values)
        let grouping = try folder.write("grouping.yaml", yaml)
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try manifest.replacingOccurrences(of: "    laser: light\n", with: "    laser: light\n    files: ['\(grouping)']\n")
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let good = try run(["run", manifestPath, "--no-store", "--no-report", "-q"])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stdout.contains("pump-probe-light by DIALS: no Table 1 among its files; checks: 1 passed"), good.stdout)
        let peer = try XCTUnwrap(try summary(folder.url.appendingPathComponent("xtalreport-out")).merging?.peerMerges.first)
        let check = try XCTUnwrap(peer.checks.first { $0.name == "DIALS grouping" })
        XCTAssertEqual(check.verdict, .passed, check.detail)
        XCTAssertTrue(check.detail.contains("group_1 (time_point=0) = time point dark"), check.detail)
        XCTAssertTrue(check.detail.contains("group_2 (time_point=1) = time point light_10us"), check.detail)

        let pattern = yaml.replacingOccurrences(of: "'\(values):/run03/time_point'", with: "'repeat=3'")
        XCTAssertNotEqual(pattern, yaml)
        try pattern.write(toFile: grouping, atomically: true, encoding: .utf8)
        let bad = try run(["run", manifestPath, "--no-store", "--no-report", "-q"])
        XCTAssertEqual(bad.status, 3, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("DIALS grouping check failed"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("images are in another group than their time point's: run03_master.h5 image"), bad.stderr)
    }

    /// The bundled example against the custom-split file it wrote: the checks pass; a copy
    /// with a frame left out and one moved to the other time point fails them, naming both.
    func testExampleAgainstItsOwnCustomSplitFile() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "-q"]).status, 0)
        let manifestPath = folder.url.appendingPathComponent("manifest.yaml").path
        let firstRun = try run(["run", manifestPath, "--no-store", "--no-report", "-q"])
        XCTAssertEqual(firstRun.status, 0, firstRun.stderr)
        let written = folder.url.appendingPathComponent("xtalreport-out/time-resolved/custom-split.txt").path
        var lines = try String(contentsOfFile: written, encoding: .utf8).split(separator: "\n").map(String.init)
        let split = try folder.write("split.txt", lines.joined(separator: "\n") + "\n")
        let manifest = try String(contentsOfFile: manifestPath, encoding: .utf8)
        let withFiles = manifest.replacingOccurrences(of: "    laser: light\n", with: "    laser: light\n    files: ['\(split)']\n")
        XCTAssertNotEqual(withFiles, manifest)
        try withFiles.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let good = try run(["run", manifestPath, "--no-report", "-q"])
        XCTAssertEqual(good.status, 0, good.stderr)
        let peer = try XCTUnwrap(try summary(folder.url.appendingPathComponent("xtalreport-out")).merging?.peerMerges.first)
        XCTAssertEqual(peer.checks.map(\.verdict), [.passed, .passed, .passed, .notChecked], "\(peer.checks)")
        // Stored beside xtalreport's own merge, with the verdict among its job parameters.
        let db = folder.url.appendingPathComponent("xtalreport-out/xtalreport.sqlite").path
        XCTAssertEqual(try sqlite(db, """
            SELECT p.parameterValue FROM ProcessingJobParameter p JOIN ProcessingJobParameter d USING (processingJobId)
            WHERE p.parameterKey = 'checks' AND d.parameterKey = 'xtalreport_dataset' AND d.parameterValue = 'pump-probe-light'
            """), "passed")
        XCTAssertEqual(try sqlite(db, "SELECT COUNT(*) FROM XtalReportMergedDataset WHERE datasetName = 'pump-probe-light'"), "2")

        // Damage: the first indexed light frame is left out, the first indexed dark one is called light.
        let table = try String(contentsOf: folder.url.appendingPathComponent("xtalreport-out/time-resolved/per-image.tsv"), encoding: .utf8)
        let indexed = table.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
            .filter { Int($0[11]) ?? 0 > 0 }.map { "\($0[2]) \($0[3]) \($0[4])" }
        let light = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(" light_10us") && indexed.contains($0) })
        lines.remove(at: light)
        let dark = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(" dark") && indexed.contains($0) })
        lines[dark] = String(lines[dark].dropLast(" dark".count)) + " light_10us"
        try (lines.joined(separator: "\n") + "\n").write(toFile: split, atomically: true, encoding: .utf8)
        let bad = try run(["run", manifestPath, "--no-store", "--no-report", "-q"])
        XCTAssertEqual(bad.status, 3, bad.stderr)
        let moved = lines[dark].split(separator: " ").prefix(2).joined(separator: " ")
        XCTAssertTrue(bad.stderr.contains("custom split time points check failed"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("\(moved) (line \(dark + 1)) in 'light_10us', xtalreport's time point dark"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("custom split counts check failed"), bad.stderr)
    }
}
