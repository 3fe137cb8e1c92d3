import XtalCore

/// A part of one stream file parsed on its own, by a cluster task or for the cache: a byte
/// range of a plain file that starts and ends at `----- Begin chunk -----` lines (or the
/// file's ends), or the whole of a compressed file. Joined with the file's other pieces in
/// order (`ParsedStream(pieces:)`), it gives exactly what one process reading the whole
/// file gives: the parse is the same segment parse `run` does, only the segments are cut
/// elsewhere, and a join does not depend on where they were cut (tested).
public struct StreamPiece: Sendable {
    /// The segments, in file order, each with its byte range in the file (nil inside a
    /// compressed file, which is parsed whole).
    var outcomes: [StreamSegments.Outcome]
    var ranges: [Range<Int>?]
    /// The bytes the piece covers (decompressed, for a compressed file).
    public internal(set) var byteCount: Int
    var compressed: CompressedInput?

    /// A whole file already parsed, as one piece.
    init(whole: ParsedStream) {
        self.init(
            outcomes: whole.segmentOutcomes, ranges: whole.segmentRanges, byteCount: whole.streamByteCount,
            compressed: whole.compressedInput)
    }

    init(outcomes: [StreamSegments.Outcome], ranges: [Range<Int>?], byteCount: Int, compressed: CompressedInput?) {
        (self.outcomes, self.ranges, self.byteCount, self.compressed) = (outcomes, ranges, byteCount, compressed)
    }

    /// Good chunks in the piece.
    public var imageCount: Int { outcomes.reduce(0) { $0 + $1.result.images.count } }
}

/// Parses pieces of stream files and finds where a plain file can be cut.
public enum StreamPieceReader {
    /// Whether the file is compressed (and so read whole, never cut).
    public static func isCompressed(path: String) throws -> Bool {
        let file = try MappedFile(path: path)
        return withExtendedLifetime(file) { StreamCompression.detect(file.bytes) != nil }
    }

    /// The offsets of the first chunk line at or after each of `wanted` (ascending), the
    /// places a plain file can be cut; an offset with no chunk line after it is dropped.
    public static func cutPoints(path: String, near wanted: [Int]) throws -> [Int] {
        let file = try MappedFile(path: path)
        defer { withExtendedLifetime(file) {} }
        var cuts: [Int] = []
        for offset in wanted where offset > (cuts.last ?? 0) && offset < file.bytes.count {
            if let found = StreamSegments.chunkLine(in: file.bytes, from: offset), found > (cuts.last ?? 0), found < file.bytes.count {
                cuts.append(found)
            }
        }
        return cuts
    }

    /// Parses bytes `range` of the plain stream at `path` (nil: the whole file, plain or
    /// compressed) on `workers` threads.
    public static func parse(
        path: String, range: Range<Int>?, options: StreamReadOptions, workers: Int,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> StreamPiece {
        var adjusted = options
        adjusted.workers = workers
        let options = adjusted
        let file = try MappedFile(path: path)
        let compression = StreamCompression.detect(file.bytes)
        guard let range, compression == nil else {
            guard range == nil else { throw InputError.unreadable(path: path, reason: "a compressed stream cannot be read in parts") }
            let queue = WorkQueue(workers: options.resolvedWorkers)
            defer { queue.close() }
            return StreamPiece(whole: try CrystFELStreamReader.schedule(path: path, options: options, on: queue, progress: progress).wait())
        }
        if let reason = CrystFELStreamReader.unreadableLineEnds(file.bytes) { throw InputError.notAStream(path: path, reason: reason) }
        guard range.lowerBound >= 0, range.upperBound <= file.bytes.count else {
            throw InputError.unreadable(path: path, reason: "bytes \(range) are beyond its \(file.bytes.count) bytes (the file changed)")
        }
        let firstMinPeaks = range.lowerBound == 0 ? nil : fileMinPeaks(file.bytes, path: path, options: options)
        let slice = UnsafeRawBufferPointer(rebasing: file.bytes[range])
        let bounds = StreamSegments.boundaries(slice, parts: workers > 1 ? workers * 4 : 1)
        let parts = bounds.count - 1
        let laterMinPeaks = firstMinPeaks ?? (parts > 1 ? fileMinPeaks(file.bytes, path: path, options: options) : 0)
        let pending = QueuedSegments(
            bytes: slice, owner: file, bounds: bounds, path: path, options: options, settles: false)
        let queue = WorkQueue(workers: options.resolvedWorkers)
        defer { queue.close() }
        for k in 0..<parts {
            pending.started()
            queue.submit {
                pending.finished(
                    k,
                    StreamSegments.parse(
                        pending.segment(k), path: path, options: options, inheritedMinPeaks: k == 0 ? firstMinPeaks : laterMinPeaks,
                        segmentFollows: k < parts - 1 || range.upperBound < file.bytes.count, dropBehind: file.isMapped,
                        progress: progress.map { report in { report(bounds[k] + $0) } }))
            }
        }
        let outcomes = pending.wait().segmentOutcomes
        let ranges = (0..<parts).map { k in Optional(range.lowerBound + bounds[k]..<range.lowerBound + bounds[k + 1]) }
        return StreamPiece(outcomes: outcomes, ranges: ranges, byteCount: range.count, compressed: nil)
    }

    /// The `--min-peaks` of the file's first header: what a segment after the first starts with.
    static func fileMinPeaks(_ bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions) -> Int {
        let headerEnd = StreamSegments.chunkLine(in: bytes, from: 0) ?? bytes.count
        return StreamSegments.parse(
            UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd]), path: path, options: options, inheritedMinPeaks: nil,
            segmentFollows: false, progress: nil
        ).finalMinPeaks
    }
}

extension ParsedStream {
    /// The file at `path` from its pieces in file order. `--min-peaks` is settled across
    /// them as across a one-process read's segments: a segment that judged hits by an
    /// inherited value that was wrong (a concatenated stream) is parsed again here.
    public init(pieces: [StreamPiece], path: String, options: StreamReadOptions) throws {
        var carry = MinPeaksCarry()
        var settled: [StreamSegments.Outcome] = []
        var mapped: MappedFile?
        for piece in pieces {
            for (outcome, range) in zip(piece.outcomes, piece.ranges) {
                settled.append(try carry.settle(outcome) { value in
                    guard let range else { return outcome }  // a compressed file is parsed whole, in order
                    if mapped == nil { mapped = try MappedFile(path: path) }
                    guard let file = mapped, range.upperBound <= file.bytes.count else { return outcome }
                    return StreamSegments.parse(
                        UnsafeRawBufferPointer(rebasing: file.bytes[range]), path: path, options: options,
                        inheritedMinPeaks: value, segmentFollows: range.upperBound < file.bytes.count, progress: nil)
                })
            }
        }
        guard !settled.isEmpty else { throw InputError.unreadable(path: path, reason: "no part of it was read") }
        self.init(
            segments: settled, byteCount: pieces.reduce(0) { $0 + $1.byteCount }, options: options,
            compressed: pieces.compactMap(\.compressed).first)
    }
}
