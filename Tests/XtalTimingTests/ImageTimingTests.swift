import XCTest
import XtalCore

@testable import XtalTiming

/// The per-image table and the per-time-point reduction on runs built in memory.
final class ImageTimingTests: XCTestCase {
    let probe = TimingEvent(type: .xrayDetection, name: "Xray probe", offset: 0, duration: 0.01, period: 0.01, repetition: 1)
    let pump = TimingEvent(type: .laserExcitation, name: "pump", offset: -0.00001, duration: 0.000005, repetition: 1)

    func analyse(_ run: SyntheticRun, _ chain: EventChain, frameStart: [Double]? = nil) -> TimedRun {
        TimeResolvedAnalysis.analyse(
            run: "r", selection: ChainSelection(chain: chain, delayUnknownReason: nil, notes: []), images: run.images,
            crystals: run.crystals, accumulator: run.accumulator, frameStart: frameStart)
    }

    /// The time points partition the run: sums equal the run's totals, every frame has one.
    func assertPartition(_ timed: TimedRun, _ run: SyntheticRun, file: StaticString = #filePath, line: UInt = #line) {
        let points = timed.results.timePoints
        let total = run.accumulator.finalize()
        XCTAssertEqual(points.reduce(0) { $0 + $1.imagesCollected }, timed.timing.collected, file: file, line: line)
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.hits }, total.hits, file: file, line: line)
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.crystals }, total.crystals, file: file, line: line)
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.images }, total.images, file: file, line: line)
        XCTAssertTrue(timed.results.invariants.sumsMatchRun, file: file, line: line)
        XCTAssertEqual(timed.results.invariants.imagesUnassigned, 0, file: file, line: line)
        XCTAssertTrue(timed.timing.timePointOfFrame.allSatisfy { $0 >= 0 && Int($0) < points.count }, file: file, line: line)
    }

    /// A chain from anywhere with repetitions no Int holds (1e300, infinity) is bounded,
    /// not a trap; the manifest refuses them by name (ManifestTests).
    func testHugeRepetitionsAreBounded() {
        var chain = EventChain(name: "huge", events: [probe, pump])
        chain.events[0].repetition = 1e300
        chain.events[1].repetition = .infinity
        chain.events[1].period = 1e-3
        XCTAssertEqual(chain.shotsPerPosition, 1_000_000)
        XCTAssertEqual(ChainTimeline(chain).pumpStarts.count, 1)
        chain.events[1].repetition = 1e300
        XCTAssertEqual(ChainTimeline(chain).pumpStarts.count, 1_000_000)
    }

    func testWorkedDoseSeriesExample() {
        // time-resolved.md §8: N = 3, delay 0.5 s, 10 ms exposures, 25600 frames; only hits
        // are in the stream, every frame was processed.
        var chain = EventChain(name: "dose", events: [probe, pump])
        chain.events[0].repetition = 3
        chain.events[1].offset = -0.5
        let hits = Set(stride(from: 0, to: 25600, by: 7))
        let run = SyntheticRun(frames: hits.sorted(), hits: hits, collected: 25600)
        let timed = analyse(run, chain)
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["light_500ms", "light_510ms", "light_520ms"])
        XCTAssertEqual(timed.results.timePoints.map(\.imagesCollected), [8534, 8533, 8533])
        XCTAssertEqual(timed.results.timePoints.map(\.dosePoint), [0, 1, 2])
        XCTAssertEqual(timed.timing.delay[1], 0.51, accuracy: 1e-12)
        XCTAssertEqual(timed.timing.dosePoint(frame: 3), 0)
        XCTAssertEqual(timed.timing.frameIndexBasis, "event //N")
        assertPartition(timed, run)
    }

    func testInterleavedLightDarkFromTheHeaderAlone() {
        let frames = Array(0..<200)
        let hits = Set(frames.filter { $0 % 5 == 0 || $0 % 7 == 0 })
        let run = SyntheticRun(frames: frames, hits: hits, laserOn: { $0 % 2 == 0 ? 1 : 0 })
        let timed = analyse(run, EventChain(name: "pp", events: [probe, pump]))
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["dark", "light_10us"])
        XCTAssertEqual(timed.results.timePoints.map(\.imagesCollected), [100, 100])
        XCTAssertEqual(timed.results.timePoints.map(\.laserOn), [false, true])
        XCTAssertEqual(timed.results.timePoints[1].delay!, 0.00001, accuracy: 1e-15)
        assertPartition(timed, run)
        let light = frames.filter { $0 % 2 == 0 && hits.contains($0) }.count
        XCTAssertEqual(timed.results.lightDark?.light.hits, light)
        XCTAssertEqual(timed.results.lightDark?.dark.hits, hits.count - light)
        // Crystals on light frames have a = 80 Å, on dark ones 79 Å: a real difference.
        let a = timed.results.lightDark!.differences.first { $0.quantity == "a" }!
        XCTAssertEqual(a.difference!, 1, accuracy: 1e-6)
        XCTAssertEqual(a.uncertainty!, 0, accuracy: 1e-9)
    }

    func testHeaderOnlyAndNonHitsLeftOutLeavesFramesUnassignedAndSaysSo() {
        let hits = Set([0, 3, 4, 9])
        let run = SyntheticRun(frames: hits.sorted(), hits: hits, laserOn: { $0 % 2 == 0 ? 1 : 0 }, collected: 10)
        let timed = analyse(run, EventChain(name: "pp", events: [probe, pump]))
        XCTAssertEqual(timed.results.invariants.imagesUnassigned, 6)
        XCTAssertEqual(timed.results.invariants.imagesAssigned, 4)
        XCTAssertTrue(timed.results.invariants.sumsMatchRun)
        XCTAssertTrue(timed.results.invariants.problems.contains { $0.contains("laser_pattern") })
    }

    func testDeclaredInterleaveAssignsFramesLeftOutAndCountsHeaderDisagreements() {
        let hits = Set([0, 3, 4, 9])
        // Frame 4 claims laser off although the pattern says light.
        let run = SyntheticRun(frames: hits.sorted(), hits: hits, laserOn: { $0 == 4 ? 0 : ($0 % 2 == 0 ? 1 : 0) }, collected: 10)
        var chain = EventChain(name: "pp", events: [probe, pump])
        chain.laserPattern = .interleave(stride: 2)
        let timed = analyse(run, chain)
        XCTAssertEqual(timed.results.timePoints.map(\.imagesCollected), [6, 4])
        XCTAssertEqual(timed.results.invariants.headerPatternDisagreements, 1)
        assertPartition(timed, run)
    }

    func testCheckerPatternPumpsEveryOtherPosition() {
        var chain = EventChain(name: "checker", events: [probe, pump])
        chain.events[0].repetition = 2
        chain.laserPattern = .checker
        let run = SyntheticRun(frames: Array(0..<8), hits: [0, 1, 2, 3, 4, 5, 6, 7])
        let timed = analyse(run, chain)
        let light = (0..<8).filter { timed.timing.laser[$0] == .on }
        XCTAssertEqual(light, [0, 1, 4, 5])
        XCTAssertEqual(
            timed.results.timePoints.map(\.label), ["dark_dose_1", "dark_dose_2", "light_10us", "light_10.01ms"])
        assertPartition(timed, run)
    }

    func testMeasuredFrameTimesReplaceTheNominalProbeSpacing() {
        var chain = EventChain(name: "dose", events: [probe, pump])
        chain.events[0].repetition = 2
        let run = SyntheticRun(frames: [0, 1, 2, 3], hits: [0, 1, 2, 3])
        // The second shot of each position started 12 ms after the first, not 10 ms.
        let timed = analyse(run, chain, frameStart: [0, 0.012, 0.1, 0.112])
        XCTAssertFalse(timed.timing.measured[0])
        XCTAssertTrue(timed.timing.measured[1])
        XCTAssertEqual(timed.timing.delay[1], 0.01201, accuracy: 1e-12)
        XCTAssertEqual(timed.results.timePoints[1].delay!, 0.01001, accuracy: 1e-12)
        XCTAssertTrue(timed.results.timePoints[1].delaySource.contains("measured (frame start times) for 2 of 2 images"))
    }

    func testDelayHeaderGivesMeasuredDelays() {
        var run = SyntheticRun(frames: [0, 1], hits: [0, 1])
        var headers = HeaderColumns()
        let column = headers.columnIndex(for: "header/float//entry/data/delay", kind: .float)
        headers.appendImage(numeric: [(column, 0.0000105)], text: [])
        headers.appendImage(numeric: [(column, 0.0000098)], text: [])
        run.images.headers = headers
        var chain = EventChain(name: "pp", events: [probe, pump])
        chain.delayHeader = "header/float//entry/data/delay"
        let timed = analyse(run, chain)
        XCTAssertEqual(timed.timing.delay[0], 0.0000105)
        XCTAssertTrue(timed.timing.measured[1])
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["light_10us"])
    }

    func testReactionTriggerGivesReactionTimes() {
        let chain = EventChain(
            name: "mix",
            events: [probe, TimingEvent(type: .reactionTrigger, name: "mix", offset: -0.25, component: "substrate")])
        let run = SyntheticRun(frames: [0, 1, 2], hits: [1])
        let timed = analyse(run, chain)
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["t_250ms"])
        XCTAssertEqual(timed.results.timePoints[0].laserOn, nil)
        assertPartition(timed, run)
    }

    func testLightDarkUncertaintyIsBinomial() {
        var light = StatisticsAccumulator()
        light.images = 100
        light.hits = 50
        var dark = StatisticsAccumulator()
        dark.images = 100
        dark.hits = 30
        let hitRate = LightDarkComparator.compare(light: light, dark: dark).differences[0]
        XCTAssertEqual(hitRate.difference!, 0.2, accuracy: 1e-12)
        XCTAssertEqual(hitRate.uncertainty!, (0.25 / 100 + 0.21 / 100).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(hitRate.exceedsUncertainty)
    }
}
