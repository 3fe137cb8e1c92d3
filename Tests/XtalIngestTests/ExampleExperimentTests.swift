import XCTest
import XtalCore
import XtalExample
import XtalTestSupport

@testable import XtalIngest

/// The generator's streams, read back, give exactly the counts it wrote into its logs.
final class ExampleExperimentTests: XCTestCase {
    func testGeneratedRunsReadBackToTheirOwnCounts() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 900, seed: 7).write(to: folder.path)
        XCTAssertEqual(written.streams.count, 3)
        let manifest = try LoadedManifest.load(path: written.manifestPath)
        XCTAssertEqual(manifest.manifest.runs.map(\.name), ["run01", "run02", "run03"])

        for (i, run) in manifest.manifest.runs.enumerated() {
            let input = RunInput(
                name: run.name, streams: run.results.map(manifest.resolve),
                indexamajigLog: run.indexamajigLog.map(manifest.resolve))
            let ingested = try RunIngestor.ingest(input)
            let s = ingested.results.statistics
            let counts = written.counts[i]
            XCTAssertEqual(s.images, counts.images, run.name)
            XCTAssertEqual(s.chunks, counts.chunksWritten, run.name)
            XCTAssertEqual(s.hits, counts.hits, run.name)
            XCTAssertEqual(s.indexedFrames, counts.indexed, run.name)
            XCTAssertEqual(s.crystals, counts.crystals, run.name)
            XCTAssertTrue(ingested.results.accounting.isComplete, run.name)
            XCTAssertEqual(ingested.results.issues, [], run.name)
            XCTAssertEqual(ingested.results.provenance.first?.minPeaks, 10)
            // Two "workers" swap neighbouring chunks; run03 keeps only hits, so a swap there
            // is rare at this size and only the full runs are checked.
            if i < 2 {
                let serials = ingested.images.serial
                XCTAssertNotEqual(serials, serials.sorted(), "\(run.name): chunks should be out of order")
            }
        }
    }

    func testPumpProbeRunHasInterleavedLaserFlagAndLeavesNonHitsOut() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 3000, seed: 3).write(to: folder.path)
        let run = try RunIngestor.ingest(RunInput(name: "run03", streams: [written.streams[2]], indexamajigLog: written.logs[2]))
        XCTAssertEqual(run.results.imageCountSource, "indexamajig log")
        XCTAssertEqual(run.results.statistics.images, 1000)
        XCTAssertEqual(run.results.statistics.hitLines.hit0, 0)
        XCTAssertTrue(run.results.provenance.first!.nonHitsLeftOut)
        XCTAssertEqual(run.results.accounting.imagesNotInStream, 1000 - run.results.statistics.chunks)
        let laser = try XCTUnwrap(run.images.headers.column("header/int//entry/data/laser_on"))
        for i in 0..<run.images.count {
            let event = run.images.events[i]
            let index = try XCTUnwrap(Int(event.dropFirst(2)))
            XCTAssertEqual(laser.numbers[i], index % 2 == 0 ? 1 : 0)
        }
        // Multi-lattice frames and mis-indexed outliers make the distributions realistic.
        let ex = try RunIngestor.ingest(RunInput(name: "run01", streams: [written.streams[0]]))
        XCTAssertGreaterThan(ex.results.statistics.multiLatticeFrames, 0)
        XCTAssertGreaterThan(ex.results.statistics.cell.a.histogram!.excluded, 0)
        XCTAssertNotNil(ex.results.statistics.latticeTypes["orthorhombic"])
    }

    func testSameSeedWritesIdenticalFiles() throws {
        let a = try TemporaryFolder()
        let b = try TemporaryFolder()
        let wa = try ExampleExperiment(totalImages: 300, seed: 11).write(to: a.path)
        let wb = try ExampleExperiment(totalImages: 300, seed: 11).write(to: b.path)
        for (x, y) in zip(wa.streams + wa.logs, wb.streams + wb.logs) {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: x)), try Data(contentsOf: URL(fileURLWithPath: y)))
        }
    }
}
