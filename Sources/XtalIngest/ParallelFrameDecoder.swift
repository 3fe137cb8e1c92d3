#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import XtalCore

/// Decodes a compressed file made of independently decodable parts (`CompressedFrames`:
/// the frames of a pzstd file, runs of BGZF members) several parts at a time on the job's
/// `WorkQueue`, and hands their bytes out in file order.
///
/// At most `ahead` parts are decoded ahead of the reader, each into at most
/// `largestFrame` bytes; a part that would need more is decoded by the reader itself,
/// streaming, so memory stays bounded whatever the headers declare. So is a part whose
/// decoding failed: the reader then meets the damage itself, with every byte before it
/// decoded and its exact offset, as a one-thread decoding would. When a part's data runs
/// on past the end its header gave (a damaged length), the reader goes on decoding to the
/// end of the file, one thread, exactly as `StreamDecompressor` alone would.
final class ParallelFrameDecoder: @unchecked Sendable {
    // @unchecked: `slots` is touched only with `condition` locked; `file` and `input` are read-only.

    private enum Slot {
        case pending
        case done(UnsafeMutableRawBufferPointer, Int)
        /// Too large to decode ahead, or damaged: the reader decodes it, streaming.
        case decodeHere
        /// Not decoded at all (the job ended).
        case failed(String)
    }

    private let compression: StreamCompression
    /// The file the parts are read from, held for as long as a decoding task may still
    /// run: a read that stops early (damage) leaves the parts queued ahead of it decoding,
    /// and the file's mapping must outlive them (CI caught a task reading an unmapped part).
    private let file: MappedFile
    private let input: UnsafeRawBufferPointer
    private let frames: [CompressedFrame]
    private let queue: WorkQueue
    private let ahead: Int
    private let largestFrame: Int
    private let condition = NSCondition()
    private var slots: [Slot]
    private var submitted = 0
    /// Frame buffers; those of the first size a frame is decoded into are reused.
    private let buffers: PageBufferPool
    private var firstCapacity: Int { buffers.standardSize }

    /// The frame being handed out, and how far.
    private var next = 0
    private var current: (buffer: UnsafeMutableRawBufferPointer, count: Int, position: Int)?
    /// A frame decoded here: too large to decode ahead, or damaged. `toEnd`: its data ran
    /// past the frame's end, so the rest of the file is decoded here.
    private var streaming: (decoder: StreamDecompressor, consumed: Int, toEnd: Bool)?
    /// The reader decoded to the end of the file itself (`toEnd`): nothing more to hand out.
    private var finished = false
    /// Damage met by the reader after it had decoded bytes in the same call: those bytes
    /// are handed out first, the error on the next read.
    private var pendingError: DecompressionError?

    /// The compressed bytes of every frame handed out completely.
    private(set) var compressedDone = 0
    /// The compressed bytes decoded so far (an offset in the file).
    var compressedPosition: Int { streaming.map { frames[next].offset + $0.consumed } ?? compressedDone }

    init(
        _ compression: StreamCompression, file: MappedFile, frames: [CompressedFrame], queue: WorkQueue,
        ahead: Int, largestFrame: Int = 64 << 20
    ) {
        self.compression = compression
        self.file = file
        input = file.bytes
        self.frames = frames
        self.queue = queue
        self.ahead = max(1, ahead)
        self.largestFrame = largestFrame
        slots = Array(repeating: .pending, count: frames.count)
        buffers = PageBufferPool(standardSize: min(8 << 20, largestFrame), keep: self.ahead + 1)
    }

    deinit {
        // Every decoding task holds this object, so none is running now.
        for case .done(let buffer, _) in slots { buffers.give(buffer) }
        if let current { buffers.give(current.buffer) }
    }

    /// Copies the next decoded bytes into `room`; 0 only at the end of the file.
    func read(into room: UnsafeMutableRawBufferPointer) throws(DecompressionError) -> Int {
        while !finished {
            if let error = pendingError { throw DecompressionError(reason: error.reason) }
            if let c = current {
                let n = min(room.count, c.count - c.position)
                if n > 0 {
                    room.baseAddress!.copyMemory(from: c.buffer.baseAddress! + c.position, byteCount: n)
                    current!.position += n
                    return n
                }
                buffers.give(c.buffer)
                current = nil
                finishFrame()
                continue
            }
            if var s = streaming {
                let frame = frames[next]
                let end = s.toEnd ? input.count : frame.offset + frame.length
                let rest = UnsafeRawBufferPointer(rebasing: input[(frame.offset + s.consumed)..<end])
                if rest.isEmpty, !s.toEnd, !s.decoder.atMemberBoundary {
                    // The data goes on past the end the header gave: one decoder to the end.
                    s.toEnd = true
                    streaming = s
                    continue
                }
                let step: StreamDecompressor.Step
                do {
                    step = try s.decoder.step(rest, into: room)
                } catch {
                    s.consumed += error.consumed
                    streaming = s
                    guard error.produced > 0 else { throw DecompressionError(reason: error.reason) }
                    pendingError = error
                    return error.produced
                }
                switch step {
                case .ended:
                    streaming = nil
                    if s.toEnd {
                        finished = true
                        return 0
                    }
                    finishFrame()
                    continue
                case .stalled:
                    throw DecompressionError(
                        reason: rest.isEmpty ? "the compressed data ends before its last \(memberName) does (the file is cut short)" : "the decoder made no progress")
                case .decoded(let used, let made):
                    s.consumed += used
                    streaming = s
                    if made > 0 { return made }
                }
                continue
            }
            guard next < frames.count else { return 0 }
            submitAhead()
            condition.lock()
            while case .pending = slots[next] { condition.wait() }
            let slot = slots[next]
            slots[next] = .pending  // handed over
            condition.unlock()
            switch slot {
            case .done(let buffer, let count): current = (buffer, count, 0)
            case .decodeHere: streaming = (try StreamDecompressor(compression), 0, false)
            case .failed(let reason): throw DecompressionError(reason: reason)
            case .pending: break
            }
        }
        return 0
    }

    private func finishFrame() {
        compressedDone = frames[next].offset + frames[next].length
        next += 1
    }

    /// Queues the decoding of the frames up to `ahead` past the one being handed out.
    private func submitAhead() {
        while submitted < min(frames.count, next + ahead + 1) {
            let k = submitted
            submitted += 1
            let queued = queue.trySubmit { [self] in
                let outcome = decodeFrame(frames[k])
                condition.lock()
                slots[k] = outcome
                condition.broadcast()
                condition.unlock()
            }
            if !queued {
                condition.lock()
                slots[k] = .failed("the job ended before the file was read")
                condition.unlock()
            }
        }
    }

    /// What a member is called in a reason (as `DecompressedPieces` calls it).
    private var memberName: String { compression == .gzip ? "gzip member" : "zstd frame" }

    /// Decodes one part into pages of its own, growing them up to `largestFrame`.
    private func decodeFrame(_ frame: CompressedFrame) -> Slot {
        guard let decoder = try? StreamDecompressor(compression) else { return .decodeHere }
        var capacity = firstCapacity
        guard var buffer = buffers.take(capacity) else { return .failed("out of memory") }
        let bytes = UnsafeRawBufferPointer(rebasing: input[frame.offset..<(frame.offset + frame.length)])
        var consumed = 0
        var produced = 0
        while true {
            if produced == capacity {
                guard capacity < largestFrame, let larger = buffers.take(min(capacity * 2, largestFrame)) else {
                    buffers.give(buffer)
                    return .decodeHere
                }
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<produced]))
                buffers.give(buffer)
                buffer = larger
                capacity = larger.count
            }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer[produced..<capacity])
            let step: StreamDecompressor.Step
            do {
                step = try decoder.step(rest, into: room)
            } catch {
                buffers.give(buffer)
                return .decodeHere
            }
            switch step {
            case .ended: return .done(buffer, produced)
            case .stalled:
                buffers.give(buffer)
                return .decodeHere
            case .decoded(let used, let made):
                consumed += used
                produced += made
            }
        }
    }
}
