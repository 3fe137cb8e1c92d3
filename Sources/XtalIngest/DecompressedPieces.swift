#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import XtalCore

/// A compressed stream file (gzip or zstd) parsed while it is decompressed.
///
/// A thread of its own decodes the file into pieces of about `pieceBytes` that end where a
/// chunk begins, and queues the parse of each piece on the job's `WorkQueue`, so the reader
/// threads parse one piece while the next is decoded. At most `window` pieces are held at
/// once, so memory does not grow with the file. The pieces join like the segments of a
/// mapped file (`ParsedStream`): the same tables, line numbers and issues as the
/// uncompressed file. Each piece is settled (`MinPeaksCarry`) as soon as every piece before
/// it is done, and its bytes are then freed.
///
/// Nothing is lost silently: damaged compressed data or a file cut short ends the read with
/// an issue naming the compressed byte offset, and the file counts as partly unread.
final class DecompressedPieces: @unchecked Sendable {
    // @unchecked: `pieces`, `settled` and `decodingDone` are touched only with `condition`
    // locked; the decoding state (`decoder`, `buffer`, `filled`, `consumed`, `notes`) only by
    // the thread that decodes (the caller of `schedule` first, then the decoding thread);
    // `inherited` is written before any task that reads it is queued.

    /// How large the pieces are.
    struct Sizes: Sendable {
        /// Bytes a piece holds before it is cut at its last chunk line.
        var piece = 8 << 20
        /// The most bytes gathered while looking for a chunk line; data without one for
        /// this long (not a stream, or one enormous chunk) is cut at a line end instead,
        /// with an issue.
        var longestWithoutChunkLine = 64 << 20
        /// The most bytes one zstd frame or run of BGZF members is decoded into ahead of
        /// the reader (`ParallelFrameDecoder`); a larger one is decoded by the reader,
        /// streaming.
        var largestFrame = 64 << 20
    }

    private struct Piece {
        /// The allocation the piece's bytes are the first `count` of; nil once settled.
        var storage: UnsafeMutableRawBufferPointer?
        let count: Int
        let follows: Bool
        let compressedEnd: Int
        let notes: [String]
        var outcome: StreamSegments.Outcome?
    }

    /// The bytes of one piece, handed to its parse task.
    private struct PieceBytes: @unchecked Sendable {
        // @unchecked: read-only for the task, freed only after the piece is settled.
        let bytes: UnsafeRawBufferPointer
    }

    private let file: MappedFile
    private let path: String
    private let options: StreamReadOptions
    private let queue: WorkQueue
    private let window: Int
    private let progress: (@Sendable (Int) -> Void)?
    private let decoder: StreamDecompressor
    /// For a file of independently decodable parts (pzstd frames, BGZF members) with more
    /// than one worker: parts decoded in parallel.
    private let frameDecoder: ParallelFrameDecoder?
    private let sizes: Sizes
    private let condition = NSCondition()
    private var pieces: [Piece] = []
    private var settled = 0
    private var decodingDone = false
    private var carry = MinPeaksCarry()
    /// Piece buffers: two of the standard size kept for reuse.
    private let buffers: PageBufferPool
    private var inherited = 0
    private var damage: String?
    private var decodedBytes = 0

    private var buffer: UnsafeMutableRawBufferPointer
    private var filled = 0
    private var consumed = 0
    private var notes: [String] = []
    private var inputEnded = false
    /// Compressed pages behind the decoder are released (the file is read once).
    private var inputWindow: MappingWindow

    /// Starts reading `file` (compressed as `compression`): decodes its beginning here, so
    /// that a file that cannot be a stream at all is refused at once, and the rest on a
    /// thread of its own.
    static func schedule(
        _ file: MappedFile, compression: StreamCompression, options: StreamReadOptions, on queue: WorkQueue,
        progress: (@Sendable (Int) -> Void)?, sizes: Sizes = Sizes()
    ) throws -> PendingStream {
        let reader = try DecompressedPieces(
            file, compression: compression, options: options, queue: queue, progress: progress, sizes: sizes)
        reader.fill(atLeast: 1 << 16)
        let head = UnsafeRawBufferPointer(rebasing: reader.buffer[0..<reader.filled])
        if let reason = CrystFELStreamReader.unreadableLineEnds(head) {
            throw InputError.notAStream(path: file.path, reason: reason)
        }
        let thread = Thread { reader.decodeAll() }
        thread.stackSize = 1 << 20
        thread.start()
        return PendingStream(waiting: reader.wait)
    }

    private init(
        _ file: MappedFile, compression: StreamCompression, options: StreamReadOptions, queue: WorkQueue,
        progress: (@Sendable (Int) -> Void)?, sizes: Sizes
    ) throws {
        do {
            decoder = try StreamDecompressor(compression)
        } catch {
            throw InputError.unreadable(path: file.path, reason: error.reason)
        }
        self.file = file
        path = file.path
        self.options = options
        self.queue = queue
        self.progress = progress
        self.sizes = sizes
        if options.resolvedWorkers > 1,
            let frames = CompressedFrames.find(compression, in: file.bytes, mapped: file.isMapped, largestFrame: sizes.largestFrame)
        {
            frameDecoder = ParallelFrameDecoder(
                compression, file: file, frames: frames, queue: queue, ahead: options.resolvedWorkers,
                largestFrame: sizes.largestFrame)
        } else {
            frameDecoder = nil
        }
        inputWindow = MappingWindow(file.bytes, enabled: file.isMapped)
        window = options.resolvedWorkers + 2
        buffers = PageBufferPool(standardSize: sizes.piece, keep: 2)
        buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        buffer = allocate(sizes.piece)
    }

    deinit {
        for buffer in [buffer] + pieces.compactMap(\.storage) { buffers.give(buffer) }
    }

    private func allocate(_ bytes: Int) -> UnsafeMutableRawBufferPointer {
        guard let buffer = buffers.take(bytes) else {
            fatalError("out of memory: cannot map \(bytes) bytes for a decompressed piece")
        }
        return buffer
    }

    // MARK: Decoding (one thread)

    /// Decodes until the buffer holds `atLeast` bytes, is full, or the input has ended
    /// (`inputEnded`; damage and a cut-short file are noted there).
    private func fill(atLeast wanted: Int) {
        if let frameDecoder { return fill(atLeast: wanted, from: frameDecoder) }
        let input = file.bytes
        while !inputEnded, filled < min(wanted, buffer.count) {
            let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
            do {
                switch try decoder.step(rest, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) {
                case .ended:
                    inputEnded = true
                case .stalled:
                    noteDamage(
                        rest.isEmpty
                            ? "the compressed data ends before its last \(memberName) does (the file is cut short)"
                            : "the decoder made no progress")
                    inputEnded = true
                case .decoded(let used, let made):
                    consumed += used
                    filled += made
                    inputWindow.advance(to: consumed)
                }
            } catch {
                consumed += error.consumed
                filled += error.produced
                noteDamage(error.reason)
                inputEnded = true
            }
        }
    }

    /// `fill` from frames decoded in parallel.
    private func fill(atLeast wanted: Int, from frames: ParallelFrameDecoder) {
        while !inputEnded, filled < min(wanted, buffer.count) {
            do {
                let made = try frames.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                consumed = frames.compressedDone
                inputWindow.advance(to: consumed)
                if made == 0 {
                    inputEnded = true
                    consumed = file.bytes.count
                } else {
                    filled += made
                }
            } catch {
                consumed = frames.compressedPosition
                noteDamage(error.reason)
                inputEnded = true
            }
        }
    }

    private var memberName: String { decoder.compression == .gzip ? "gzip member" : "zstd frame" }

    private func noteDamage(_ reason: String) {
        let unread = file.bytes.count - consumed
        let note =
            "\(decoder.compression.rawValue) data damaged at compressed byte \(consumed) of \(file.bytes.count): \(reason)"
            + (unread > 0 ? "; the last \(unread) compressed bytes were not read" : "")
        damage = note
        notes.append(note)
    }

    /// Decodes the whole file into pieces, queuing each; then marks the decoding done.
    private func decodeAll() {
        var running = true
        while running {
            fill(atLeast: buffer.count)
            if inputEnded, filled < buffer.count {
                running = submit(count: filled, follows: false)
                break
            }
            let whole = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            if let cut = StreamSegments.lastChunkLine(in: whole), cut > 0 {
                running = submit(count: cut, follows: true)
            } else if buffer.count < sizes.longestWithoutChunkLine {
                grow(to: min(buffer.count * 2, sizes.longestWithoutChunkLine))
            } else {
                let lineEnd = StreamSegments.lastLineFeed(in: whole, before: filled).map { $0 + 1 }
                notes.append(
                    "no '----- Begin chunk -----' line in \(buffer.count) bytes of decompressed "
                        + "data: read in pieces cut at line ends, so a chunk across the cut is counted as interrupted")
                running = submit(count: lineEnd ?? filled, follows: true)
            }
        }
        condition.lock()
        decodingDone = true
        condition.broadcast()
        condition.unlock()
    }

    private func grow(to capacity: Int) {
        let larger = allocate(capacity)
        larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        buffers.give(buffer)
        buffer = larger
    }

    /// Makes the first `count` bytes of the buffer the next piece and queues its parse,
    /// after waiting while `window` pieces are unsettled; the rest of the buffer starts the
    /// next piece. False when the job has closed the queue (it is ending): decoding stops.
    private func submit(count: Int, follows: Bool) -> Bool {
        let rest = filled - count
        // The rest (part of one chunk, as a rule) starts a standard buffer.
        let next = allocate(rest <= sizes.piece / 2 ? sizes.piece : rest + sizes.piece)
        next.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[count..<filled]))
        let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
        let owned = buffer
        buffer = next
        filled = rest
        decodedBytes += count

        condition.lock()
        while pieces.count - settled >= window { condition.wait() }
        let k = pieces.count
        pieces.append(Piece(storage: owned, count: count, follows: follows, compressedEnd: consumed, notes: notes, outcome: nil))
        condition.unlock()
        notes = []

        let view = PieceBytes(bytes: UnsafeRawBufferPointer(piece))
        if k == 0 {
            // The first header's --min-peaks, which later pieces start with.
            let headerEnd = StreamSegments.chunkLine(in: view.bytes, from: 0) ?? count
            inherited = StreamSegments.parse(
                UnsafeRawBufferPointer(rebasing: view.bytes[0..<headerEnd]), path: path, options: options,
                inheritedMinPeaks: nil, segmentFollows: false, progress: nil
            ).finalMinPeaks
        }
        let inheritedMinPeaks: Int? = k == 0 ? nil : inherited
        let queued = queue.trySubmit { [self] in
            let outcome = StreamSegments.parse(
                view.bytes, path: path, options: options, inheritedMinPeaks: inheritedMinPeaks, segmentFollows: follows,
                progress: nil)
            finished(k, outcome)
        }
        if !queued {
            condition.lock()
            pieces.removeLast()
            condition.unlock()
            buffers.give(owned)
        }
        return queued
    }

    // MARK: Settling (any reader thread)

    private func finished(_ k: Int, _ outcome: StreamSegments.Outcome) {
        condition.lock()
        pieces[k].outcome = outcome
        var reached: Int?
        while settled < pieces.count, let done = pieces[settled].outcome {
            let piece = pieces[settled]
            let view = UnsafeRawBufferPointer(rebasing: piece.storage![0..<piece.count])
            var final = carry.settle(done) { value in
                StreamSegments.parse(
                    view, path: path, options: options, inheritedMinPeaks: value, segmentFollows: piece.follows,
                    progress: nil)
            }
            for note in piece.notes {
                final.result.issues.append(IngestIssue(kind: .warning, file: path, line: final.lines, reason: note))
            }
            pieces[settled].outcome = final
            buffers.give(piece.storage!)
            pieces[settled].storage = nil
            reached = piece.compressedEnd
            settled += 1
        }
        condition.broadcast()
        condition.unlock()
        if let reached { progress?(reached) }
    }

    /// Waits until the file is decoded and every piece settled.
    private func wait() -> ParsedStream {
        condition.lock()
        while !(decodingDone && settled == pieces.count) { condition.wait() }
        let outcomes = pieces.map { $0.outcome! }
        condition.unlock()
        progress?(file.bytes.count)
        return ParsedStream(
            segments: outcomes, byteCount: decodedBytes, options: options,
            compressed: CompressedInput(
                compression: decoder.compression, compressedBytes: file.bytes.count, damage: damage))
    }
}
