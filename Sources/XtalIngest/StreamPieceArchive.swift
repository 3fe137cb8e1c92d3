import XtalCore

/// The binary form of a `StreamPiece` (`XtalCore.BinaryArchive`): what a cluster task hands
/// to the reduce step and what the cache keeps of a file. Every segment's tables and counts
/// are written whole; reflections block by block, so that `flush` can hand the bytes to a
/// file before the next block is written and a task never holds its reflections twice.
extension StreamPiece {
    /// Writes the piece; `flush` is called after each segment's tables and after each
    /// reflection block with the writer, to move its bytes out. Blocks already in
    /// `reflectionsInPlace` (a named spill file the reader of the archive opens as well: the
    /// cache's) are written as where they are, not copied.
    public func archive(
        into writer: inout ArchiveWriter, reflectionsInPlace: ReflectionSpill? = nil,
        flush: (inout ArchiveWriter) throws -> Void
    ) throws {
        writer.write(byteCount)
        try writer.write(json: compressed)
        writer.write(outcomes.count)
        for (outcome, range) in zip(outcomes, ranges) {
            writer.write(range != nil)
            writer.write(range?.lowerBound ?? 0)
            writer.write(range?.upperBound ?? 0)
            writer.write(outcome.lines)
            writer.write(outcome.chunksBeforeFirstHeader)
            writer.write(outcome.usedInheritedMinPeaks)
            writer.write(outcome.initialMinPeaks)
            writer.write(outcome.finalMinPeaks)
            writer.write(outcome.sawHeader)
            let r = outcome.result
            writer.write(r.path)
            for count in [
                r.malformedReflectionLines, r.malformedChunks, r.incompleteChunks, r.issuesNotListed, r.bytes, r.lines,
                r.strayLines, r.strayChunkLines, r.strayBytes,
            ] { writer.write(count) }
            try writer.write(json: r.provenance)
            try writer.write(json: r.issues)
            try writer.write(json: r.compressed)
            r.images.archive(into: &writer)
            r.crystals.archive(into: &writer)
            try flush(&writer)
            writer.write(r.reflections.crystalCount)
            var scratch = ReflectionTable()
            func inline(_ table: ReflectionTable) throws {
                writer.write(BlockTag.inline.rawValue)
                table.archive(into: &writer)
                try flush(&writer)
            }
            for block in r.reflections.blocks {
                switch block {
                case .spilled(let spilled) where reflectionsInPlace != nil && spilled.spill === reflectionsInPlace:
                    writer.write(BlockTag.inPlace.rawValue)
                    writer.write(spilled.offset)
                    writer.write(spilled.crystalCount)
                    writer.write(spilled.count)
                case .spilled(let spilled):
                    try spilled.load(into: &scratch)
                    try inline(scratch)
                case .memory(let table):
                    try inline(table)
                }
            }
            if r.reflections.tail.crystalCount > 0 { try inline(r.reflections.tail) }
            writer.write(BlockTag.end.rawValue)
        }
    }

    /// What follows in a segment's reflections: a block's table, where a block is in the
    /// named spill file, or the end.
    enum BlockTag: Int {
        case end = 0
        case inline = 1
        case inPlace = 2
    }

    /// Reads a piece written by `archive`; with a `spill`, each reflection block goes
    /// straight to it (memory stays bounded, as in a one-process read). Blocks written as
    /// in place are taken from `reflectionsInPlace` (`ReflectionSpill.existing`), where
    /// they are checked to lie; a piece with such blocks is refused without one.
    public init(from reader: inout ArchiveReader, spill: ReflectionSpill?, reflectionsInPlace: ReflectionSpill? = nil) throws {
        byteCount = try reader.readInt(in: 0...Int.max, "the piece's bytes")
        compressed = try reader.read(json: CompressedInput?.self)
        let segments = try reader.readInt(in: 0...(reader.remaining / 64), "the piece's segments")
        outcomes = []
        ranges = []
        for _ in 0..<segments {
            let hasRange = try reader.readBool()
            let (lower, upper) = (try reader.readInt(), try reader.readInt())
            guard lower >= 0, upper >= lower else { throw ArchiveError.invalid("a segment's byte range \(lower)..<\(upper)") }
            ranges.append(hasRange ? lower..<upper : nil)
            let lines = try reader.readInt(in: 0...Int.max, "a segment's lines")
            let chunksBefore = try reader.readInt(in: 0...Int.max, "chunks before the first header")
            let usedInherited = try reader.readBool()
            let (initial, final) = (try reader.readInt(), try reader.readInt())
            let sawHeader = try reader.readBool()
            var r = StreamReadResult(path: try reader.readString())
            var counts: [Int] = []
            for _ in 0..<9 { counts.append(try reader.readInt(in: 0...Int.max, "a segment's count")) }
            (r.malformedReflectionLines, r.malformedChunks, r.incompleteChunks, r.issuesNotListed) = (counts[0], counts[1], counts[2], counts[3])
            (r.bytes, r.lines, r.strayLines, r.strayChunkLines, r.strayBytes) = (counts[4], counts[5], counts[6], counts[7], counts[8])
            r.provenance = try reader.read(json: [StreamProvenance].self)
            r.issues = try reader.read(json: [IngestIssue].self)
            r.compressed = try reader.read(json: CompressedInput?.self)
            r.images = try ImageTable(from: &reader)
            r.crystals = try CrystalTable(from: &reader, images: r.images.count)
            let crystalsWithReflections = try reader.readInt(in: 0...r.crystals.count, "crystals with reflections")
            var store = ReflectionStore()
            while true {
                let tag = BlockTag(rawValue: try reader.readInt(in: 0...2, "a reflection block's kind"))!
                if tag == .end { break }
                if tag == .inPlace {
                    guard let reflectionsInPlace else {
                        throw ArchiveError.invalid("reflection blocks in a file of their own, which is not at hand")
                    }
                    let offset = try reader.readInt(in: 0...Int.max, "a block's offset")
                    let crystals = try reader.readInt(in: 0...(crystalsWithReflections - store.crystalCount), "a block's crystals")
                    let rows = try reader.readInt(in: 0...Int.max, "a block's reflections")
                    store.append(spilled: try reflectionsInPlace.block(offset: offset, crystals: crystals, rows: rows))
                    continue
                }
                var block = ReflectionStore()
                block.tail = try ReflectionTable(from: &reader)
                guard store.crystalCount + block.crystalCount <= crystalsWithReflections else {
                    throw ArchiveError.invalid("more crystals with reflections than the segment holds")
                }
                if let spill { try block.spillTail(to: spill, keepingCapacity: false) }
                store.append(contentsOf: block)
            }
            guard store.crystalCount == crystalsWithReflections else {
                throw ArchiveError.invalid("\(store.crystalCount) crystals with reflections, \(crystalsWithReflections) announced")
            }
            r.reflections = store
            outcomes.append(
                StreamSegments.Outcome(
                    result: r, lines: lines, chunksBeforeFirstHeader: chunksBefore, usedInheritedMinPeaks: usedInherited,
                    initialMinPeaks: initial, finalMinPeaks: final, sawHeader: sawHeader))
        }
    }
}
