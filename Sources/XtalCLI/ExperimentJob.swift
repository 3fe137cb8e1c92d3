import Foundation
import XtalCluster
import XtalCore
import XtalIngest
import XtalNexus
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
    /// Where the runs come from already parsed (a cluster job's reduce: the tasks'
    /// results); nil: the streams are parsed here.
    var parsedRuns: ((RunInput, Int) throws -> ParsedRun)?
    /// The parses of earlier runs of this job (`run`, unless --no-cache): files found there
    /// are not read, files read are kept there.
    var cache: StreamCache?
    /// The master-file reads of earlier runs of this job (beside `cache`): a master file
    /// found there is not read again, one read is kept there.
    var masterCache: MasterFileCache?
    /// Given each run as soon as it is assembled and timed, before the next one is (`run`
    /// stores it here); then the run keeps only `keptAfterFinish` of its tables.
    var finishRun: ((Int, IngestedRun) throws -> Void)?
    /// What of a run's tables the stages after the read need (nil: all of them; a timed run
    /// keeps at least its images' identities).
    var keptAfterFinish: IngestedRun.KeptTables?

    /// Files that must exist before any work starts; each missing one is named.
    /// The inputs that cannot be opened, each with the reason ("a.stream (no such file or
    /// directory)", "… (permission denied)", "… (too many levels of symbolic links)").
    func missingInputs() -> [String] {
        let paths = runs.flatMap { $0.streams + ($0.indexamajigLog.map { [$0] } ?? []) }
        return paths.compactMap { path in
            guard let reason = RawPath.unreadableReason(path) else { return nil }
            return "\(path) (\(reason.lowercased()))"
        }
    }

    func execute(
        experiment: String? = nil, session: String? = nil, sample: SampleInfo? = nil
    ) throws -> (results: ExperimentResults, runs: [IngestedRun], timed: [SplitFilesWriter.Input]) {
        let sizes = runs.flatMap(\.streams).map { path in
            RawPath.status(path).map { Int($0.st_size) } ?? 0
        }
        let progress = ProgressReporter(style: ProgressReporter.style(quiet: quiet), fileSizes: sizes)
        let (ingested, timed, cumulative) = try ingestRuns(progress: progress)
        progress.finish()
        var results = ExperimentResults(
            engine: .current, experiment: experiment, session: session, sample: sample,
            generated: Self.generationDate.formatted(.iso8601), runs: ingested.map(\.results),
            cumulative: cumulative.finalize())
        if !timed.isEmpty {
            let combined = TimePointCombiner(timed.map(\.run))
            results.timePoints = combined.timePoints
            results.lightDark = combined.lightDark
        }
        return (results, ingested, timed)
    }

    /// Parses the runs on all cores and assembles them in order. The segments of the next
    /// run are queued behind those of the current one (`WorkQueue`), so no worker waits
    /// for the slowest segment of a run; the run after that is queued only once the
    /// current one is parsed, so at most about two runs are in memory at once. Assembly
    /// (join, log, master file, statistics) runs on this thread while the workers parse
    /// on, and is never concurrent with itself: libhdf5 is not thread-safe. With one
    /// worker thread the runs are simply read in turn.
    /// Each run is timed, handed to `finishRun` and trimmed to `keptAfterFinish` before
    /// the next run is assembled.
    private func ingestRuns(
        progress: ProgressReporter
    ) throws -> (runs: [IngestedRun], timed: [SplitFilesWriter.Input], cumulative: StatisticsAccumulator) {
        var fileBase = 0
        let firstFile = runs.map { run in
            defer { fileBase += run.streams.count }
            return fileBase
        }
        func assemble(_ parsed: consuming ParsedRun) throws -> IngestedRun {
            var run = try RunIngestor.assemble(consume parsed, options: options)
            if !keepTables {
                run.images = ImageTable()
                // Merging still needs to know which image each crystal is on.
                let imageOfCrystal = options.parseReflections ? run.crystals.imageIndex : []
                run.crystals = CrystalTable()
                run.crystals.imageIndex = imageOfCrystal
            }
            return run
        }
        var timed: [SplitFilesWriter.Input] = []
        // The runs' accumulators are combined as each run is done (in run order, as a
        // combination at the end would), and their samples let go once combined.
        var cumulative = StatisticsAccumulator()
        func complete(_ i: Int, _ assembled: consuming IngestedRun) throws -> IngestedRun {
            var run = assembled
            let timedRun = timeRun(i, &run)
            cumulative.combine(run.accumulator)
            run.accumulator.releaseSamples()
            try finishRun?(i, run)
            // A timed run's split files read its images' identities.
            if let kept = keptAfterFinish { run.releaseTables(keeping: timedRun == nil ? kept : .imageIdentities) }
            if let timedRun { timed.append(.init(run: timedRun, images: run.images, imageFile: runs[i].master)) }
            return run
        }
        if let parsedRuns {
            let ingested = try runs.enumerated().map { i, run in
                let parsed = try parsedRuns(run, i)
                for (k, path) in run.streams.enumerated() {
                    progress.update(fileNumber: firstFile[i] + k, path: path, bytes: RawPath.status(path).map { Int($0.st_size) } ?? 0)
                }
                return try complete(i, try assemble(parsed))
            }
            return (ingested, timed, cumulative)
        }
        let queue = WorkQueue(workers: options.resolvedWorkers)
        defer { queue.close() }
        var cachedFiles: [Int: Set<Int>] = [:]
        // Runs queued beyond the one being waited for (none with one worker: in turn).
        let ahead = options.resolvedWorkers > 1 ? 1 : 0
        // A run's master file is read (in a child process, beside the parsing) from the
        // moment the run before it has been parsed, when the workers turn to this run's
        // streams: read by the time they are parsed, and held only from then on. Runs are
        // queued earlier than that (`ahead`), and a read begun with the queuing held up to
        // three runs' per-image values at once (57 MB each at 1.8 M frames).
        var masters: [Int: MasterPrefetch] = [:]
        var lastParsed = -1  // the last run whose streams have been parsed
        func schedule(_ i: Int) throws -> PendingRun {
            let (base, streams) = (firstFile[i], runs[i].streams)
            let cached = cache?.lookup(runs[i]) ?? [:]
            cachedFiles[i] = Set(cached.keys)
            // A kept read is looked up when the read begins, not now: it is as large.
            var master: MasterPrefetch?
            if let path = runs[i].master {
                var cached: (@Sendable () -> NexusMasterFile?)?
                if let masterCache { cached = { masterCache.lookup(path) } }
                master = MasterPrefetch.deferred(path, cached: cached)
            }
            masters[i] = master
            if i <= lastParsed + 1 { master?.begin() }
            // Files read while merging keep their reflection blocks in the cache's files.
            var spills: [Int: ReflectionSpill] = [:]
            if let cache, options.reflectionSpill != nil {
                for (k, path) in streams.enumerated() where cached[k] == nil { spills[k] = cache.reflectionSpill(forFile: path) }
            }
            return try RunIngestor.schedule(
                runs[i], options: options, on: queue, cached: cached, spills: spills, master: master
            ) {
                fileIndex, bytes in
                progress.update(fileNumber: base + fileIndex, path: streams[fileIndex], bytes: bytes)
            }
        }
        var pending: [PendingRun?] = []
        for k in 0..<min(ahead + 1, runs.count) { pending.append(try schedule(k)) }
        var ingested: [IngestedRun] = []
        for i in runs.indices {
            let parsed = try pending[i]!.wait()
            pending[i] = nil  // the segments' results and the file mappings go with it
            lastParsed = i
            let master = masters.removeValue(forKey: i)
            masters[i + 1]?.begin()
            cache?.store(parsed, cached: cachedFiles[i] ?? [])
            if ahead > 0, i + ahead + 1 < runs.count { pending.append(try schedule(i + ahead + 1)) }
            // The segments are joined (and freed) by now, the tables once the run is complete.
            let assembled = try assemble(consume parsed)
            if let masterCache, let master, !master.tookCachedRead, let path = runs[i].master,
                let metadata = assembled.results.metadata, assembled.results.metadataError == nil
            {
                masterCache.store(NexusMasterFile(metadata: metadata, perImage: assembled.perImage ?? PerImageMetadata()), readFrom: path)
            }
            HeapSettings.releaseFreePages()
            ingested.append(try complete(i, assembled))
            HeapSettings.releaseFreePages()
            if ahead == 0, i + 1 < runs.count { pending.append(try schedule(i + 1)) }
        }
        return (ingested, timed, cumulative)
    }

    /// The timing stage of run `i`: with an event chain (manifest) or a pump note (master
    /// file) it is split into time points, the results going into its `timeResolved`.
    private func timeRun(_ i: Int, _ run: inout IngestedRun) -> TimedRun? {
        guard let selection = ChainSelection.select(manifest: runs[i].eventChain, metadata: run.results.metadata) else { return nil }
        let timedRun = TimeResolvedAnalysis.analyse(
            run: runs[i].name, selection: selection, images: run.images, crystals: run.crystals,
            accumulator: run.accumulator, frameStart: run.perImage?.frameStart)
        run.results.timeResolved = timedRun.results
        return timedRun
    }
}

extension ExperimentJob {
    /// When the results were made: now, or `SOURCE_DATE_EPOCH` (seconds since 1970) when
    /// set, the reproducible-builds convention, so that two runs of the same input (one
    /// process, or a cluster job's reduce) write the same bytes.
    static var generationDate: Date {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int(text) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return Date()
    }
}

extension ExperimentResults {
    /// Pretty, key-sorted JSON (the format of summary.json and `stats --json`).
    func jsonData() throws -> Data {
        try ExperimentResults.jsonEncoder.encode(self)
    }
}
