import ArgumentParser
import Foundation
import XtalCore
import XtalIngest
import XtalStore

/// Where and how `run` stores results (and what `db` connects to).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "sqlite:PATH, ispyb (the file named by $ISPYB_CREDENTIALS) or mariadb://USER@HOST:PORT/DB[?socket=PATH]. Default: $ISPYB_CREDENTIALS when set, else OUTPUT/xtalreport.sqlite.",
            valueName: "DATABASE"))
    var database: String?

    @Option(
        name: .customLong("db-password-file"),
        help: ArgumentHelp("File whose first line is the MariaDB password (else $XTALREPORT_DB_PASSWORD).", valueName: "FILE"))
    var passwordFile: String?

    func location(defaultSQLite: String) throws(StoreError) -> StoreLocation {
        try StoreLocation.resolve(
            database, passwordFile: passwordFile, environment: ProcessInfo.processInfo.environment,
            defaultSQLite: defaultSQLite)
    }
}

/// `run`'s store options.
struct StoreCommandOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .customLong("no-store"), help: "Do not write the results into a database.")
    var noStore = false

    @Flag(
        name: .customLong("create-collections"),
        help: "Create the DataCollectionGroup, DataCollection, SSXDataCollection and event rows of runs that match none in ISPyB.")
    var createCollections = false

    @Option(help: ArgumentHelp("ISPyB visit to store under, e.g. mx2427-1 (default: the manifest's 'session').", valueName: "VISIT"))
    var session: String?

    @Flag(name: .customLong("no-per-image"), help: "Do not write per-image rows (ImageQualityIndicators).")
    var noPerImage = false

    /// Writes the results; prints what went where; exit 69 when the database cannot take them.
    /// Returns what was written (nil with `--no-store`).
    @discardableResult
    func store(
        _ results: ExperimentResults, runs: [IngestedRun], plan: JobPlan, outputDirectory: String, summaryPath: String
    ) throws -> StoreReport? {
        guard !noStore else { return nil }
        let location: StoreLocation
        do {
            location = try database.location(
                defaultSQLite: URL(fileURLWithPath: outputDirectory).appendingPathComponent("xtalreport.sqlite").path)
        } catch {
            throw fail("store: \(error)", ExitStatus.usage)
        }
        let storeRuns = zip(plan.runs, runs).map { input, run in
            var stored = StoreJob.Run(
                results: run.results, images: run.images, crystals: run.crystals,
                frameIndex: FrameIndices.resolve(run.images, limit: max(run.accumulator.imagesCollected, run.images.count)).index,
                master: input.master, dataCollectionId: input.dataCollectionId,
                eventChain: run.results.timeResolved?.chain ?? input.eventChain)
            stored.imageQuality = run.imageQuality
            return stored
        }
        var job = StoreJob(
            experiment: plan.experiment, visit: session ?? plan.session, sample: plan.sample, components: plan.components,
            outputDirectory: outputDirectory, summaryFile: summaryPath,
            commandLine: (["xtalreport"] + CommandLine.arguments.dropFirst()).joined(separator: " "), runs: storeRuns)
        job.merges = MergeStoreRecords.make(results.merging, commandLine: job.commandLine)
        var options = StoreOptions()
        options.createCollections = createCollections
        options.perImage = !noPerImage
        options.pauseAfterFind = ProcessInfo.processInfo.environment["XTALREPORT_TEST_STORE_PAUSE"].flatMap(Double.init) ?? 0
        do {
            let store = try ResultStore.open(location)
            let report = try store.write(job, options: options)
            Console.print("Store: \(location.description) (\(report.flavour.family.rawValue)\(report.flavour.schemaVersion.map { " " + $0 } ?? "")):")
            for run in report.runs {
                Console.print("  \(run.name): DataCollection \(run.dataCollectionId) (\(run.link)), AutoProcProgram \(run.autoProcProgramId)\(run.updated ? " updated" : ""), \(run.imageRows) image rows"
                    + (run.processingResults > 0 ? ", \(run.processingResults) processing result(s)" : ""))
            }
            for merge in report.merges {
                Console.print("  merged dataset \(merge.dataset) (\(merge.producer)): AutoProcProgram \(merge.autoProcProgramId) \(merge.how)")
            }
            for note in report.notes { Console.warning("store: \(note)") }
            return report
        } catch {
            let code: ExitCode
            if case .diskFull = error { code = ExitStatus.cannotWriteOutput } else { code = ExitStatus.storeFailed }
            throw fail("store: \(error); results are kept in \(outputDirectory)", code)
        }
    }
}
