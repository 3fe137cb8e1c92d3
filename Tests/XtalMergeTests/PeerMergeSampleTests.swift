import Foundation
import XCTest
import XtalCore
import XtalIngest
import XtalMerge
import XtalTestSupport

/// The peers' merges of ../shared/samples/merge read back and checked against the per-image
/// table of runA300: Table 1 holds what check_hkl and compare_hkl printed (README "Headline
/// numbers"), the checks pass on the real files and fail, with the numbers, on damaged copies.
final class PeerMergeSampleTests: XCTestCase {
    func samples() throws -> URL {
        let (path, reason) = SharedSamples.path("samples/merge/runA300.stream")
        guard let path else { throw XCTSkip(reason) }
        return URL(fileURLWithPath: path).deletingLastPathComponent()
    }

    /// runA300 as the ledger: time point from the copied laser_on header (0 dark, 1 light).
    func ledgerRun(_ folder: URL) throws -> LedgerRun {
        let read = try CrystFELStreamReader.read(
            path: folder.appendingPathComponent("runA300.stream").path, options: StreamReadOptions(workers: 2))
        let laser = try XCTUnwrap(read.images.headers.column("header/int//data/laser_on"))
        return LedgerRun(
            name: "A300", images: read.images, timePointOfImage: laser.numbers.map { $0 == 1 ? 1 : 0 },
            timePoints: [MergeTimePoint(label: "dark", laser: "dark"), MergeTimePoint(label: "light_10us", laser: "light")])
    }

    func peer(_ files: [String], laser: String?, in folder: URL, run: LedgerRun) -> PeerMergeResults {
        let spec = MergeDatasetSpec(name: laser ?? "all", kind: .manifest, runs: ["A300"], laser: laser)
        let lineage = MergeLedger.lineage(specs: [spec], runs: [run], merged: [0])[0]
        return PeerMerge.read(
            dataset: spec.name, files: files.map { $0.hasPrefix("/") ? $0 : folder.appendingPathComponent($0).path }, base: nil,
            ledger: PeerMerge.Ledger(runs: [run], selection: spec, lineage: lineage))
    }

    func testEveryShellFileAndPrintedOutputOfTheSamplesReads() throws {
        let folder = try samples()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        var shellFiles = 0, outputs = 0
        for name in names where name.hasSuffix(".dat") {
            let file = try HKLShellFile.read(path: folder.appendingPathComponent(name).path)
            XCTAssertEqual(file.issues, [], name)
            XCTAssertEqual(file.checkRows.count + file.compareRows.count, 10, name)
            XCTAssertEqual(file.tool, name.contains("-check") ? .checkHKL : .compareHKL, name)
            shellFiles += 1
        }
        for name in names where name.hasSuffix(".log") && (name.contains("-check") || name.contains("-cc") || name.contains("-r")) {
            let output = try HKLToolOutput.read(path: folder.appendingPathComponent(name).path)
            XCTAssertEqual(output.issues, [], name)
            if output.tool == .checkHKL {
                XCTAssertNotNil(output.completenessPercent, name)
            } else {
                XCTAssertEqual(output.lists.count, 2, name)
                XCTAssertNotNil(output.value, name)
            }
            outputs += 1
        }
        XCTAssertGreaterThan(shellFiles, 80)
        XCTAssertEqual(outputs, shellFiles, "each shell file has its printed output")
        let check = try HKLToolOutput.read(path: folder.appendingPathComponent("A300-split-unity-light-check.log").path)
        XCTAssertEqual([check.measurements, check.reflections, check.possible, check.listReflections], [20763, 3960, 6928, 3960])
        XCTAssertEqual(check.completenessPercent, 57.159353)
        XCTAssertFalse(check.limitedRange)
        let hires = try HKLToolOutput.read(path: folder.appendingPathComponent("A300-split-unity-light-check-hires.log").path)
        XCTAssertEqual(hires.outsideRange, 948)
        XCTAssertTrue(hires.limitedRange)
        let r1 = try HKLToolOutput.read(path: folder.appendingPathComponent("A300-split-unity-light-vs-dark-r1i.log").path)
        XCTAssertEqual(r1.figure, "R1(I)")
        XCTAssertEqual(r1.value, 58.22)
        XCTAssertEqual(r1.pairs, 3405)
        XCTAssertEqual(r1.relativeScale, 0.893819)
        XCTAssertEqual(r1.lists, ["A300-split-unity-light.hkl", "A300-split-unity-dark.hkl"])
        // A scale line with nothing after its '=' signs (found by the fuzzer: an index out of range).
        let odd = try HKLToolOutput.parse("1821 reflection pairs accepted.\nRelative scale factor = , relative B factor = \nOverall CC = 0.5\n", path: "c.log")
        XCTAssertNil(odd.relativeScale)
        XCTAssertThrowsError(try HKLToolOutput.parse("Overall = 56.159353 %\n", path: "n.log"), "no figure name: not a line of theirs")
        XCTAssertEqual(odd.issues.map(\.line), [2])
    }

    /// The light dataset of A300-split-unity: Table 1 as the README gives it, every check passed.
    func testCustomSplitMergeIsReadAndItsChecksPass() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let light = peer(
            ["A300-split-unity-light.hkl", "A300-split-unity.log", "A300-laser-split.txt", "A300-split-unity-light-check.log",
             "A300-split-unity-light-check-hires.log", "A300-split-unity-light-cchalf.log", "A300-split-unity-light-ccstar.log",
             "A300-split-unity-light-rsplit.log", "A300-split-unity-light-vs-dark-cc.log", "A300-split-unity-dark.hkl"],
            laser: "light", in: folder, run: run)
        XCTAssertEqual(light.checks.map(\.verdict), [.passed, .passed, .passed, .passed], "\(light.checks)")
        XCTAssertEqual(light.program, "partialator")
        XCTAssertEqual(light.model, "unity")
        XCTAssertEqual(light.peerDataset, "light")
        XCTAssertEqual(light.crystals, 87)
        XCTAssertEqual(light.crystalsRejected, ["negative delta CC½": 3])
        // README: completeness 57.16 %, redundancy 5.24, <SNR> 3.31, 3960 unique, CC½ 0.5119, CC* 0.8229, Rsplit 53.53 %.
        let o = try XCTUnwrap(light.table1.overall)
        XCTAssertEqual(o.completeness, 57.159353)
        XCTAssertEqual(o.multiplicity, 5.243182)
        XCTAssertEqual(o.meanIOverSigI, 3.305513)
        XCTAssertEqual(o.nTotalUniqueObservations, 3960)
        XCTAssertEqual(o.nTotalObservations, 20763)
        XCTAssertEqual(o.ccHalf, 0.5119369)
        XCTAssertEqual(String(format: "%.2f", o.resolutionLimitHigh ?? 0), "2.16")
        XCTAssertEqual(light.ccStar, 0.8229177)
        XCTAssertEqual(light.rSplitPercent, 53.53)
        // The shells are check_hkl's first and last (not the --highres one, which is listed as not used).
        XCTAssertEqual(light.table1.innerShell?.completeness, 97.94)
        XCTAssertEqual(light.table1.outerShell?.nTotalUniqueObservations, 12)
        XCTAssertEqual(light.shells.count, 10)
        XCTAssertNotNil(light.files.first { $0.path.hasSuffix("check-hires.log") }?.notUsed)
        // README light vs dark: CC 0.6912.
        XCTAssertEqual(light.comparisons.map(\.figure), ["CC"])
        XCTAssertEqual(String(format: "%.4f", light.comparisons.first?.value ?? 0), "0.6912")
        // The half-sets were found beside the list.
        XCTAssertTrue(light.files.contains { $0.path.hasSuffix("A300-split-unity-light.hkl2") && $0.role == "half-set" })

        // The overall unity merge: 190 read, 3 rejected, 187 merged (README: 187, CC½ 0.7015, 72.21 %).
        let unity = peer(["A300-unity.hkl", "A300-unity.log", "A300-unity-check.dat", "A300-unity-cchalf.dat"],
                         laser: nil, in: folder, run: run)
        XCTAssertEqual(unity.checks.map(\.verdict), [.passed], "\(unity.checks)")
        XCTAssertEqual(unity.crystals, 187)
        XCTAssertEqual(unity.commandLine?.hasPrefix("partialator -i runA300.stream -o A300-unity.hkl"), true)
        XCTAssertEqual(unity.version, "CrystFEL 0.11.1")
        XCTAssertEqual(String(format: "%.4f", unity.table1.overall?.ccHalf ?? 0), "0.7015")
        XCTAssertEqual(String(format: "%.2f", unity.table1.overall?.completeness ?? 0), "72.21")
    }

    /// A split file with a frame missing, one frame in the wrong dataset and one frame that
    /// is no image: each check fails and names the frame, its line and the numbers.
    func testDamagedCustomSplitFileIsReportedWithTheNumbers() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let temporary = try TemporaryFolder()
        var lines = try String(contentsOf: folder.appendingPathComponent("A300-laser-split.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let firstLight = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(" light") })
        let removed = lines.remove(at: firstLight)
        let firstDark = try XCTUnwrap(lines.firstIndex { $0.hasSuffix(" dark") })
        lines[firstDark] = String(lines[firstDark].dropLast(4)) + "light"
        lines.append("runA_009.h5 //999 dark")
        let split = try temporary.write("split.txt", lines.joined(separator: "\n") + "\n")
        let light = peer(["A300-split-unity-light.hkl", "A300-split-unity.log", split], laser: "light", in: folder, run: run)
        let checks = Dictionary(uniqueKeysWithValues: light.checks.map { ($0.name, $0) })
        XCTAssertEqual(checks["custom split frames"]?.verdict, .failed)
        XCTAssertTrue(checks["custom split frames"]?.detail.contains("runA_009.h5 //999 (line \(lines.count))") == true, "\(checks)")
        XCTAssertEqual(checks["custom split time points"]?.verdict, .failed)
        let moved = lines[firstDark].split(separator: " ").prefix(2).joined(separator: " ")
        XCTAssertTrue(checks["custom split time points"]?.detail.contains(
            "\(moved) (line \(firstDark + 1)) in 'light', xtalreport's time point dark") == true, "\(checks)")
        let count = try XCTUnwrap(checks["custom split counts"])
        XCTAssertEqual(count.verdict, .failed)
        // The removed light frame had a crystal: 86 + 1 moved = 87 light frames, but one of them is dark.
        XCTAssertTrue(count.detail.contains("'dark' lists 102 indexed frames, xtalreport has 103 at time point dark"), count.detail)
        XCTAssertTrue(count.detail.contains("xtalreport counts 189 on the frames listed"), count.detail)
        XCTAssertFalse(removed.isEmpty)
    }

    /// A partialator log with fewer crystals than xtalreport counted fails the crystal check
    /// with both numbers; rejections explain only what they can.
    func testLogWithFewerCrystalsIsReported() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let temporary = try TemporaryFolder()
        let log = try String(contentsOf: folder.appendingPathComponent("A300-split-unity.log"), encoding: .utf8)
        let fewer = try temporary.write("partialator.log", log.replacingOccurrences(of: "(87 crystals)", with: "(80 crystals)"))
        let light = peer(["A300-split-unity-light.hkl", fewer], laser: "light", in: folder, run: run)
        let check = try XCTUnwrap(light.checks.first { $0.name == "crystals" })
        XCTAssertEqual(check.verdict, .failed)
        XCTAssertTrue(check.detail.contains("partialator wrote 80 crystals into 'light', xtalreport counts 87 indexed crystals"), check.detail)
        XCTAssertTrue(check.detail.contains("7 fewer"), check.detail)

        let unityLog = try String(contentsOf: folder.appendingPathComponent("A300-unity.log"), encoding: .utf8)
        let lost = try temporary.write("unity.log", unityLog.replacingOccurrences(of: "  187 OK", with: "  180 OK")
            .replacingOccurrences(of: ", 187 crystals", with: ", 180 crystals"))
        let unity = peer(["A300-unity.hkl", lost], laser: nil, in: folder, run: run)
        let unityCheck = try XCTUnwrap(unity.checks.first { $0.name == "crystals" })
        XCTAssertEqual(unityCheck.verdict, .failed)
        XCTAssertTrue(unityCheck.detail.contains("merged 180 crystals and rejected 3 (negative delta CC½: 3), xtalreport counts 190"), unityCheck.detail)
        XCTAssertTrue(unityCheck.detail.contains("7 missing"), unityCheck.detail)
    }

    /// partialator's --unmerged-output, in its format (write_unmerged, CrystFEL 0.11.1),
    /// made here for the crystals of runA300 with the log's 3 rejections flagged: the check
    /// passes; a crystal left out, one on an image that is not in the streams and a second
    /// crystal on a one-crystal image each fail it with the numbers.
    func testUnmergedOutputIsCheckedCrystalByCrystal() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let temporary = try TemporaryFolder()
        var blocks: [String] = []
        for row in 0..<run.images.count where run.images.crystalCount[row] > 0 {
            let flagged = blocks.count < 3 ? "yes" : "no"
            blocks.append("Crystal \(blocks.count)\nFilename: \(run.images.filenames[row]) \(run.images.events[row])\nFlagged: \(flagged)\n"
                + "   0    0    4      86.13       1.41\n  -1    2    3     -12.00       0.98 partiality_too_small\n\n")
        }
        XCTAssertEqual(blocks.count, 190)
        func check(_ blocks: [String]) throws -> MergeCheck {
            let path = try temporary.write("unmerged-\(blocks.count)-\(blocks.first?.count ?? 0).txt", blocks.joined())
            let unity = peer(["A300-unity.hkl", "A300-unity.log", path], laser: nil, in: folder, run: run)
            XCTAssertTrue(unity.files.contains { $0.role == "partialator unmerged output" })
            return try XCTUnwrap(unity.checks.first { $0.name == "unmerged crystals" })
        }
        let good = try check(blocks)
        XCTAssertEqual(good.verdict, .passed, good.detail)
        // The ledger names the merge that flagged each of the three crystals.
        let unity = peer(["A300-unity.hkl", "A300-unity.log", try temporary.write("unmerged.txt", blocks.joined())],
                         laser: nil, in: folder, run: run)
        XCTAssertEqual(unity.flaggedFrames.count, 3)
        let spec = MergeDatasetSpec(name: "all", kind: .manifest, runs: ["A300"])
        let ledgerPath = temporary.url.appendingPathComponent("ledger.tsv").path
        XCTAssertEqual(try MergeLedgerFile.write(runs: [run], specs: [spec], peers: [unity], to: ledgerPath), 300)
        let rows = try String(contentsOfFile: ledgerPath, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.filter { $0[10] == "all (partialator)" }.count, 3)
        XCTAssertEqual(rows.filter { $0[9] == "all" }.count, 190)
        XCTAssertTrue(good.detail.contains("190 crystals, 3 flagged, 380 observations"), good.detail)
        var damaged = blocks
        damaged.remove(at: 10)
        damaged[20] = damaged[20].replacingOccurrences(of: "Filename: runA_00", with: "Filename: runB_00")
        damaged.append(damaged[30])
        let bad = try check(damaged)
        XCTAssertEqual(bad.verdict, .failed)
        for text in ["1 crystals are on no image of the streams: crystal", "1 images have another number of crystals than xtalreport counts",
                     "2 crystals of A300 are not in it"] {
            XCTAssertTrue(bad.detail.contains(text), bad.detail)
        }
        let cut = try PartialatorUnmergedFile.parse(Data("Crystal 0\nFlagged: no\nCrystal x\nFilename: a.h5 //1\nnoise\n".utf8), path: "u.txt")
        XCTAssertEqual(cut.issues.map(\.line), [1, 3, 4, 5])
        XCTAssertThrowsError(try PartialatorUnmergedFile.parse(Data(), path: "empty.txt"))
    }

    /// A merge by dials (xia2.ssx_reduce's dials.merge.json) or any MX merging statistics:
    /// Table 1 from its statistics, every bin; no crystal count to check.
    func testDIALSMergeJSONGivesTable1() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let temporary = try TemporaryFolder()
        let stats = """
            {"d_star_sq_min": [0.0016, 0.1], "d_star_sq_max": [0.1, 0.2149], "n_obs": [14618, 89], "n_uniq": [783, 42],
             "multiplicity": [18.7, 2.1], "completeness": [100.0, 6.21], "i_over_sigma_mean": [3.77, 18.9], "cc_one_half": [0.9, 0.2],
             "overall": {"n_obs": 46614, "n_uniq": 5041, "completeness": 72.21, "multiplicity": 9.25, "i_over_sigma_mean": 3.35, "cc_one_half": 0.7}}
            """
        let path = try temporary.write("dials.merge.json", "{\"1.03320\": {\"merging_stats\": \(stats)}}")
        let merge = peer([path], laser: nil, in: folder, run: run)
        XCTAssertEqual(merge.program, "dials.merge")
        XCTAssertEqual(merge.files.map(\.role), ["dialsMergeJSON (dials.merge)"])
        XCTAssertEqual(merge.table1.overall?.nTotalUniqueObservations, 5041)
        XCTAssertEqual(merge.table1.outerShell?.ccHalf, 0.2)
        XCTAssertEqual(merge.shells.count, 2)
        XCTAssertEqual(merge.checks.map(\.verdict), [.notChecked])
    }

    /// xia2.ssx_reduce's merge of one group: its grouping YAML (laser on odd frames, so
    /// `repeat=2`) checked against the time points, and the group its dials.merge JSON is of
    /// against the manifest merge's selection.
    func testDIALSGroupingAndTheGroupOfAMerge() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let temporary = try TemporaryFolder()
        let grouping = try temporary.write("grouping.yaml", """
            metadata:
              time_point:
                '/data/runA_000.h5': 'repeat=2'
                '/data/runA_001.h5': 'repeat=2'
            grouping:
              merge_by:
                values: [time_point]
            """)
        let stats = "{\"1.03320\": {\"merging_stats\": {\"d_star_sq_min\": [0.01], \"d_star_sq_max\": [0.2], \"overall\": {\"n_uniq\": 3960}}}}"
        let light = peer([grouping, try temporary.write("dials.merge.group_2.json", stats)], laser: "light", in: folder, run: run)
        XCTAssertEqual(light.peerDataset, "group_2")
        let check = try XCTUnwrap(light.checks.first { $0.name == "DIALS grouping" })
        XCTAssertEqual(check.verdict, .passed, check.detail)
        XCTAssertTrue(check.detail.contains("group_1 (time_point=0) = time point dark: 103 indexed images; group_2 (time_point=1) = time point light_10us: 87 indexed images"), check.detail)
        let wrong = peer([grouping, try temporary.write("dials.merge.group_1.json", stats)], laser: "light", in: folder, run: run)
        let failed = try XCTUnwrap(wrong.checks.first { $0.name == "DIALS grouping" })
        XCTAssertEqual(failed.verdict, .failed)
        XCTAssertTrue(failed.detail.contains("group_1 is time point dark, which merge 'light' (run A300, laser light) does not select"), failed.detail)
    }

    /// A pipeline's ISPyB AutoProcContainer XML given for a merge: its Table 1 and program.
    func testISPyBXMLGivesTable1() throws {
        let folder = try samples()
        let (xml, reason) = SharedSamples.path("samples/mx/ispyb-xml/ispyb-api_mx_data_reduction_pipeline_results.xml")
        guard let xml else { throw XCTSkip(reason) }
        let merge = peer([xml], laser: nil, in: folder, run: try ledgerRun(folder))
        XCTAssertEqual(merge.files.map(\.role), ["ispybXML (my_pipeline 1.3.0)"], "\(merge.files)")
        XCTAssertNotNil(merge.table1.overall?.completeness)
        XCTAssertNotNil(merge.table1.outerShell?.resolutionLimitHigh)
    }

    func testFileOfNoMergeIsListedAndTheRestRead() throws {
        let folder = try samples()
        let run = try ledgerRun(folder)
        let light = peer(["A300-split-unity-light.hkl", "synthetic.geom", "/nonexistent/x.log"], laser: "light", in: folder, run: run)
        XCTAssertEqual(light.files.filter { $0.role == "unreadable" }.count, 2)
        XCTAssertTrue(light.issues.contains { $0.file.hasSuffix("synthetic.geom") && $0.reason.contains("not a file of a merge") })
        XCTAssertTrue(light.issues.contains { $0.file == "/nonexistent/x.log" })
        XCTAssertEqual(light.checks.first?.verdict, .notChecked)  // no log: no crystal count
    }
}
