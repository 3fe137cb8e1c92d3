import XtalCore

/// A stream file parsed in segments on several threads (`StreamSegments.parse`), not yet
/// joined: the join can then run while the next file is being parsed.
public struct ParsedStream: Sendable {
    private var segments: [StreamSegments.Outcome]
    private let byteCount: Int
    private let options: StreamReadOptions
    private let compressed: CompressedInput?

    /// `byteCount`: the stream's bytes (decompressed, when `compressed` says the file was).
    init(
        segments: [StreamSegments.Outcome], byteCount: Int, options: StreamReadOptions, compressed: CompressedInput? = nil
    ) {
        self.segments = segments
        self.byteCount = byteCount
        self.options = options
        self.compressed = compressed
    }

    /// The parsed segments in file order (for `StreamPiece`).
    var segmentOutcomes: [StreamSegments.Outcome] { segments }
    /// Byte ranges are not kept for a file parsed whole: nil for each segment.
    var segmentRanges: [Range<Int>?] { Array(repeating: nil, count: segments.count) }
    var streamByteCount: Int { byteCount }
    var compressedInput: CompressedInput? { compressed }

    /// No segment saw a header line or began a chunk: the file is not a stream.
    var holdsNoStream: Bool {
        segments.allSatisfy { $0.result.provenance.isEmpty && $0.result.chunksSeen == 0 }
    }

    /// Itself, or an error naming the file when it holds no stream at all.
    public func requiringStream() throws -> ParsedStream {
        guard holdsNoStream else { return self }
        if let damage = compressed?.damage, byteCount == 0 {
            throw InputError.notAStream(path: segments[0].result.path, reason: damage)
        }
        throw InputError.notAStream(
            path: segments[0].result.path,
            reason: byteCount == 0
                ? "the file is empty" : "no 'CrystFEL stream format' header and no '----- Begin chunk -----' line")
    }

    /// The sequential result: tables in file order, line numbers shifted, chunks before a
    /// segment's first header counted under the header before them.
    consuming func joined() -> StreamReadResult {
        takeJoined()
    }

    /// `joined()`, leaving this value without segments: when it was the only holder of
    /// them, the first segment's tables are extended in place, not copied.
    mutating func takeJoined() -> StreamReadResult {
        var rest: [StreamSegments.Outcome] = []
        swap(&rest, &segments)
        var merged = rest.removeFirst()
        // The tables grow once to their final size, and each segment goes as soon as it
        // is appended: a run's tables are held about once while they are joined, not up
        // to three times (segments, and the joined columns grown by doubling).
        merged.result.images.reserveCapacity(forAppending: rest.map(\.result.images))
        merged.result.crystals.reserveCapacity(forAppending: rest.map(\.result.crystals))
        rest.reverse()
        while let next = rest.popLast() {
            var r = next.result
            let offset = merged.lines
            for i in r.issues.indices { r.issues[i].line += offset }
            for i in r.provenance.indices { r.provenance[i].line += offset }
            if next.chunksBeforeFirstHeader > 0, !merged.result.provenance.isEmpty {
                merged.result.provenance[merged.result.provenance.count - 1].chunks += next.chunksBeforeFirstHeader
            }
            merged.result.crystals.append(contentsOf: r.crystals, imageOffset: UInt32(merged.result.images.count))
            merged.result.images.append(contentsOf: r.images)
            merged.result.reflections.append(contentsOf: r.reflections)
            merged.result.malformedReflectionLines += r.malformedReflectionLines
            merged.result.provenance += r.provenance
            merged.result.malformedChunks += r.malformedChunks
            merged.result.incompleteChunks += r.incompleteChunks
            merged.result.strayLines += r.strayLines
            merged.result.strayChunkLines += r.strayChunkLines
            merged.result.strayBytes += r.strayBytes
            let room = max(0, options.maxIssuesListed - merged.result.issues.count)
            merged.result.issues += r.issues.prefix(room)
            merged.result.issuesNotListed += r.issuesNotListed + max(0, r.issues.count - room)
            merged.lines += next.lines
        }
        var result = merged.result
        result.bytes = byteCount
        result.compressed = compressed
        result.lines = merged.lines
        return result
    }
}
