import XCTest
import XtalCore
import XtalTestSupport

import XtalMerge
@testable import XtalTiming

/// The split files written as bytes: the custom split's fast path gives the checked path's
/// file and counts whenever it is taken, and hands every line that is not plain to it; the
/// per-image table says what string formatting of its fields says.
final class SplitFileBytesTests: XCTestCase {
    let probe = TimingEvent(type: .xrayDetection, offset: 0, duration: 0.01, period: 0.01, repetition: 3)
    let pump = TimingEvent(type: .laserExcitation, offset: -0.5, duration: 0.005, repetition: 1)

    func timed(_ run: SyntheticRun) -> TimedRun {
        TimeResolvedAnalysis.analyse(
            run: "chip1", selection: ChainSelection(chain: EventChain(name: "d", events: [probe, pump]), notes: []),
            images: run.images, crystals: run.crystals, accumulator: run.accumulator)
    }

    /// `run` with the filename and event of each row replaced by `identity(row)` (raw bytes).
    func renamed(_ run: SyntheticRun, _ identity: (Int) -> (name: [UInt8], event: [UInt8])) -> SyntheticRun {
        var run = run
        var names = StringColumn(), events = StringColumn()
        for row in 0..<run.images.count {
            let (name, event) = identity(row)
            name.withUnsafeBytes { names.append($0) }
            event.withUnsafeBytes { events.append($0) }
        }
        run.images.filenames = names
        run.images.events = events
        return run
    }

    /// Writes the split both ways; returns whether the fast path took it.
    @discardableResult
    func assertBothPathsAgree(_ runs: [SyntheticRun], file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let folder = try TemporaryFolder()
        let inputs = runs.map { ($0.images, timed($0).timing) }
        // One path for both: the problems name the file.
        let path = folder.url.appendingPathComponent("custom-split.txt").path
        let a = try CustomSplitWriter.write(inputs, to: path)
        let fastBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let b = try CustomSplitWriter.writeCheckingEachLine(inputs, to: path)
        XCTAssertEqual(a, b, file: file, line: line)
        XCTAssertEqual(fastBytes, try Data(contentsOf: URL(fileURLWithPath: path)), file: file, line: line)
        var bytes: [UInt8] = []
        return PlainCustomSplit.lines(inputs, into: &bytes, afterEachLine: { _ in }) != nil
    }

    func testPlainLinesTakeTheFastPathAndReadBackAsWritten() throws {
        let run = SyntheticRun(frames: Array(0..<300), hits: Set(stride(from: 0, to: 300, by: 2)))
        XCTAssertTrue(try assertBothPathsAgree([run]))
        let single = renamed(run) { (Array("/data/img_\($0).cbf".utf8), []) }
        XCTAssertTrue(try assertBothPathsAgree([single]), "files of one image: two fields a line")
        let other = SyntheticRun(frames: Array(0..<50), hits: [1, 2], filename: "/data/chip2_master.h5")
        XCTAssertTrue(try assertBothPathsAgree([run, other]), "two runs, different files")
    }

    func testEveryLineThatIsNotPlainGoesThroughTheCheckedPath() throws {
        let run = SyntheticRun(frames: Array(0..<30), hits: Set(0..<30))
        func replacing(row target: Int, name: String? = nil, event: [UInt8]? = nil) -> SyntheticRun {
            renamed(run) { row in
                let plain = (Array("/data/chip1_master.h5".utf8), Array("//\(row)".utf8))
                guard row == target else { return plain }
                return (name.map { Array($0.utf8) } ?? plain.0, event ?? plain.1)
            }
        }
        let cases: [(String, SyntheticRun)] = [
            ("a space in the filename", replacing(row: 4, name: "/data/my chip.h5")),
            ("a tab in the filename", replacing(row: 4, name: "/data/my\tchip.h5")),
            ("an event without //", replacing(row: 7, event: Array("7".utf8))),
            ("an event with a space", replacing(row: 7, event: Array("//7 8".utf8))),
            ("the same frame twice", replacing(row: 9, event: Array("//3".utf8))),
            ("an empty filename", replacing(row: 2, name: "")),
            ("a non-ASCII filename", replacing(row: 2, name: "/data/lysozym-Kristall-ä.h5")),
            ("invalid UTF-8", replacing(row: 2, event: [0x2F, 0x2F, 0xFF])),
            ("a line longer than partialator's buffer", replacing(row: 5, name: "/" + String(repeating: "d", count: 1100))),
        ]
        for (what, variant) in cases {
            XCTAssertFalse(try assertBothPathsAgree([variant]), what)
        }
        // Two runs naming the same frame.
        XCTAssertFalse(try assertBothPathsAgree([run, run]), "the same frames in two runs")
        // A frame without an event and the same file's "//" key.
        let keyed = renamed(run) { row in (Array("/data/one.h5".utf8), row == 0 ? [] : Array("//\(row == 1 ? "" : String(row))".utf8)) }
        XCTAssertFalse(try assertBothPathsAgree([keyed]), "'name' and 'name //' are one key to partialator")
    }

    func testPerImageTableFieldByField() throws {
        // 12 frames collected, 3 of them not in the stream; the dose series' nominal delays.
        let run = SyntheticRun(frames: [0, 1, 2, 4, 5, 6, 8, 9, 10], hits: [0, 2, 5, 9], collected: 12)
        let timedRun = timed(run)
        let input = SplitFilesWriter.Input(run: timedRun, images: run.images, imageFile: nil)
        let text = String(decoding: PerImageTimingTable.bytes([input, input]), as: UTF8.self)
        // The same fields formatted as strings, one line per collected frame.
        var expected = PerImageTimingTable.header + "\n"
        let timing = timedRun.timing
        for _ in 0..<2 {
            var rowOfFrame = [Int](repeating: -1, count: timing.collected)
            for (row, frame) in timing.frameOfRow.enumerated() { rowOfFrame[frame] = row }
            for frame in 0..<timing.collected {
                let row = rowOfFrame[frame]
                let point = timing.timePointOfFrame[frame]
                let laser = [ImageTiming.LaserState.on: "on", .off: "off", .notApplicable: "n/a", .unknown: "unknown"][timing.laser[frame]]!
                let delay = timing.delay[frame]
                let fields: [String] = [
                    "chip1", String(frame), row >= 0 ? run.images.filenames[row] : "-", row >= 0 ? run.images.events[row] : "-",
                    point < 0 ? "-" : timing.timePoints[Int(point)].label, laser,
                    delay.isNaN ? "-" : String(format: "%.9g", delay),
                    delay.isNaN ? "-" : timing.measured[frame] ? "measured" : "nominal",
                    String(timing.dosePoint(frame: frame)), row >= 0 ? "1" : "0", row >= 0 && run.images.hit[row] ? "1" : "0",
                    row >= 0 ? String(run.images.crystalCount[row]) : "-",
                ]
                expected += fields.joined(separator: "\t") + "\n"
            }
        }
        XCTAssertEqual(text, expected)
        XCTAssertEqual(text.split(separator: "\n").count, 1 + 24)
        XCTAssertTrue(text.contains("chip1\t3\t-\t-\t"), "a frame left out of the stream")
    }
}
