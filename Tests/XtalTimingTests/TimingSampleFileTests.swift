import XCTest
import XtalCore
import XtalExample
import XtalIngest
import XtalNexus
import XtalTestSupport

import XtalMerge
@testable import XtalTiming

/// Timing from real pump-probe master files (shared/samples/nexus/generated) and from the
/// example generator's time-resolved run.
final class TimingSampleFileTests: XCTestCase {
    func timedFromNote(_ relative: String) throws -> (TimedRun, ChainSelection) {
        let (path, reason) = SharedSamples.path(relative)
        guard let path else { throw XCTSkip(reason) }
        let master = try NexusMasterReader.read(path: path)
        let selection = try XCTUnwrap(ChainSelection.select(manifest: nil, metadata: master.metadata))
        var accumulator = StatisticsAccumulator()
        accumulator.declareCollectedImages(master.metadata.images?.count ?? 0)
        let timed = TimeResolvedAnalysis.analyse(
            run: "sample", selection: selection, images: ImageTable(), crystals: CrystalTable(), accumulator: accumulator,
            frameStart: master.perImage.frameStart)
        return (timed, selection)
    }

    func testFixedTargetNoteDelayIsNotTrusted() throws {
        let (timed, selection) = try timedFromNote("samples/nexus/generated/i24_fixed_target_pump_probe/i24_ft_pp_01.nxs")
        XCTAssertNotNil(selection.delayUnknownReason, "pump_delay 0.005 = pump_exposure: the nexgen defect")
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["light"])
        XCTAssertEqual(timed.results.timePoints.map(\.imagesCollected), [800])
        XCTAssertNil(timed.results.timePoints[0].delay)
        XCTAssertTrue(timed.results.timePoints[0].delaySource.hasPrefix("unknown"))
        XCTAssertEqual(timed.results.shotsPerPosition, 1)
        XCTAssertEqual(timed.results.invariants.imagesAssigned, 800)
    }

    func testExtruderNoteDelayIsNotTrusted() throws {
        let (timed, selection) = try timedFromNote("samples/nexus/generated/i24_extruder_pump_probe/i24_ext_pp_01.nxs")
        XCTAssertNotNil(selection.delayUnknownReason)
        XCTAssertEqual(timed.results.timePoints.map(\.imagesCollected), [1000])
    }

    func testJungfrauNoteDelayIsUsed() throws {
        let (timed, selection) = try timedFromNote("samples/nexus/generated/i24_jungfrau1m_stills_pump_probe/i24_jf1m_pp_01.nxs")
        XCTAssertNil(selection.delayUnknownReason)
        XCTAssertEqual(timed.results.timePoints.map(\.label), ["light_2ms"])
        XCTAssertEqual(timed.results.timePoints[0].delay!, 0.002, accuracy: 1e-12)
        XCTAssertEqual(timed.results.timePoints[0].imagesCollected, 500)
    }

    func testManifestChainWinsOverAnUntrustedNoteAndSaysSo() throws {
        let (path, reason) = SharedSamples.path("samples/nexus/generated/i24_fixed_target_pump_probe/i24_ft_pp_01.nxs")
        guard let path else { throw XCTSkip(reason) }
        let master = try NexusMasterReader.read(path: path)
        let chain = EventChain(
            name: "requested",
            events: [
                TimingEvent(type: .xrayDetection, offset: 0, duration: 0.01, period: 0.01, repetition: 1),
                TimingEvent(type: .laserExcitation, offset: -0.5, duration: 0.005),
            ], convention: .i24FixedTarget)
        let selection = try XCTUnwrap(ChainSelection.select(manifest: chain, metadata: master.metadata))
        XCTAssertNil(selection.delayUnknownReason)
        XCTAssertTrue(selection.notes.contains { $0.contains("nexgen defect") })
    }

    func testExampleTimeResolvedRunPartitionsAndSplitsListEveryHit() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 1500, seed: 3).write(to: folder.path)
        let loaded = try LoadedManifest.load(path: written.manifestPath)
        let run = loaded.manifest.runs[2]
        let chain = try XCTUnwrap(loaded.eventChain(for: run))
        XCTAssertEqual(chain.laserPattern, .interleave(stride: 2))
        let ingested = try RunIngestor.ingest(
            RunInput(
                name: run.name, streams: run.results.map(loaded.resolve), indexamajigLog: run.indexamajigLog.map(loaded.resolve),
                master: run.master.map(loaded.resolve)))
        let selection = try XCTUnwrap(ChainSelection.select(manifest: chain, metadata: ingested.results.metadata))
        let timed = TimeResolvedAnalysis.analyse(
            run: run.name, selection: selection, images: ingested.images, crystals: ingested.crystals,
            accumulator: ingested.accumulator, frameStart: ingested.perImage?.frameStart)
        let s = ingested.results.statistics
        let points = timed.results.timePoints
        XCTAssertEqual(points.map(\.label), ["dark", "light_10us"])
        XCTAssertEqual(points.map(\.imagesCollected), [250, 250])
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.hits }, s.hits)
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.images }, s.images)
        XCTAssertEqual(points.reduce(0) { $0 + $1.statistics.crystals }, s.crystals)
        XCTAssertEqual(timed.results.invariants.headerPatternDisagreements, 0, "the laser_on header follows the interleave")
        XCTAssertTrue(timed.results.invariants.sumsMatchRun)

        let out = try TemporaryFolder()
        let summary = try SplitFilesWriter.write(
            [.init(run: timed, images: ingested.images, imageFile: run.master.map(loaded.resolve))],
            labels: TimePointCombiner([timed]).timePoints.map(\.label), outputDirectory: out.path)
        XCTAssertTrue(summary.consistent)
        XCTAssertEqual(summary.hitsListed, s.hits)
        XCTAssertEqual(summary.hitsInRuns, s.hits)
        XCTAssertEqual(summary.dialsGroups.map(\.images), [250, 250])
        let split = try CustomSplitFile.read(path: summary.customSplit).datasetsByKey
        for row in 0..<ingested.images.count where ingested.images.hit[row] {
            let key = ingested.images.filenames[row] + " " + ingested.images.events[row]
            let frame = Int(ingested.images.events[row].dropFirst(2))!
            XCTAssertEqual(split[key], frame % 2 == 0 ? "light_10us" : "dark", key)
        }
        let tsv = try String(contentsOfFile: out.url.appendingPathComponent("time-resolved/per-image.tsv").path, encoding: .utf8)
        XCTAssertEqual(tsv.split(separator: "\n").count, 1 + 500)
    }
}
