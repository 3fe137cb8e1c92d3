#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CZstd
import Foundation
import XtalCore

/// Decodes a zstd file made of many frames (pzstd writes one per few MiB) several frames at
/// a time on the job's `WorkQueue`, and hands their bytes out in file order: the one format
/// of compressed stream whose parts can be found without decoding them
/// (`ZSTD_findFrameCompressedSize` walks the block headers). A gzip member's end, by
/// contrast, is known only by decoding it, so gzip is decoded on one thread.
///
/// At most `ahead` frames are decoded ahead of the reader, each into at most
/// `largestFrame` bytes; a frame that would need more is decoded by the reader itself,
/// streaming, so memory stays bounded whatever the frames declare.
final class ZstdFrameDecoder: @unchecked Sendable {
    // @unchecked: `slots` is touched only with `condition` locked; `input` is read-only.

    /// One frame's place in the file.
    struct Frame: Sendable {
        var offset: Int
        var length: Int
    }

    private enum Slot {
        case pending
        case done(UnsafeMutableRawBufferPointer, Int)
        case tooLarge
        case failed(String)
    }

    private let input: UnsafeRawBufferPointer
    private let frames: [Frame]
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
    /// A frame too large to decode ahead, decoded here.
    private var streaming: (decoder: StreamDecompressor, consumed: Int)?

    /// The compressed bytes of every frame handed out completely.
    private(set) var compressedDone = 0

    /// The frames of `bytes` when there are at least two with data, else nil (one frame,
    /// or a damaged layout: the streaming decoder then reads the file and says where).
    /// `mapped`: the bytes are a file mapping, whose pages the walk through the block
    /// headers faults in and hands back as it goes (the file is not held resident for it).
    static func frames(in bytes: UnsafeRawBufferPointer, mapped: Bool, largestFrame: Int = 64 << 20) -> [Frame]? {
        guard let base = bytes.baseAddress else { return nil }
        // A first frame that says it holds more than a frame may be decoded into (the zstd
        // program writes one frame per file, with its size): one frame, streamed; its blocks
        // are not walked.
        let declared = ZSTD_getFrameContentSize(base, bytes.count)
        if declared != ZSTD_CONTENTSIZE_UNKNOWN, declared != ZSTD_CONTENTSIZE_ERROR, declared > UInt64(largestFrame) {
            return nil
        }
        var window = MappingWindow(bytes, enabled: mapped)
        defer { window.advance(to: bytes.count) }
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            window.advance(to: offset)
            let length = ZSTD_findFrameCompressedSize(base + offset, bytes.count - offset)
            guard ZSTD_isError(length) == 0, length > 0 else { return nil }
            // Skippable frames (pzstd's size notes) carry no stream bytes.
            let magic = bytes.count - offset >= 4 ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : 0
            if UInt32(littleEndian: magic) & 0xFFFF_FFF0 != 0x184D_2A50 {
                frames.append(Frame(offset: offset, length: length))
            }
            offset += length
        }
        return frames.count >= 2 ? frames : nil
    }

    init(input: UnsafeRawBufferPointer, frames: [Frame], queue: WorkQueue, ahead: Int, largestFrame: Int = 64 << 20) {
        self.input = input
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
        while true {
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
                let rest = UnsafeRawBufferPointer(rebasing: input[(frame.offset + s.consumed)..<(frame.offset + frame.length)])
                if rest.isEmpty {
                    guard s.decoder.atMemberBoundary else { throw DecompressionError(reason: "a zstd frame ends early") }
                    streaming = nil
                    finishFrame()
                    continue
                }
                let (used, made) = try s.decoder.decode(rest, into: room)
                s.consumed += used
                streaming = s
                if made > 0 { return made }
                if used == 0 { throw DecompressionError(reason: "the decoder made no progress") }
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
            case .tooLarge: streaming = (try StreamDecompressor(.zstd), 0)
            case .failed(let reason): throw DecompressionError(reason: reason)
            case .pending: break
            }
        }
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

    /// Decodes one frame into pages of its own, growing them up to `largestFrame`.
    private func decodeFrame(_ frame: Frame) -> Slot {
        guard let stream = ZSTD_createDStream() else { return .failed("libzstd could not start (out of memory)") }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        var capacity = firstCapacity
        guard var buffer = buffers.take(capacity) else { return .failed("out of memory") }
        var source = ZSTD_inBuffer(src: input.baseAddress! + frame.offset, size: frame.length, pos: 0)
        var produced = 0
        while true {
            var target = ZSTD_outBuffer(dst: buffer.baseAddress! + produced, size: capacity - produced, pos: 0)
            let status = ZSTD_decompressStream(stream, &target, &source)
            produced += target.pos
            if ZSTD_isError(status) != 0 {
                buffers.give(buffer)
                return .failed(String(cString: ZSTD_getErrorName(status)))
            }
            if status == 0 { return .done(buffer, produced) }  // the frame is complete
            if produced == capacity {
                guard capacity < largestFrame, let larger = buffers.take(min(capacity * 2, largestFrame)) else {
                    buffers.give(buffer)
                    return .tooLarge
                }
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<produced]))
                buffers.give(buffer)
                buffer = larger
                capacity = larger.count
            } else if source.pos == source.size, target.pos == 0 {
                buffers.give(buffer)
                return .failed("a zstd frame ends early")
            }
        }
    }
}
