import XtalCore
import XtalNexus

/// What one run is made of: its name, result files, optional indexamajig log, NXmx
/// master file and event chain.
public struct RunInput: Sendable, Equatable {
    public var name: String
    public var streams: [String]
    public var indexamajigLog: String?
    public var master: String?
    /// The run's event chain (manifest), applied by the timing stage.
    public var eventChain: EventChain?
    /// ISPyB DataCollection id from the manifest (store stage).
    public var dataCollectionId: Int?
    public var kind: RunKind = .ssx
    /// Processing-result files (ISPyB XML, fast_dp.json, xia2.txt, …) and per-image quality
    /// files (Dozor, DIALS), read by `XtalMX`.
    public var processing: [String] = []
    public var imageQuality: [String] = []
    /// A spot-finding hit is an image with more spots than this.
    public var hitSpotCutoff = ImageQualitySummary.defaultHitSpotCutoff

    public init(
        name: String, streams: [String], indexamajigLog: String? = nil, master: String? = nil,
        eventChain: EventChain? = nil
    ) {
        self.name = name
        self.streams = streams
        self.indexamajigLog = indexamajigLog
        self.master = master
        self.eventChain = eventChain
    }
}

/// A run after ingest: its results plus the tables and accumulator later stages need.
public struct IngestedRun: Sendable {
    public var results: RunResults
    public var accumulator: StatisticsAccumulator
    public var images: ImageTable
    public var crystals: CrystalTable
    /// Every crystal's reflections (reflection mode only), rows parallel to `crystals`.
    public var reflections = ReflectionStore()
    /// Reflection lines that could not be read, over all files (each listed as an issue).
    public var malformedReflectionLines = 0
    /// Per-image values of the master file (positions, frame times), when one was read.
    public var perImage: PerImageMetadata?
    /// The run's per-image quality files, image by image (for the store).
    public var imageQuality: [ImageQualitySeries] = []
}

/// A run whose stream files have been parsed (on all cores) but not yet assembled.
public struct ParsedRun: Sendable {
    public let run: RunInput
    fileprivate var streams: [ParsedStream]
    /// The master file being read while the streams were parsed, if it was started early.
    fileprivate var master: MasterPrefetch?

    /// A run from its files already parsed, in the run's order (a cluster job's reduce).
    public init(run: RunInput, streams: [ParsedStream]) {
        self.run = run
        self.streams = streams
    }

    /// File `index` of the run as one piece (what the cache keeps of it).
    public func piece(ofFile index: Int) -> StreamPiece {
        StreamPiece(whole: streams[index])
    }
}

/// A run whose stream files are queued for parsing on a `WorkQueue`.
public struct PendingRun: Sendable {
    public let run: RunInput
    fileprivate let streams: [PendingStream]
    fileprivate let master: MasterPrefetch?

    /// Waits until every file is parsed.
    public func wait() throws -> ParsedRun {
        var parsed = ParsedRun(run: run, streams: try streams.map { try $0.wait().requiringStream() })
        parsed.master = master
        return parsed
    }
}

/// Reads every file of a run, applies the indexamajig log and the master file's image
/// count, and computes the run's statistics. The one place where "a run" is assembled.
///
/// In two steps, so that a job can assemble one run while the next ones are parsed:
/// `schedule` (or `parse`, which waits) queues the reading on a `WorkQueue`; `assemble`
/// joins the segments, reads the log and the master file and makes the statistics.
public enum RunIngestor {
    /// Ingests `run`; `progress(file index, bytes done in that file)` reports reading.
    public static func ingest(
        _ run: RunInput, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> IngestedRun {
        try assemble(parse(run, options: options, progress: progress), options: options)
    }

    /// Parses every stream file of `run`.
    public static func parse(
        _ run: RunInput, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ParsedRun {
        let queue = WorkQueue(workers: options.resolvedWorkers)
        defer { queue.close() }
        return try schedule(run, options: options, on: queue, progress: progress).wait()
    }

    /// Maps every stream file of `run` and queues its segments on `queue`; returns at once.
    /// The files in `cached` (by index in the run) are not read: they are given already
    /// parsed (the job's cache of earlier reads).
    /// `master`: the run's master file already being read (`MasterPrefetch.start`), when
    /// the job started it earlier; otherwise its read starts here.
    /// `spills`: where the reflection blocks of a file go instead of `options.reflectionSpill`
    /// (the cache's file for that stream), by index in the run.
    public static func schedule(
        _ run: RunInput, options: StreamReadOptions, on queue: WorkQueue, cached: [Int: ParsedStream] = [:],
        spills: [Int: ReflectionSpill] = [:], master: MasterPrefetch? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> PendingRun {
        let streams = try run.streams.enumerated().map { index, path in
            if let parsed = cached[index] {
                progress?(index, RawPath.status(path).map { Int($0.st_size) } ?? 0)
                return PendingStream { parsed }
            }
            var fileOptions = options
            if let spill = spills[index] { fileOptions.reflectionSpill = spill }
            return try CrystFELStreamReader.schedule(path: path, options: fileOptions, on: queue) { progress?(index, $0) }
        }
        return PendingRun(run: run, streams: streams, master: master ?? run.master.flatMap(MasterPrefetch.start))
    }

    /// Assembles a parsed run: joined tables, image accounting, log and master-file checks,
    /// statistics. Reads the master file through libhdf5, which is not thread-safe: callers
    /// assemble one run at a time.
    /// `parsed` is consumed: each file's segments are joined in place as it is taken out.
    public static func assemble(_ parsed: consuming ParsedRun, options: StreamReadOptions = StreamReadOptions()) throws -> IngestedRun {
        let run = parsed.run
        var images = ImageTable()
        var crystals = CrystalTable()
        var reflections = ReflectionStore()
        var malformedReflectionLines = 0
        var accumulator = StatisticsAccumulator()
        var inputs: [InputFileSummary] = []
        var provenance: [StreamProvenance] = []
        var issues: [IngestIssue] = []
        var issuesNotListed = 0
        var accounting = ImageAccounting()

        var streams: [ParsedStream] = []
        swap(&streams, &parsed.streams)
        for (index, path) in run.streams.enumerated() {
            // Taken out of the array, so that the join extends the first segment's tables
            // in place instead of copying them.
            let read = streams[index].takeJoined()
            accumulator.add(images: read.images, crystals: read.crystals)
            crystals.append(contentsOf: read.crystals, imageOffset: UInt32(images.count))
            images.append(contentsOf: read.images)
            reflections.append(contentsOf: read.reflections)
            malformedReflectionLines += read.malformedReflectionLines
            provenance += read.provenance
            let room = max(0, options.maxIssuesListed - issues.count)
            issues += read.issues.prefix(room)
            issuesNotListed += read.issuesNotListed + max(0, read.issues.count - room)
            inputs.append(
                InputFileSummary(
                    path: path, bytes: read.bytes, lines: read.lines, goodChunks: read.images.count,
                    malformedChunks: read.malformedChunks, incompleteChunks: read.incompleteChunks,
                    strayLines: read.strayLines, compression: read.compressed?.compression.rawValue,
                    compressedBytes: read.compressed?.compressedBytes))
            accounting.chunksSeen += read.chunksSeen
            accounting.goodChunks += read.images.count
            accounting.malformedChunks += read.malformedChunks
            accounting.incompleteChunks += read.incompleteChunks
            let mostlyStray = read.strayBytes * 2 > read.bytes
            let undecoded = read.compressed?.damaged ?? false
            if read.strayChunkLines > 0 || mostlyStray || undecoded { accounting.filesPartlyUnread += 1 }
            if mostlyStray {
                issues.append(IngestIssue(
                    kind: .warning, file: path, line: 0,
                    reason: "\(read.strayBytes) of \(read.bytes) bytes are outside any chunk or header: damaged, or not "
                        + "(only) a CrystFEL stream"))
            }
        }

        // Rotation-MX results and per-image quality; a serial run without a stream is
        // summarised from its spot finding.
        let resultFiles = RunResultFiles.read(run)
        issues += resultFiles.issues.prefix(max(0, options.maxIssuesListed - issues.count))
        accounting.resultFilesUnread = resultFiles.unread
        var countSource = "stream chunks"
        if run.streams.isEmpty, run.kind == .ssx, let series = resultFiles.imageQuality.first(where: { !$0.images.isEmpty }) {
            let table = ImageTable(spotFinding: series, hitSpotCutoff: run.hitSpotCutoff)
            accumulator.add(images: table, crystals: CrystalTable())
            images.append(contentsOf: table)
            accounting.imagesFromSpotFinding = table.count
            countSource = "spot finding (\(series.file), hit: more than \(run.hitSpotCutoff) spots)"
        }

        var countFromLog = false
        if let logPath = run.indexamajigLog {
            let log = try IndexamajigLog.read(path: logPath)
            if let processed = log.processedImages {
                let seen = accounting.chunksSeen
                if processed > seen {
                    accumulator.declareProcessedImages(processed)
                    countFromLog = true
                } else if processed < accounting.goodChunks {
                    issues.append(
                        IngestIssue(
                            kind: .warning, file: logPath, line: 0,
                            reason: "the log reports \(processed) images processed, fewer than the \(accounting.goodChunks) chunks in the stream(s); was it the log of another run?"
                        ))
                }
            }
            // Compare crystals only when the log describes exactly these images.
            let sameImages = countFromLog || log.final?.images == accounting.chunksSeen
            if let final = log.final, sameImages, final.crystals != accumulator.crystals {
                issues.append(
                    IngestIssue(
                        kind: .warning, file: logPath, line: 0,
                        reason: "the log's Final line reports \(final.crystals) crystals, the stream(s) hold \(accumulator.crystals)"
                    ))
            }
        }
        // The master file: its image count is the denominator of "skipped images".
        var metadata: RunMetadata?
        var perImage: PerImageMetadata?
        var imageCheck: ImageCountCheck?
        var metadataError: String?
        if let masterPath = run.master {
            do {
                let master: NexusMasterFile
                if let prefetch = parsed.master {
                    master = try prefetch.wait()
                } else {
                    master = try NexusMasterReader.read(path: masterPath)
                }
                metadata = master.metadata
                perImage = master.perImage
            } catch {
                metadataError = error.description
                issues.append(IngestIssue(kind: .warning, file: masterPath, line: 0, reason: error.description))
            }
        }
        if let collected = metadata?.images?.count, run.kind == .ssx {
            let check = ImageCountCheck(
                imagesInMetadata: collected, imagesProcessed: accumulator.images, chunksSeen: accounting.chunksSeen,
                processedFromLog: countFromLog, nonHitsLeftOut: provenance.contains { $0.nonHitsLeftOut })
            accumulator.declareCollectedImages(collected)
            imageCheck = check
            if !check.agrees {
                issues.append(IngestIssue(kind: .warning, file: run.master ?? "", line: 0, reason: check.explanation))
            }
        }

        accounting.imagesProcessed = accumulator.images
        accounting.imagesNotInStream = accumulator.images - accounting.goodChunks - accounting.malformedChunks
            - accounting.incompleteChunks - accounting.imagesFromSpotFinding
        if accounting.imagesNotInStream < 0 { accounting.imagesNotInStream = 0 }

        var results = RunResults(
            name: run.name, inputs: inputs, imageCountSource: countFromLog ? "indexamajig log" : countSource, indexamajigLog: run.indexamajigLog,
            provenance: provenance, statistics: accumulator.finalize(), accounting: accounting, issues: issues,
            issuesNotListed: issuesNotListed)
        results.metadata = metadata
        results.imageCheck = imageCheck
        results.metadataError = metadataError
        results.rates = RateSequence(table: images, collected: accumulator.imagesCollected)
        if run.kind == .rotation { results.kind = .rotation }
        if !resultFiles.processing.isEmpty { results.processing = resultFiles.processing }
        if !resultFiles.imageQuality.isEmpty {
            results.imageQuality = resultFiles.imageQuality.map {
                ImageQualitySummary($0, hitSpotCutoff: run.hitSpotCutoff, maxIssuesListed: options.maxIssuesListed)
            }
        }
        var ingested = IngestedRun(
            results: results, accumulator: accumulator, images: images, crystals: crystals, perImage: perImage)
        ingested.reflections = reflections
        ingested.imageQuality = resultFiles.imageQuality
        ingested.malformedReflectionLines = malformedReflectionLines
        return ingested
    }
}
