import Foundation
import Synchronization
import XtalCore
import XtalIngest
import XtalTiming

/// Ingests a list of runs with progress shown, times the runs that have an event chain, and
/// assembles the results model: the work shared by `stats` and `run`.
struct ExperimentJob {
    var runs: [RunInput]
    var options: StreamReadOptions
    var quiet: Bool
    /// Keep each run's per-image tables after its statistics are made (time points, split
    /// files, the store and the report need them; `stats` does not).
    var keepTables = true

    /// Files that must exist before any work starts; each missing one is named.
    func missingInputs() -> [String] {
        let paths = runs.flatMap { $0.streams + ($0.indexamajigLog.map { [$0] } ?? []) }
        return paths.filter { !FileManager.default.isReadableFile(atPath: $0) }
    }

    func execute(
        experiment: String? = nil, session: String? = nil, sample: SampleInfo? = nil
    ) throws -> (results: ExperimentResults, runs: [IngestedRun], timed: [SplitFilesWriter.Input]) {
        let paths = runs.flatMap(\.streams)
        let totalBytes = paths.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        let progress = ProgressReporter(
            style: ProgressReporter.style(quiet: quiet), totalFiles: paths.count, totalBytes: totalBytes)
        var ingested = try ingestRuns(progress: progress)
        var cumulative = StatisticsAccumulator()
        for run in ingested { cumulative.combine(run.accumulator) }
        progress.finish()
        let timed = timeRuns(&ingested)
        var results = ExperimentResults(
            engine: .current, experiment: experiment, session: session, sample: sample,
            generated: Date().formatted(.iso8601), runs: ingested.map(\.results),
            cumulative: cumulative.finalize())
        if !timed.isEmpty {
            let combined = TimePointCombiner(timed.map(\.run))
            results.timePoints = combined.timePoints
            results.lightDark = combined.lightDark
        }
        return (results, ingested, timed)
    }

    /// Parses the runs one after another on all cores; while one run is parsed, the run
    /// before it is assembled (joined, checked, summarised) on another thread. One assembly
    /// at a time, and parsing waits for it before handing over the next run, so at most two
    /// runs are in memory at once; libhdf5 (master files) is never used from two threads.
    /// With one worker thread the runs are simply read in turn.
    private func ingestRuns(progress: ProgressReporter) throws -> [IngestedRun] {
        var fileBase = 0
        let firstFile = runs.map { run in
            defer { fileBase += run.streams.count }
            return fileBase
        }
        let (options, keepTables) = (options, keepTables)
        @Sendable func assemble(_ parsed: ParsedRun) throws -> IngestedRun {
            var run = try RunIngestor.assemble(parsed, options: options)
            if !keepTables {
                run.images = ImageTable()
                run.crystals = CrystalTable()
            }
            return run
        }
        func parse(_ i: Int) throws -> ParsedRun {
            let (base, streams) = (firstFile[i], runs[i].streams)
            return try RunIngestor.parse(runs[i], options: options) { fileIndex, bytes in
                progress.update(fileNumber: base + fileIndex, path: streams[fileIndex], bytes: bytes)
            }
        }
        guard options.resolvedWorkers > 1, runs.count > 1 else {
            return try runs.indices.map { try assemble(parse($0)) }
        }
        let assembled = AssembledRuns(count: runs.count)
        let assembler = DispatchQueue(label: "xtalreport.run-assembly")
        // Holds the one assembly in flight (a group can be waited on any number of times).
        let inFlight = DispatchGroup()
        defer { inFlight.wait() }
        for i in runs.indices {
            let parsed = try parse(i)
            inFlight.wait()
            try assembled.throwIfFailed(i - 1)
            assembler.async(group: inFlight) { assembled.set(i, Result { try assemble(parsed) }) }
        }
        inFlight.wait()
        return try assembled.all()
    }

    /// The timing stage: every run with an event chain (manifest) or a pump note (master
    /// file) is split into time points; the results go into each run's `timeResolved`.
    private func timeRuns(_ ingested: inout [IngestedRun]) -> [SplitFilesWriter.Input] {
        var timed: [SplitFilesWriter.Input] = []
        for (i, run) in runs.enumerated() {
            let metadata = ingested[i].results.metadata
            guard let selection = ChainSelection.select(manifest: run.eventChain, metadata: metadata) else { continue }
            let timedRun = TimeResolvedAnalysis.analyse(
                run: run.name, selection: selection, images: ingested[i].images, crystals: ingested[i].crystals,
                accumulator: ingested[i].accumulator, frameStart: ingested[i].perImage?.frameStart)
            ingested[i].results.timeResolved = timedRun.results
            timed.append(.init(run: timedRun, images: ingested[i].images, imageFile: run.master))
        }
        return timed
    }
}

extension ExperimentResults {
    /// Pretty, key-sorted JSON (the format of summary.json and `stats --json`).
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Assembled runs by index, written from the assembly thread (`ExperimentJob.ingestRuns`).
private final class AssembledRuns: Sendable {
    private let slots: Mutex<[Result<IngestedRun, any Error>?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ i: Int, _ outcome: Result<IngestedRun, any Error>) { slots.withLock { $0[i] = outcome } }

    /// Rethrows the error of run `i`'s assembly, if it failed (nothing for i < 0).
    func throwIfFailed(_ i: Int) throws {
        guard i >= 0, case .failure(let error) = slots.withLock({ $0[i] }) else { return }
        throw error
    }

    /// Every run, in order; the first failure is thrown.
    func all() throws -> [IngestedRun] {
        try slots.withLock { $0 }.map { try $0!.get() }
    }
}
