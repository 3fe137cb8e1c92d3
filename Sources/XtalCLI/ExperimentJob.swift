import Foundation
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
        var ingested: [IngestedRun] = []
        var cumulative = StatisticsAccumulator()
        var fileBase = 0
        for run in runs {
            let base = fileBase
            let streams = run.streams
            var ingestedRun = try RunIngestor.ingest(run, options: options) { fileIndex, bytes in
                progress.update(fileNumber: base + fileIndex, path: streams[fileIndex], bytes: bytes)
            }
            if !keepTables {
                ingestedRun.images = ImageTable()
                ingestedRun.crystals = CrystalTable()
            }
            fileBase += streams.count
            cumulative.combine(ingestedRun.accumulator)
            ingested.append(ingestedRun)
        }
        progress.finish()
        let timed = timeRuns(&ingested)
        var results = ExperimentResults(
            engine: .current, experiment: experiment, session: session, sample: sample,
            generated: ISO8601DateFormatter().string(from: Date()), runs: ingested.map(\.results),
            cumulative: cumulative.finalize())
        if !timed.isEmpty {
            let combined = TimePointCombiner(timed.map(\.run))
            results.timePoints = combined.timePoints
            results.lightDark = combined.lightDark
        }
        return (results, ingested, timed)
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
