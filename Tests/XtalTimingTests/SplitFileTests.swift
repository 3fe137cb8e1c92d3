import XCTest
import XtalCore
import XtalTestSupport
import Yams

import XtalMerge
@testable import XtalTiming

/// The partialator custom split and the DIALS grouping YAML: exact format, index basis,
/// and the group-size guard.
final class SplitFileTests: XCTestCase {
    let probe = TimingEvent(type: .xrayDetection, offset: 0, duration: 0.01, period: 0.01, repetition: 3)
    let pump = TimingEvent(type: .laserExcitation, offset: -0.5, duration: 0.005, repetition: 1)

    func doseSeries(frames: [Int], collected: Int? = nil) -> (SyntheticRun, TimedRun) {
        let run = SyntheticRun(frames: frames, hits: Set(frames), collected: collected)
        let timed = TimeResolvedAnalysis.analyse(
            run: "chip1", selection: ChainSelection(chain: EventChain(name: "d", events: [probe, pump]), notes: []),
            images: run.images, crystals: run.crystals, accumulator: run.accumulator)
        return (run, timed)
    }

    func testCustomSplitLinesMatchTheWorkedExample() throws {
        let folder = try TemporaryFolder()
        let (run, timed) = doseSeries(frames: [0, 1, 2, 3])
        let path = folder.url.appendingPathComponent("split.txt").path
        let written = try CustomSplitWriter.write([(run.images, timed.timing)], to: path)
        XCTAssertEqual(
            try String(contentsOfFile: path, encoding: .utf8),
            """
            /data/chip1_master.h5 //0 light_500ms
            /data/chip1_master.h5 //1 light_510ms
            /data/chip1_master.h5 //2 light_520ms
            /data/chip1_master.h5 //3 light_500ms

            """)
        XCTAssertEqual(written.lines, 4)
        XCTAssertEqual(written.hitsListed, 4)
        XCTAssertTrue(written.readBackMatches)
        XCTAssertEqual(written.problems, [])
    }

    func testPartialatorParsingRules() throws {
        // Filenames may contain spaces; the token before the dataset is an event only with "//".
        let parsed = CustomSplitFile.parse("my data/run 1.h5 //7 dark\nsingle image.cbf light_10us\n", path: "s.txt")
        XCTAssertEqual(parsed.datasetsByKey, ["my data/run 1.h5 //7": "dark", "single image.cbf //": "light_10us"])
        XCTAssertEqual(CustomSplitFile.parse("nodataset\n", path: "s.txt").issues.map(\.line), [1])
    }

    func testGroupingYAMLIsValidAndUsesRepeatForADoseSeries() throws {
        let folder = try TemporaryFolder()
        let (_, timed) = doseSeries(frames: Array(0..<25600))
        let yaml = folder.url.appendingPathComponent("grouping.yaml").path
        let arrays = folder.url.appendingPathComponent("values.h5").path
        let labels = timed.results.timePoints.map(\.label)
        let expected = Dictionary(uniqueKeysWithValues: timed.results.timePoints.map { ($0.label, $0.imagesCollected) })
        let result = try DIALSGroupingFile.write(
            [.init(name: "chip1", imageFile: "/data/chip1_master.h5", timing: timed.timing)], labels: labels,
            expectedImages: expected, yamlPath: yaml, arraysPath: arrays)
        XCTAssertFalse(result.usedArrays)
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.groups.map(\.name), ["group_1", "group_2", "group_3"])
        XCTAssertEqual(result.groups.map(\.images), [8534, 8533, 8533])
        let text = try String(contentsOfFile: yaml, encoding: .utf8)
        XCTAssertTrue(text.contains("0-based"), "the index basis is stated")
        let node = try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any])
        let metadata = try XCTUnwrap(node["metadata"] as? [String: [String: Any]])
        XCTAssertEqual(metadata["time_point"]?["/data/chip1_master.h5"] as? String, "repeat=3")
        let grouping = try XCTUnwrap(node["grouping"] as? [String: [String: [String]]])
        XCTAssertEqual(grouping["merge_by"]?["values"], ["time_point"])
        XCTAssertEqual(grouping["split_by"]?["values"], ["time_point"])
    }

    func testIrregularPatternsGoIntoAnArrayFileThatIsReadBack() throws {
        let folder = try TemporaryFolder()
        let frames = Array(0..<50)
        let run = SyntheticRun(frames: frames, hits: [1, 2], laserOn: { $0 % 3 == 0 ? 1 : 0 })
        let timed = TimeResolvedAnalysis.analyse(
            run: "it's run 1",
            selection: ChainSelection(
                chain: EventChain(name: "pp", events: [TimingEvent(type: .xrayDetection, offset: 0), pump]), notes: []),
            images: run.images, crystals: run.crystals, accumulator: run.accumulator)
        let yaml = folder.url.appendingPathComponent("g.yaml").path
        let arrays = folder.url.appendingPathComponent("v.h5").path
        let result = try DIALSGroupingFile.write(
            [.init(name: "it's run 1", imageFile: "/data/it's.nxs", timing: timed.timing)], labels: ["dark", "light_500ms"],
            expectedImages: ["dark": 33, "light_500ms": 17], yamlPath: yaml, arraysPath: arrays)
        XCTAssertTrue(result.usedArrays)
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.groups.map(\.images), [33, 17])
        let node = try XCTUnwrap(try Yams.load(yaml: String(contentsOfFile: yaml, encoding: .utf8)) as? [String: Any])
        let metadata = try XCTUnwrap(node["metadata"] as? [String: [String: String]])
        XCTAssertEqual(metadata["time_point"]?["/data/it's.nxs"], arrays + ":/it_s_run_1/time_point")
    }

    func testTheGuardCatchesEveryImageInTheFirstGroup() throws {
        // dials PR #3094: all images assigned to the first group. Evaluate such a spec.
        let (_, timed) = doseSeries(frames: Array(0..<30))
        let (groups, problems) = try DIALSGroupingFile.evaluate(
            runs: [.init(name: "r", imageFile: "/d.h5", timing: timed.timing)], specs: [.constant(0)], arraysPath: "",
            labels: ["light_500ms", "light_510ms", "light_520ms"],
            expectedImages: ["light_500ms": 10, "light_510ms": 10, "light_520ms": 10])
        XCTAssertEqual(groups.map(\.images), [30])
        XCTAssertEqual(problems.count, 3)
    }

    func testSimplestSpec() {
        XCTAssertEqual(DIALSGroupingFile.simplestSpec([2, 2, 2], dataset: "/x"), .constant(2))
        XCTAssertEqual(DIALSGroupingFile.simplestSpec([0, 1, 0, 1, 0], dataset: "/x"), .repeating(2))
        XCTAssertEqual(DIALSGroupingFile.simplestSpec([1, 0, 1, 0], dataset: "/x"), .array(dataset: "/x"))
    }
}
