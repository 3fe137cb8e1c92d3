import CZlib
import CZstd

/// Why compressed bytes could not be decoded: the library's own words.
struct DecompressionError: Error {
    let reason: String
    /// What the failing call still did before it stopped: the compressed bytes it used and
    /// the decoded bytes it wrote (kept, so that what precedes damage is read whatever
    /// the sizes of the calls).
    var consumed = 0
    var produced = 0
}

/// Decodes a gzip or zstd file step by step into buffers the caller provides. Several gzip
/// members or zstd frames one after another (`cat a.gz b.gz`, pzstd) decode as one stream, as
/// `zcat` and `zstdcat` give them. Memory is bounded by the formats: gzip's window is 32 KiB,
/// and a zstd frame that asks for a window over libzstd's default limit (128 MiB) is refused.
/// gzip's CRC-32 and length, and a zstd frame's checksum when it has one, are verified.
final class StreamDecompressor {
    let compression: StreamCompression
    /// zlib keeps a pointer to its z_stream and checks it on each call, so the struct must
    /// not move: it lives on the heap.
    private let gzip: UnsafeMutablePointer<z_stream>?
    private let zstd: OpaquePointer?
    /// A gzip member has ended; the next bytes, if any, must begin another member.
    private var gzipMemberEnded = false
    /// True when the bytes decoded so far end exactly at the end of a member or frame:
    /// only there may the input end without being cut short.
    private(set) var atMemberBoundary = false

    init(_ compression: StreamCompression) throws(DecompressionError) {
        self.compression = compression
        switch compression {
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard xr_inflate_init_gzip(stream) == Z_OK else {
                stream.deallocate()
                throw DecompressionError(reason: "zlib could not start (out of memory)")
            }
            gzip = stream
            zstd = nil
        case .zstd:
            guard let stream = ZSTD_createDStream() else {
                throw DecompressionError(reason: "libzstd could not start (out of memory)")
            }
            ZSTD_initDStream(stream)
            gzip = nil
            zstd = stream
        }
    }

    deinit {
        if let gzip {
            inflateEnd(gzip)
            gzip.deinitialize(count: 1)
            gzip.deallocate()
        }
        if let zstd { ZSTD_freeDStream(zstd) }
    }

    /// What one `step` did.
    enum Step {
        /// `consumed` compressed bytes gave `produced` decoded ones (at least one is not 0).
        case decoded(consumed: Int, produced: Int)
        /// No compressed bytes are left and the last member or frame is complete.
        case ended
        /// Nothing could be done: no bytes are left inside a member or frame (cut short),
        /// or the decoder made nothing of those given.
        case stalled
    }

    /// Decodes from the start of `rest` (all the compressed bytes of the file or part not
    /// yet consumed) into `room`, which must not be empty. Neither library consumes the
    /// last input byte of a member or frame before all of its output is written (gzip's
    /// trailer follows the data; libzstd holds one byte back), so no input left inside a
    /// member means the data is cut short.
    func step(_ rest: UnsafeRawBufferPointer, into room: UnsafeMutableRawBufferPointer) throws(DecompressionError) -> Step {
        if rest.isEmpty, atMemberBoundary { return .ended }
        let (used, made) = try decode(rest, into: room)
        return used == 0 && made == 0 ? .stalled : .decoded(consumed: used, produced: made)
    }

    /// Decodes from the start of `input` (all the compressed bytes not yet consumed) into
    /// `output`; returns how many bytes of each were used. Both are 0 only when `input` is
    /// empty or `output` has no room.
    func decode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DecompressionError) -> (consumed: Int, produced: Int) {
        guard !input.isEmpty, !output.isEmpty else { return (0, 0) }
        switch compression {
        case .gzip: return try decodeGzip(input, into: output)
        case .zstd: return try decodeZstd(input, into: output)
        }
    }

    private func decodeGzip(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DecompressionError) -> (consumed: Int, produced: Int) {
        let stream = gzip!
        if gzipMemberEnded {
            // What follows a member must be another member (gzip itself ignores trailing
            // zeros with a warning; anything else after the data is damage, not silence).
            guard input.count >= 2, input[0] == 0x1F, input[1] == 0x8B else {
                throw DecompressionError(
                    reason: "\(input.count) bytes after the end of the gzip data are not gzip data")
            }
            inflateReset(stream)
            gzipMemberEnded = false
        }
        let given = UInt32(min(input.count, 1 << 30))
        let room = UInt32(min(output.count, 1 << 30))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = given
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = room
        let status = inflate(stream, Z_NO_FLUSH)
        let used = (Int(given - stream.pointee.avail_in), Int(room - stream.pointee.avail_out))
        switch status {
        case Z_OK, Z_BUF_ERROR:
            if used.0 > 0 || used.1 > 0 { atMemberBoundary = false }
        case Z_STREAM_END:
            atMemberBoundary = true
            gzipMemberEnded = true
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw DecompressionError(reason: message, consumed: used.0, produced: used.1)
        }
        return used
    }

    private func decodeZstd(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(DecompressionError) -> (consumed: Int, produced: Int) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let status = ZSTD_decompressStream(zstd, &target, &source)
        if ZSTD_isError(status) != 0 {
            throw DecompressionError(
                reason: String(cString: ZSTD_getErrorName(status)), consumed: source.pos, produced: target.pos)
        }
        // 0: a frame is complete and all of it flushed; the next byte starts a new frame.
        atMemberBoundary = status == 0
        return (source.pos, target.pos)
    }
}
