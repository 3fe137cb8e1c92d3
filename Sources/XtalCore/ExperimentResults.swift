import Foundation

/// The results model: what one job produced, read by every sink (summary.json, the store,
/// the report) so that nothing recomputes statistics on the way out.
public struct ExperimentResults: Sendable, Codable {
    /// Which program made the results.
    public var engine: EngineInfo
    public var experiment: String?
    public var session: String?
    public var sample: SampleInfo?
    /// ISO-8601 time the results were made.
    public var generated: String
    public var runs: [RunResults]
    /// All runs combined (exactly: the run accumulators combined, see StatisticsAccumulator).
    public var cumulative: RunStatistics
    /// Every image accounted for, per run and in total.
    public var accounting: ImageAccounting
    /// Time points over all timed runs, combined by label (exactly, like the cumulative row).
    public var timePoints: [TimePointStatistics]?
    /// Light against dark over all timed runs.
    public var lightDark: LightDarkComparison?
    /// The partialator and DIALS split files written for the timed runs.
    public var splitFiles: SplitFilesSummary?
    /// Merged datasets and their figures of merit (when merging was on).
    public var merging: MergingResults?

    public init(
        engine: EngineInfo, experiment: String?, session: String?, sample: SampleInfo?, generated: String,
        runs: [RunResults], cumulative: RunStatistics
    ) {
        self.engine = engine
        self.experiment = experiment
        self.session = session
        self.sample = sample
        self.generated = generated
        self.runs = runs
        self.cumulative = cumulative
        accounting = runs.map(\.accounting).reduce(ImageAccounting(), +)
    }
}

/// Name and version of the engine that wrote a result.
public struct EngineInfo: Sendable, Codable, Equatable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// This build of xtalreport.
    public static let current = EngineInfo(name: "xtalreport", version: "0.1.0")
}

/// The sample as the manifest describes it.
public struct SampleInfo: Sendable, Codable, Equatable {
    public var name: String
    public var protein: String?
    public var support: String?

    public init(name: String, protein: String?, support: String?) {
        self.name = name
        self.protein = protein
        self.support = support
    }
}

/// One run's results: statistics, where they came from, and what could not be used.
public struct RunResults: Sendable, Codable {
    public var name: String
    public var inputs: [InputFileSummary]
    /// Where `statistics.images` came from: `stream chunks` or `indexamajig log`.
    public var imageCountSource: String
    /// The indexamajig log read for this run, if any.
    public var indexamajigLog: String?
    public var provenance: [StreamProvenance]
    public var statistics: RunStatistics
    public var accounting: ImageAccounting
    /// The first issues found (all are counted in `accounting`).
    public var issues: [IngestIssue]
    public var issuesNotListed: Int
    /// The run's NXmx master file, when the manifest names one and it could be read.
    public var metadata: RunMetadata?
    /// Images in the metadata against images in the results.
    public var imageCheck: ImageCountCheck?
    /// Why the named master file could not be read (then `metadata` is nil).
    public var metadataError: String?
    /// Hit and indexing rate along the run, for the report.
    public var rates: RateSequence?
    /// Per-time-point statistics, when the run has an event chain (or a pump note).
    public var timeResolved: TimeResolvedResults?
    /// `rotation` for a rotation-MX run; absent for a serial one.
    public var kind: RunKind?
    /// What the run's processing programs concluded (ISPyB XML, fast_dp.json, xia2.txt).
    public var processing: [ProcessingResult]?
    /// The run's per-image quality files (Dozor, DIALS), summarised.
    public var imageQuality: [ImageQualitySummary]?

    public init(
        name: String, inputs: [InputFileSummary], imageCountSource: String, indexamajigLog: String?,
        provenance: [StreamProvenance], statistics: RunStatistics, accounting: ImageAccounting,
        issues: [IngestIssue], issuesNotListed: Int
    ) {
        self.name = name
        self.inputs = inputs
        self.imageCountSource = imageCountSource
        self.indexamajigLog = indexamajigLog
        self.provenance = provenance
        self.statistics = statistics
        self.accounting = accounting
        self.issues = issues
        self.issuesNotListed = issuesNotListed
    }
}

/// One input file and what was read from it.
public struct InputFileSummary: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var lines: Int
    public var goodChunks: Int
    public var malformedChunks: Int
    public var incompleteChunks: Int
    public var strayLines: Int
    /// `gzip` or `zstd` for a compressed file (then `bytes` counts the decompressed stream
    /// and `compressedBytes` the file); absent for a plain one.
    public var compression: String?
    public var compressedBytes: Int?

    public init(
        path: String, bytes: Int, lines: Int, goodChunks: Int, malformedChunks: Int, incompleteChunks: Int,
        strayLines: Int, compression: String? = nil, compressedBytes: Int? = nil
    ) {
        self.compression = compression
        self.compressedBytes = compressedBytes
        self.path = path
        self.bytes = bytes
        self.lines = lines
        self.goodChunks = goodChunks
        self.malformedChunks = malformedChunks
        self.incompleteChunks = incompleteChunks
        self.strayLines = strayLines
    }
}

/// The honest count: chunks seen = good + malformed + incomplete; images processed =
/// good chunks + images not in the stream (non-hits left out, per the indexamajig log).
public struct ImageAccounting: Sendable, Codable, Equatable {
    public var chunksSeen = 0
    public var goodChunks = 0
    public var malformedChunks = 0
    public var incompleteChunks = 0
    public var imagesProcessed = 0
    /// Images the log counted that have no chunk (left out with --no-non-hits-in-stream).
    public var imagesNotInStream = 0
    /// Files with input that was not read and may have held images: chunk content outside
    /// any chunk (a missing or damaged begin marker), or mostly bytes outside any chunk
    /// or header (binary garbage, another format). Listed as issues; the read is then
    /// incomplete (exit 3).
    public var filesPartlyUnread = 0
    /// Images counted from a spot-finding file (Dozor, DIALS) of a serial run without a stream.
    public var imagesFromSpotFinding = 0
    /// Processing-result and per-image files named for a run that could not be read (each
    /// listed as an issue; the read is then incomplete, exit 3).
    public var resultFilesUnread = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case chunksSeen, goodChunks, malformedChunks, incompleteChunks, imagesProcessed, imagesNotInStream,
             filesPartlyUnread, imagesFromSpotFinding, resultFilesUnread
    }

    /// Reads summaries written before `filesPartlyUnread` existed as 0 there.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        chunksSeen = try c.decode(Int.self, forKey: .chunksSeen)
        goodChunks = try c.decode(Int.self, forKey: .goodChunks)
        malformedChunks = try c.decode(Int.self, forKey: .malformedChunks)
        incompleteChunks = try c.decode(Int.self, forKey: .incompleteChunks)
        imagesProcessed = try c.decode(Int.self, forKey: .imagesProcessed)
        imagesNotInStream = try c.decode(Int.self, forKey: .imagesNotInStream)
        filesPartlyUnread = try c.decodeIfPresent(Int.self, forKey: .filesPartlyUnread) ?? 0
        imagesFromSpotFinding = try c.decodeIfPresent(Int.self, forKey: .imagesFromSpotFinding) ?? 0
        resultFilesUnread = try c.decodeIfPresent(Int.self, forKey: .resultFilesUnread) ?? 0
    }

    public static func + (l: ImageAccounting, r: ImageAccounting) -> ImageAccounting {
        var s = ImageAccounting()
        s.chunksSeen = l.chunksSeen + r.chunksSeen
        s.goodChunks = l.goodChunks + r.goodChunks
        s.malformedChunks = l.malformedChunks + r.malformedChunks
        s.incompleteChunks = l.incompleteChunks + r.incompleteChunks
        s.imagesProcessed = l.imagesProcessed + r.imagesProcessed
        s.imagesNotInStream = l.imagesNotInStream + r.imagesNotInStream
        s.filesPartlyUnread = l.filesPartlyUnread + r.filesPartlyUnread
        s.imagesFromSpotFinding = l.imagesFromSpotFinding + r.imagesFromSpotFinding
        s.resultFilesUnread = l.resultFilesUnread + r.resultFilesUnread
        return s
    }

    /// True when every chunk could be used and nothing that may have been one was skipped.
    public var isComplete: Bool {
        malformedChunks == 0 && incompleteChunks == 0 && filesPartlyUnread == 0 && resultFilesUnread == 0
    }
}

extension ExperimentResults {
    /// The encoder of every JSON document xtalreport writes (summary.json, `stats --json`,
    /// `inspect --json`): pretty, key-sorted, and a number that is not finite (a figure
    /// with too few pairs, a NaN or infinity read from a file) written as the string "NaN",
    /// "Infinity" or "-Infinity", the one form all of them use.
    public static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// A decoder for summary.json: non-finite numbers are the strings "NaN", "Infinity"
    /// and "-Infinity" there.
    public static var jsonDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
