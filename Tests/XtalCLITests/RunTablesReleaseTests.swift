import Foundation
import XCTest
import XtalCore
import XtalIngest
import XtalTestSupport

@testable import XtalCLI

/// Each run is handed over (to the store) with all of its tables as soon as it is read and
/// timed, and keeps only what the stages after the read need (issue 19: the runs' tables
/// no longer all wait in memory for the end of the job).
final class RunTablesReleaseTests: XCTestCase {
    /// What `finishRun` saw of one run.
    struct Handed: Sendable {
        var index: Int
        var images: Int
        var numPeaks: Int
        var crystals: Int
        var cellColumn: Int
        var timed: Bool
    }

    final class Recorder: @unchecked Sendable {
        var handed: [Handed] = []
    }

    func job(_ folder: TemporaryFolder, kept: IngestedRun.KeptTables, merge: Bool) throws -> (
        ExperimentJob, Recorder
    ) {
        let plan = try JobPlan.make(input: folder.url.appendingPathComponent("manifest.yaml").path)
        var options = StreamReadOptions()
        options.parseReflections = merge
        options.workers = 2
        var job = ExperimentJob(runs: plan.runs, options: options, quiet: true)
        let recorder = Recorder()
        job.finishRun = { index, run in
            recorder.handed.append(Handed(
                index: index, images: run.images.count, numPeaks: run.images.numPeaks.count, crystals: run.crystals.count,
                cellColumn: run.crystals.a.count, timed: run.results.timeResolved != nil))
        }
        job.keptAfterFinish = kept
        return (job, recorder)
    }

    func testEachRunIsHandedOverWholeThenKeepsWhatTheLaterStagesRead() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try runBinary(["example", folder.path, "--no-rotation-run", "--images", "900", "-q"]).status, 0)

        let (job, recorder) = try job(folder, kept: .imageIdentities, merge: true)
        let (results, runs, timed) = try job.execute()
        // Handed over in order, each with every column, timed before it was handed over.
        XCTAssertEqual(recorder.handed.map(\.index), Array(runs.indices))
        for (handed, run) in zip(recorder.handed, results.runs) {
            XCTAssertGreaterThan(handed.images, 0)
            XCTAssertEqual(handed.numPeaks, handed.images)
            XCTAssertEqual(handed.cellColumn, handed.crystals)
            XCTAssertEqual(handed.timed, run.timeResolved != nil)
        }
        XCTAssertTrue(recorder.handed.contains(where: \.timed), "the example has a timed run")
        // Afterwards: identities, hits and crystal counts of every image, each crystal's
        // image, and nothing else.
        for (handed, run) in zip(recorder.handed, runs) {
            XCTAssertEqual(run.images.count, handed.images)
            XCTAssertEqual(run.images.filenames.count, handed.images)
            XCTAssertEqual(run.images.events.count, handed.images)
            XCTAssertEqual(run.images.serial.count, handed.images)
            XCTAssertEqual(run.images.hit.count, handed.images)
            XCTAssertTrue(run.images.numPeaks.isEmpty)
            XCTAssertTrue(run.images.peakResolution.isEmpty)
            XCTAssertTrue(run.images.photonEnergy.isEmpty)
            XCTAssertEqual(run.crystals.imageIndex.count, handed.crystals)
            XCTAssertTrue(run.crystals.a.isEmpty)
            XCTAssertNil(run.perImage)
            XCTAssertGreaterThan(run.reflections.count, 0)
        }
        // The split files get the same lean tables.
        XCTAssertFalse(timed.isEmpty)
        for input in timed {
            let run = try XCTUnwrap(runs.first { $0.results.name == input.run.name })
            XCTAssertEqual(input.images.count, run.images.count)
            XCTAssertTrue(input.images.numPeaks.isEmpty)
        }
    }

    func testWithoutMergingOnlyTimedRunsKeepTheirImages() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try runBinary(["example", folder.path, "--no-rotation-run", "--images", "900", "-q"]).status, 0)
        let (job, recorder) = try job(folder, kept: .none, merge: false)
        let (results, runs, _) = try job.execute()
        XCTAssertEqual(recorder.handed.count, runs.count)
        for (handed, (run, summary)) in zip(recorder.handed, zip(runs, results.runs)) {
            XCTAssertGreaterThan(handed.images, 0)
            if summary.timeResolved != nil {
                XCTAssertEqual(run.images.count, handed.images, summary.name)
                XCTAssertEqual(run.images.filenames.count, run.images.count, summary.name)
            } else {
                XCTAssertEqual(run.images.count, 0, summary.name)
                XCTAssertEqual(run.crystals.imageIndex.count, 0, summary.name)
            }
        }
    }
}
