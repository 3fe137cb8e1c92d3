import ArgumentParser
import Foundation
import XtalCore
import XtalIngest
import XtalMerge

/// `xtalreport stats FILES...`: statistics of streams, one run per file, without a manifest.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Print per-run and cumulative statistics of CrystFEL streams (one run per file).",
        discussion: """
            Each FILE is read as one run named after the file; gzip and zstd files \
            (.stream.gz, .stream.zst) are read as they are decompressed. Counts follow CrystFEL: a hit is \
            'hit = 1' (or num_peaks >= --min-peaks for streams older than 0.8), an indexed frame \
            has at least one crystal. Cell lengths are printed in Å, resolution in Å.

            When non-hits were left out of a stream (--no-non-hits-in-stream), give the \
            indexamajig stderr log with --log so the image count is right.

            With --merge, the reflection lists are read too and each file, and all files \
            together, merged as process_hkl does (point group from --point-group, else the \
            Laue class of the target cell), with check_hkl's and compare_hkl's figures; \
            nothing is written (use `run` for the merged .hkl files).

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("CrystFEL stream files.", valueName: "FILE"))
    var files: [String]

    @Option(
        name: .customLong("log"),
        help: ArgumentHelp(
            "indexamajig stderr log of the FILE in the same position (give one per FILE, in order).",
            valueName: "LOG"))
    var logs: [String] = []

    @Flag(help: "Print the results as JSON (the summary.json format) instead of a table.")
    var json = false

    @Flag(name: .customLong("peaks"), help: "Also parse peak lists (peak count and resolution per image).")
    var parsePeaks = false

    @Option(name: .customLong("threads"), help: ArgumentHelp("Worker threads that parse the streams, large ones in segments (default: one per core).", valueName: "N"))
    var threads: Int?

    @Flag(name: .customLong("merge"), help: "Also merge the reflections of each file and of all files, with their figures of merit.")
    var merge = false

    @Option(name: .customLong("point-group"), help: ArgumentHelp("CrystFEL point group for --merge (e.g. 4/mmm), else the Laue class of the target cell.", valueName: "PG"))
    var pointGroup: String?

    @Flag(name: .customLong("timings"), help: "Print each stage's wall time (read, merge, output) and the peak memory after it (stderr).")
    var timings = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if !logs.isEmpty, logs.count != files.count {
            throw ValidationError("--log was given \(logs.count) times for \(files.count) files: give one per FILE, in order")
        }
        if let pointGroup, PointGroup(named: pointGroup) == nil {
            throw ValidationError(MergeError.unknownPointGroup(pointGroup).description)
        }
        if pointGroup != nil, !merge { throw ValidationError("--point-group goes with --merge") }
    }

    func run() throws {
        let clock = StageTimings()
        defer { if timings { Console.writeStderrText(clock.text + "\n") } }
        let listed = files.enumerated().map { i, path in
            RunInput(
                name: URL(fileURLWithPath: path).lastPathComponent, streams: [path],
                indexamajigLog: logs.isEmpty ? nil : logs[i])
        }
        // A file given twice is read once.
        let once = RepeatedStreams.readOnce(listed)
        for warning in once.warnings { Console.warning(warning) }
        let runs = once.runs.filter { !$0.streams.isEmpty }
        // Statistics need neither image identities nor header values (no time points or
        // split files here), nor the per-image tables once a run's statistics are made.
        var readOptions = StreamReadOptions(
            parsePeakLists: parsePeaks, keepImageIdentity: false, keepHeaderValues: false, workers: max(0, threads ?? 0),
            parseReflections: merge)
        // Reflection tables wait for the merge in a temporary file, not in memory.
        if merge { readOptions.reflectionSpill = ReflectionSpill() }
        let job = ExperimentJob(runs: runs, options: readOptions, quiet: output.quiet, keepTables: false)
        let missing = job.missingInputs()
        guard missing.isEmpty else {
            throw fail("cannot read: " + missing.joined(separator: ", "), ExitStatus.unreadableInput)
        }
        var results: ExperimentResults
        var ingested: [IngestedRun]
        do {
            (results, ingested, _) = try job.execute()
        } catch let error as InputError {
            throw fail(error.description, ExitStatus.unreadableInput)
        }
        clock.mark("read")
        if merge {
            do {
                results.merging = try MergingStep(merges: [], merging: nil, pointGroup: pointGroup)
                    .run(ingested: &ingested, timed: [], results: results, outputDirectory: nil)
            } catch let error as MergeError {
                Console.warning("merging skipped: \(error.description)")
            } catch let error as ReflectionSpillError {
                throw fail("merging failed: \(error.description)", ExitStatus.cannotWriteOutput)
            }
            clock.mark("merge")
        }
        if json {
            FileHandle.standardOutput.write(try results.jsonData())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            Console.print(StatisticsTable.render(results))
            if let m = results.merging { Console.print("\n" + MergingStep.render(m)) }
        }
        IssueSummary.print(results, quiet: output.quiet)
        clock.mark("output")
        if !results.accounting.isComplete || (results.merging?.malformedReflectionLines ?? 0) > 0 {
            throw ExitStatus.partialResults
        }
    }
}
