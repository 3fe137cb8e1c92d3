import Foundation
import XtalCore

/// How to read a stream.
public struct StreamReadOptions: Sendable {
    /// Parse peak lists (count and highest resolution of the listed peaks per image).
    /// Off by default: statistics mode skips peak and reflection blocks at byte speed.
    public var parsePeakLists = false
    /// Keep each image's serial number, filename, event and photon energy (split files and
    /// time points need them; statistics do not read them, and leave their columns empty).
    public var keepImageIdentity = true
    /// Read the copied header values (`header/…`, `hdf5/…`: laser flags, delays) into
    /// per-image columns (needed for time points). Off, those lines are not parsed at all.
    public var keepHeaderValues = true
    /// Parse every crystal's reflection list (h, k, l, I, σ(I)) and reciprocal axes into
    /// `StreamReadResult.reflections`, for merging. Off, the lists are skipped in bulk.
    public var parseReflections = false
    /// Where reflection tables go while they are read (reflection mode): each reader
    /// thread writes its rows out as a block once it holds `blockRows` of them, so memory
    /// stays bounded on any input. nil = every table stays in memory.
    public var reflectionSpill: ReflectionSpill?
    /// How many issues to list in detail; all are counted.
    public var maxIssuesListed = 1000
    /// Threads a large file is parsed on; 0 = one per active processor.
    public var workers = 0

    public init(
        parsePeakLists: Bool = false, keepImageIdentity: Bool = true, keepHeaderValues: Bool = true,
        maxIssuesListed: Int = 1000, workers: Int = 0, parseReflections: Bool = false
    ) {
        self.parsePeakLists = parsePeakLists
        self.parseReflections = parseReflections
        self.keepImageIdentity = keepImageIdentity
        self.keepHeaderValues = keepHeaderValues
        self.maxIssuesListed = maxIssuesListed
        self.workers = workers
    }

    /// `workers`, with 0 resolved to the active processor count.
    public var resolvedWorkers: Int {
        workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// Everything read from one stream file: the per-image and per-crystal tables, the
/// provenance of each header, and an honest account of what could not be used.
public struct StreamReadResult: Sendable {
    public var path: String
    public var images = ImageTable()
    public var crystals = CrystalTable()
    /// Every crystal's reflections (reflection mode only, else empty), rows parallel to
    /// `crystals`.
    public var reflections = ReflectionStore()
    /// Reflection lines that could not be read (counted; each listed as an issue).
    public var malformedReflectionLines = 0
    /// One entry per `CrystFEL stream format` header (several in concatenated streams).
    public var provenance: [StreamProvenance] = []
    /// Chunks that ended but could not be used.
    public var malformedChunks = 0
    /// Chunks cut short (truncated file, or interrupted by a new chunk or header).
    public var incompleteChunks = 0
    /// The first `maxIssuesListed` issues, in file order.
    public var issues: [IngestIssue] = []
    /// Issues counted but not listed.
    public var issuesNotListed = 0
    /// Size of the stream in bytes (after decompression, for a compressed file).
    public var bytes = 0
    /// How the file was compressed, if it was.
    public var compressed: CompressedInput?
    /// Lines read.
    public var lines = 0
    /// Non-empty lines outside any chunk or header block that the reader did not know.
    public var strayLines = 0
    /// Of those, lines that look like chunk content (see `StrayLines`).
    public var strayChunkLines = 0
    /// Bytes of the stray lines, with their line ends.
    public var strayBytes = 0

    public init(path: String) { self.path = path }

    /// All chunks the file began: good + malformed + incomplete.
    public var chunksSeen: Int { images.count + malformedChunks + incompleteChunks }
}

/// A stream file that was compressed: its compression, its size on disk, and whether its
/// compressed data could be decoded to the end (damaged or cut-short data: the decoded part
/// was read, the rest could not be, and an issue says where).
public struct CompressedInput: Sendable, Equatable, Codable {
    public var compression: StreamCompression
    public var compressedBytes: Int
    /// What went wrong in decoding (where, and the library's reason), if anything did.
    public var damage: String?
    public var damaged: Bool { damage != nil }
}
