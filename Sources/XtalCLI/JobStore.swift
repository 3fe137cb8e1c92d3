import ArgumentParser
import Foundation
import XtalCore
import XtalIngest
import XtalStore

/// The store side of `run`: opened before the streams are read, given each run as soon as
/// it is read and timed (so that its per-image tables can leave memory before the next run
/// is read), and finished after the merge with the merged datasets.
///
/// A failure is kept, not thrown, until the job's files are written: summary.json and the
/// report never wait on a database that is down or refuses a run. `finish` then says what
/// failed (exit 69, or 73 for a full disk, or 64 for a --db that names nothing), and the
/// runs after a failed one are not written, as when the whole job was stored at its end.
///
/// The runs are written on a thread of the store's own, one behind the read: the next run
/// is parsed and assembled meanwhile, and the last one is written while the split files,
/// the merge and the report are made. At most one run waits to be written (`write` waits
/// for the one before), so at most one run's full tables outlive its read. The store's
/// state is touched only on that thread, and by `finish` after it has drained.
final class JobStore: @unchecked Sendable {
    private let writer = DispatchQueue(label: "xtalreport.store")
    /// One run handed over and not yet written, at most.
    private let handedOver = DispatchSemaphore(value: 1)
    private let inputs: [RunInput]
    private let outputDirectory: String
    private let location: StoreLocation?
    private var session: StoreSession?
    private var failure: (message: String, code: ExitCode)?

    /// Opens the store `options` name for `plan`'s runs; nil with --no-store.
    init?(options: StoreCommandOptions, plan: JobPlan, outputDirectory: String, summaryPath: String) {
        guard !options.noStore else { return nil }
        inputs = plan.runs
        self.outputDirectory = outputDirectory
        do {
            location = try options.database.location(
                defaultSQLite: URL(fileURLWithPath: outputDirectory).appendingPathComponent("xtalreport.sqlite").path)
        } catch {
            location = nil
            failure = ("store: \(error)", ExitStatus.usage)
            return
        }
        let job = StoreJob(
            experiment: plan.experiment, visit: options.session ?? plan.session, sample: plan.sample,
            components: plan.components, outputDirectory: outputDirectory, summaryFile: summaryPath,
            commandLine: (["xtalreport"] + CommandLine.arguments.dropFirst()).joined(separator: " "), runs: [])
        var storeOptions = StoreOptions()
        storeOptions.createCollections = options.createCollections
        storeOptions.perImage = !options.noPerImage
        storeOptions.pauseAfterFind = ProcessInfo.processInfo.environment["XTALREPORT_TEST_STORE_PAUSE"].flatMap(Double.init) ?? 0
        let keys = plan.runs.map { StoreJob.RunKey(name: $0.name, master: $0.master, dataCollectionId: $0.dataCollectionId) }
        do {
            session = try StoreSession(store: ResultStore.open(location!), job: job, keys: keys, options: storeOptions)
        } catch {
            keep(error)
        }
    }

    /// Hands run `index` of the plan over to be written in its transaction (nothing after a
    /// failure); waits while the run before it is still being written.
    func write(_ index: Int, _ run: IngestedRun) {
        handedOver.wait()
        writer.async { [self] in
            defer { handedOver.signal() }
            writeNow(index, run)
        }
    }

    /// Returns once every run handed over is written (or refused).
    func waitForWrites() { writer.sync {} }

    private func writeNow(_ index: Int, _ run: IngestedRun) {
        guard let session else { return }
        let input = inputs[index]
        var stored = StoreJob.Run(
            results: run.results, images: run.images, crystals: run.crystals,
            frameIndex: FrameIndices.resolve(run.images, limit: max(run.accumulator.imagesCollected, run.images.count)).index,
            master: input.master, dataCollectionId: input.dataCollectionId,
            eventChain: run.results.timeResolved?.chain ?? input.eventChain)
        stored.imageQuality = run.imageQuality
        do {
            try session.write(stored)
        } catch {
            keep(error)
        }
    }

    /// Writes the merged datasets, prints what went where, and returns it; throws what
    /// failed on the way (after printing it).
    @discardableResult
    func finish(_ results: ExperimentResults) throws -> StoreReport? {
        waitForWrites()
        if let session, failure == nil {
            do {
                let report = try session.finish(
                    merges: MergeStoreRecords.make(results.merging, commandLine: session.job.commandLine))
                self.session = nil
                printReport(report)
                return report
            } catch {
                keep(error)
            }
        }
        session = nil
        if let failure { throw fail(failure.message, failure.code) }
        return nil
    }

    private func keep(_ error: StoreError) {
        let code: ExitCode
        if case .diskFull = error { code = ExitStatus.cannotWriteOutput } else { code = ExitStatus.storeFailed }
        failure = ("store: \(error); results are kept in \(outputDirectory)", code)
        session = nil
    }

    private func printReport(_ report: StoreReport) {
        Console.print("Store: \(location!.description) (\(report.flavour.family.rawValue)\(report.flavour.schemaVersion.map { " " + $0 } ?? "")):")
        for run in report.runs {
            Console.print("  \(run.name): DataCollection \(run.dataCollectionId) (\(run.link)), AutoProcProgram \(run.autoProcProgramId)\(run.updated ? " updated" : ""), \(run.imageRows) image rows"
                + (run.imageRowsUnchanged ? " (unchanged, left as they were)" : "")
                + (run.processingResults > 0 ? ", \(run.processingResults) processing result(s)" : ""))
        }
        for merge in report.merges {
            Console.print("  merged dataset \(merge.dataset) (\(merge.producer)): AutoProcProgram \(merge.autoProcProgramId) \(merge.how)")
        }
        for note in report.notes { Console.warning("store: \(note)") }
    }
}
