import ArgumentParser
import Foundation
import XtalCluster
import XtalCore
import XtalIngest
import XtalMerge
import XtalStore
import XtalTiming

/// `xtalreport run MANIFEST|DIR`: the main job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the main job on an experiment: ingest, statistics, summary.json.",
        discussion: """
            INPUT is a manifest (YAML, see docs/manifest.md) or a directory. A directory with a \
            manifest.yaml uses it; otherwise every *.stream file (or .stream.gz, .stream.zst) \
            under it is one run, named after the file, with a .log file of the same name read as its indexamajig log and \
            NAME_master.h5 or NAME.nxs beside it as its NXmx master file.

            With a master file, a run's image count ("images") comes from the metadata and is \
            checked against the images in the results ("processed"); each run's check is printed \
            with the likely reason for a difference. An unreadable master file is reported and \
            the run kept without its metadata (exit code 3).

            Rotation runs (kind: rotation) are summarised from their processing results \
            (ISPyB XML, fast_dp.json, xia2.txt, xia2's JSON, iotbx merging statistics) and \
            per-image files (Dozor, DIALS, EDNA), printed one line each and given a report \
            page; a serial run with per-image files but no stream gets its hit statistics \
            from them (a hit: more than hit_spot_cutoff spots, default 16). Without a \
            manifest these files are found by name (docs/manifest.md). An unreadable one is \
            named (exit code 3).

            Runs with an event chain (the manifest's event_chain or default_event_chain) or \
            a pump-probe note in their master file are split into time points (dark, \
            light_<delay>, dose_<n> …): statistics per time point and light − dark are printed \
            and reported, and time-resolved/ gets a partialator --custom-split file, a \
            DIALS/xia2 grouping.yaml and per-image.tsv, all from one per-image table; the \
            group sizes are checked against it.

            Reflections are merged when the manifest lists merges or gives a run an event \
            chain, or when --merge is given (--no-merge turns it off): every run, all runs, \
            each manifest merge and \
            each time point, with process_hkl's unity model, into merged/NAME.hkl, .hkl1 and \
            .hkl2, with check_hkl's and compare_hkl's figures (completeness, redundancy, \
            <I/sigma>, CC1/2, CC*, Rsplit per shell), CC1/2 as crystals accumulate, and each \
            light time point against dark (CC, R1(I)). The point group is the manifest's \
            (merging.point_group, merges[].point_group) or --point-group, else the Laue class \
            of the streams' target cell. merged/ledger.tsv lists every image with the datasets \
            its crystals went into.

            A manifest merge may list the facility's own merge of it (merges[].files: \
            partialator's .hkl, log, --custom-split and --unmerged-output files, check_hkl and \
            compare_hkl output, a DIALS grouping YAML, dials.merge.json and its log's Table 1, \
            ISPyB XML; without files, those named after the merge beside its runs' streams), \
            recognised by content: its Table 1 is read, and what went into it is checked against \
            the per-image table (frames, time points, groups, crystal counts; a failed check is \
            a warning with the numbers, exit code 3).

            The results are stored: by default into OUTPUT/xtalreport.sqlite (ISPyB's \
            table names); with --db (or $ISPYB_CREDENTIALS) into an ISPyB MariaDB, DLS or ESRF \
            flavour, linking each run to its DataCollection (manifest data_collection_id, else \
            image directory + file template; --create-collections makes them in the visit). \
            Each run is one transaction, written as soon as the run is read (its per-image \
            tables then leave memory), then, after the merge, each merged dataset (xtalreport's \
            and the peers': AutoProc rows with Table 1, one integration per run); running the \
            same job again updates in place. A store that fails does not stop the job: the \
            files are written, then the job ends with the store's error (exit 69).

            Each stream file's parse is kept in OUTPUT/cache: running the job again reads only \
            the files added or changed since (path, size, modification time, first and last \
            64 KiB, options), with the same results; --no-cache reads everything.

            With --slurm (or --local-tasks N, the same without a scheduler) the streams are \
            read by tasks of about equal bytes, cut at chunk lines, submitted as one SLURM \
            array job; the reduce (a job after the tasks, or here with --wait) writes exactly \
            what a one-process run writes. OUTPUT/cluster holds the plan, the sbatch scripts, \
            the tasks' logs and results; `xtalreport reduce OUTPUT` names each task without a \
            result and why (exit 75), and --resume runs just those. Settings also come from \
            the manifest's slurm: section or $XTALREPORT_SITE_CONFIG (docs/cluster.md).

            Writes summary.json and the HTML report (index.html, a page per run, PNG plots) \
            into the output folder (--output, else the manifest's \
            'output', else xtalreport-out beside the manifest) and prints the per-run table.

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("Manifest file or directory to scan.", valueName: "INPUT"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var output: String?

    @Flag(name: .customLong("peaks"), help: "Also parse peak lists (peak count and resolution per image).")
    var parsePeaks = false

    @Option(name: .customLong("threads"), help: ArgumentHelp("Worker threads that parse the streams, large ones in segments (default: one per core).", valueName: "N"))
    var threads: Int?

    @Flag(name: .customLong("no-report"), help: "Write summary.json only, no HTML report.")
    var noReport = false

    @Flag(name: .customLong("merge"), help: "Merge the reflections even without merges or time points in the manifest.")
    var merge = false

    @Flag(name: .customLong("no-merge"), help: "Do not merge (statistics only: the reflection lists are skipped).")
    var noMerge = false

    @Option(name: .customLong("point-group"), help: ArgumentHelp("CrystFEL point group for merging (e.g. 4/mmm, 2/m_uab), over the manifest's.", valueName: "PG"))
    var pointGroup: String?

    @Flag(name: .customLong("no-cache"), help: "Read every stream again: neither use nor keep the parses of earlier runs of this job (OUTPUT/cache).")
    var noCache = false

    @Flag(name: .customLong("timings"), help: "Print each stage's wall time and the peak memory after it (stderr).")
    var timings = false

    @OptionGroup var reportOptions: ReportOptions

    @OptionGroup(title: "Database") var storeOptions: StoreCommandOptions

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "Cluster") var cluster: ClusterOptions

    func run() throws {
        if cluster.isRequested {
            try ClusterJob(command: self).start()
        } else {
            try execute(reducing: nil)
        }
    }

    /// The job as given: in this process, or, with `reducing`, from the results of the
    /// cluster job that plan describes (`xtalreport reduce`). Everything after the read
    /// is the same code either way, so the outputs are the same bytes.
    func execute(reducing clusterPlan: ClusterPlan?) throws {
        let plan = try jobPlan()
        for key in plan.unknownKeys { Console.warning("\(plan.source): unknown key '\(key)' ignored") }
        for warning in plan.warnings { Console.warning(warning) }

        let merging = MergingStep(merges: plan.merges, merging: plan.merging, pointGroup: pointGroup)
        let mergeWanted = try mergeWanted(plan)
        let readOptions = streamReadOptions(mergeWanted: mergeWanted)
        var job = ExperimentJob(runs: plan.runs, options: readOptions, quiet: outputOptions.quiet)
        if let clusterPlan {
            let reduced = try ReduceSource.load(clusterPlan, spill: readOptions.reflectionSpill, quiet: outputOptions.quiet)
            job.parsedRuns = { run, index in try reduced.parsedRun(run, index: index) }
        } else if !noCache {
            job.cache = StreamCache(directory: outputDirectory(plan) + "/cache", options: readOptions)
            job.masterCache = MasterFileCache(directory: outputDirectory(plan) + "/cache")
        }
        let missing = job.missingInputs()
        guard missing.isEmpty else {
            throw fail("cannot read: " + missing.joined(separator: ", "), ExitStatus.unreadableInput)
        }
        let outputDirectory = outputDirectory(plan)
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot create output folder \(outputDirectory): \(error.localizedDescription)", ExitStatus.cannotWriteOutput)
        }
        if !outputOptions.quiet {
            Console.info("experiment '\(plan.experiment)': \(plan.runs.count) run(s), \(plan.runs.reduce(0) { $0 + $1.streams.count }) file(s)")
        }
        // The folder is marked as being written until the last output is (JobRecord).
        let inProgress: JobInProgress
        do {
            inProgress = try JobInProgress(
                directory: outputDirectory, command: (["xtalreport"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        } catch {
            throw fail("cannot start the job in the output folder: \(error.description)", ExitStatus.cannotWriteOutput)
        }
        do {
            try produce(plan: plan, job: job, merging: merging, mergeWanted: mergeWanted, outputDirectory: outputDirectory)
        } catch let code as ExitCode {
            inProgress.finish(exitCode: code.rawValue, reason: ExitStatus.meaning(code), reportWritten: !noReport)
            throw code
        } catch {
            inProgress.finish(exitCode: 1, reason: "\(error)", reportWritten: false)
            throw error
        }
        // Not marked complete is not complete: a disk that filled up at the last write.
        guard inProgress.finish(exitCode: 0, reportWritten: !noReport) else { throw ExitStatus.cannotWriteOutput }
    }

    /// The job's runs, merges and output folder from INPUT.
    func jobPlan() throws -> JobPlan {
        do {
            return try JobPlan.make(input: input)
        } catch let error as InputError {
            if case .badManifest = error { throw fail(error.description, ExitStatus.usage) }
            throw fail(error.description, ExitStatus.unreadableInput)
        }
    }

    /// Whether the job merges; every point group named is checked first.
    func mergeWanted(_ plan: JobPlan) throws -> Bool {
        for name in [pointGroup, plan.merging?.pointGroup].compactMap({ $0 }) + plan.merges.compactMap(\.pointGroup)
        where PointGroup(named: name) == nil {
            throw fail(MergeError.unknownPointGroup(name).description, ExitStatus.usage)
        }
        return MergingStep.wanted(flag: merge, noMerge: noMerge, plan: plan)
    }

    /// How the streams are read: what a cluster task reads with too.
    func streamReadOptions(mergeWanted: Bool) -> StreamReadOptions {
        var options = StreamReadOptions(
            parsePeakLists: parsePeaks, workers: max(0, threads ?? 0), parseReflections: mergeWanted)
        // Reflection tables wait for the merge in a temporary file, not in memory.
        if mergeWanted { options.reflectionSpill = ReflectionSpill(blockRows: Self.reflectionBlockRows) }
        return options
    }

    /// Reflections a reader holds before it writes them out as a block (here and in a
    /// cluster task); XTALREPORT_TEST_SPILL_BLOCK_ROWS (tests): smaller blocks, so that a
    /// small example spills.
    static var reflectionBlockRows: Int {
        ProcessInfo.processInfo.environment["XTALREPORT_TEST_SPILL_BLOCK_ROWS"].flatMap(Int.init).map { max(1, $0) } ?? 1 << 18
    }

    /// The output folder: --output, else the manifest's.
    func outputDirectory(_ plan: JobPlan) -> String { output ?? plan.outputDirectory }

    /// Everything `run` writes into the output folder: split files, merged lists,
    /// summary.json, the report and the store.
    private func produce(
        plan: JobPlan, job: ExperimentJob, merging: MergingStep, mergeWanted: Bool, outputDirectory: String
    ) throws {

        var results: ExperimentResults
        let timed: [SplitFilesWriter.Input]
        var ingested: [IngestedRun]
        let clock = StageTimings()
        defer { if timings { Console.writeStderrText(clock.text + "\n") } }
        let summaryPath = URL(fileURLWithPath: outputDirectory).appendingPathComponent("summary.json").path
        // Each run is stored as soon as it is read and timed; then only what the split
        // files, the merge and its ledger read of its tables stays in memory.
        let store = JobStore(options: storeOptions, plan: plan, outputDirectory: outputDirectory, summaryPath: summaryPath)
        // A job that fails on the way still lets the runs handed over finish their transactions.
        defer { store?.waitForWrites() }
        var job = job
        job.finishRun = { index, run in store?.write(index, run) }
        job.keptAfterFinish = mergeWanted ? .imageIdentities : IngestedRun.KeptTables.none
        do {
            (results, ingested, timed) = try job.execute(experiment: plan.experiment, session: plan.session, sample: plan.sample)
        } catch let error as InputError {
            throw fail(error.description, ExitStatus.unreadableInput)
        }
        clock.mark("read")
        // What came from the cache: said on stderr and, when any did, in the report.
        var notes: [(label: String, text: String)] = []
        if let cache = job.cache {
            cache.prune()
            job.masterCache?.prune()
            var line = "\(cache.hits) of \(cache.hits + cache.misses) stream file(s) from the cache, \(cache.misses) read"
            if let masters = job.masterCache, masters.hits + masters.misses > 0 {
                line += "; \(masters.hits) of \(masters.hits + masters.misses) master file(s) from the cache"
            }
            if !outputOptions.quiet { Console.info("cache: \(line) (\(cache.directory); --no-cache to read all)") }
            if cache.hits > 0 { notes.append(("streams", line)) }
        }
        if !timed.isEmpty {
            do {
                results.splitFiles = try SplitFilesWriter.write(
                    timed, labels: (results.timePoints ?? []).map(\.label), outputDirectory: outputDirectory)
            } catch {
                throw fail("cannot write the split files into \(outputDirectory): \(error)", ExitStatus.cannotWriteOutput)
            }
        }

        clock.mark("split files")
        if mergeWanted {
            do {
                results.merging = try merging.run(
                    ingested: &ingested, timed: timed, results: results, outputDirectory: outputDirectory)
            } catch let error as MergeError {
                Console.warning("merging skipped: \(error.description)")
            } catch let error as ReflectionSpillError {
                throw fail("merging failed: \(error.description)", ExitStatus.cannotWriteOutput)
            } catch {
                throw fail("cannot write the merged lists into \(outputDirectory)/merged: \(error)", ExitStatus.cannotWriteOutput)
            }
        }

        if mergeWanted { clock.mark("merge") }
        do {
            try AtomicFile.write(results.jsonData(), to: summaryPath)
        } catch let error as AtomicFile.WriteError {
            throw fail(error.description, ExitStatus.cannotWriteOutput)
        } catch {
            throw fail("cannot write \(summaryPath): \(error)", ExitStatus.cannotWriteOutput)
        }
        Console.print(StatisticsTable.render(results))
        Console.print("")
        for run in results.runs {
            if let check = run.imageCheck, let metadata = run.metadata {
                let file = URL(fileURLWithPath: metadata.file).lastPathComponent
                Console.print("\(run.name): \(check.agrees ? "ok" : "MISMATCH"): \(file) has \(check.imagesInMetadata) images; \(check.explanation)")
            } else if let error = run.metadataError {
                Console.print("\(run.name): master file unreadable: \(error)")
            } else if run.imageCountSource.hasPrefix("spot finding") {
                Console.print("\(run.name): \(run.statistics.images) images from \(run.imageCountSource)")
            } else if run.imageCountSource != "stream chunks" {
                Console.print("\(run.name): \(run.statistics.images) images processed according to \(run.indexamajigLog ?? "the log"); \(run.accounting.imagesNotInStream) not in the stream (non-hits left out)")
            }
        }
        let rotation = results.runs.flatMap(MXResultText.runLines)
        if !rotation.isEmpty { Console.print("\n" + rotation.joined(separator: "\n")) }
        let timing = TimingText.render(results, outputDirectory: outputDirectory)
        if !timing.isEmpty { Console.print("\n" + timing) }
        if let m = results.merging {
            Console.print("\n" + MergingStep.render(m))
            for warning in PeerMergeText.warnings(m.peerMerges) { Console.warning(warning) }
        }
        Console.print("Summary: \(summaryPath)")
        clock.mark("summary")
        // The report and the store's merged datasets read the same finished results and
        // write different things: drawn and stored at the same time.
        let (report, stored) = ParallelMap.pair(
            { [self, results, notes] in
                Result { () throws -> String? in
                    noReport ? nil : try reportOptions.writeReport(results, to: outputDirectory, notes: notes)
                }
            },
            { [results, store] in Result { () throws -> StoreReport? in try store?.finish(results) } })
        let index = try report.get()
        clock.mark(noReport ? "store" : "report and store")
        if case .success(let report?) = stored {
            let written = report.runs.filter { !$0.imageRowsUnchanged }
            let rows = written.reduce(0) { $0 + $1.imageRows }
            let seconds = written.reduce(0) { $0 + $1.imageRowSeconds }
            if rows > 0, seconds > 0 {
                clock.detail(String(format: "store: %d per-image rows in %.3f s (%.0f rows/s)", rows, seconds, Double(rows) / seconds))
            }
            let unchanged = report.runs.filter(\.imageRowsUnchanged)
            if !unchanged.isEmpty {
                clock.detail(String(
                    format: "store: %d run(s)' per-image rows unchanged, checked in %.3f s", unchanged.count,
                    unchanged.reduce(0) { $0 + $1.imageRowSeconds }))
            }
        }
        // The report's path stays the last line on stdout, whatever the store did.
        if let index { Console.print("Report: \(index)") }
        _ = try stored.get()
        IssueSummary.print(results, quiet: outputOptions.quiet)
        let timingBroken = results.runs.contains { $0.timeResolved?.invariants.sumsMatchRun == false }
            || results.splitFiles?.consistent == false
        if timingBroken {
            throw fail("a time-resolved self-check failed (see above): do not use the split files", ExitStatus.checkFailed)
        }
        if !results.accounting.isComplete || results.runs.contains(where: { $0.metadataError != nil })
            || (results.merging?.malformedReflectionLines ?? 0) > 0 || PeerMergeText.incomplete(results.merging?.peerMerges ?? [])
        {
            throw ExitStatus.partialResults
        }
    }
}
