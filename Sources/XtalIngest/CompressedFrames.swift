import CZstd
import XtalCore

/// One independently decodable part of a compressed file: a zstd frame, or a run of BGZF
/// gzip members.
struct CompressedFrame: Sendable, Equatable {
    var offset: Int
    var length: Int
}

/// Finds the parts of a compressed file that can be decoded without decoding what comes
/// before them, from headers alone, so that several can be decoded at once
/// (`ParallelFrameDecoder`). Two layouts have them:
///
/// - zstd files of many frames (pzstd writes one per few MiB): a frame's length is found by
///   walking its block headers (`ZSTD_findFrameCompressedSize`).
/// - BGZF (the blocked gzip of htslib's `bgzip`): every member's header carries its own
///   length in an extra subfield `BC` (SAMv1 specification §4.1), and its trailer the
///   decoded length (at most 64 KiB), so members are gathered into runs of about
///   `batchBytes` decoded bytes.
///
/// Any other gzip file, a member's end being known only by decoding it, and a single zstd
/// frame give nil: the file is decoded on one thread. A layout that stops making sense
/// part-way (damage) also gives nil, so that the streaming decoder reads up to the damage
/// and names its offset.
enum CompressedFrames {
    /// The parts of `bytes`, when there are at least two, else nil. `mapped`: the bytes
    /// are a file mapping, whose pages the walk through the headers faults in and hands
    /// back as it goes (the file is not held resident for it).
    static func find(
        _ compression: StreamCompression, in bytes: UnsafeRawBufferPointer, mapped: Bool, largestFrame: Int = 64 << 20
    ) -> [CompressedFrame]? {
        switch compression {
        case .zstd: zstdFrames(in: bytes, mapped: mapped, largestFrame: largestFrame)
        case .gzip: bgzfRuns(in: bytes, mapped: mapped, batchBytes: min(4 << 20, largestFrame))
        }
    }

    /// The zstd frames with data (skippable frames, pzstd's size notes, carry none).
    static func zstdFrames(in bytes: UnsafeRawBufferPointer, mapped: Bool, largestFrame: Int) -> [CompressedFrame]? {
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
        var frames: [CompressedFrame] = []
        var offset = 0
        while offset < bytes.count {
            window.advance(to: offset)
            let length = ZSTD_findFrameCompressedSize(base + offset, bytes.count - offset)
            guard ZSTD_isError(length) == 0, length > 0 else { return nil }
            let magic = bytes.count - offset >= 4 ? bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : 0
            if UInt32(littleEndian: magic) & 0xFFFF_FFF0 != 0x184D_2A50 {
                frames.append(CompressedFrame(offset: offset, length: length))
            }
            offset += length
        }
        return frames.count >= 2 ? frames : nil
    }

    /// Runs of whole BGZF members of about `batchBytes` decoded bytes each.
    static func bgzfRuns(in bytes: UnsafeRawBufferPointer, mapped: Bool, batchBytes: Int) -> [CompressedFrame]? {
        var window = MappingWindow(bytes, enabled: mapped)
        defer { window.advance(to: bytes.count) }
        var runs: [CompressedFrame] = []
        var run = CompressedFrame(offset: 0, length: 0)
        var runDecoded = 0
        var offset = 0
        while offset < bytes.count {
            window.advance(to: offset)
            guard let length = bgzfMemberLength(bytes, at: offset) else { return nil }
            let decoded = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + length - 4, as: UInt32.self)))
            if run.length > 0, runDecoded + decoded > batchBytes {
                runs.append(run)
                run = CompressedFrame(offset: offset, length: 0)
                runDecoded = 0
            }
            run.length += length
            runDecoded += decoded
            offset += length
        }
        if run.length > 0 { runs.append(run) }
        return runs.count >= 2 ? runs : nil
    }

    /// The length of the BGZF member at `offset`, from the `BC` subfield of its header, or
    /// nil when no such member starts there (a plain gzip member, damage, or too few bytes).
    static func bgzfMemberLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        // ID1 ID2 CM FLG (FEXTRA set), MTIME, XFL, OS, XLEN, then XLEN bytes of subfields.
        let fixed = 12
        guard bytes.count - offset >= fixed, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B,
            bytes[offset + 2] == 8, bytes[offset + 3] & 0x04 != 0
        else { return nil }
        let extraLength = Int(bytes[offset + 10]) | Int(bytes[offset + 11]) << 8
        guard bytes.count - offset >= fixed + extraLength else { return nil }
        var field = offset + fixed
        let extraEnd = field + extraLength
        while extraEnd - field >= 4 {
            let fieldLength = Int(bytes[field + 2]) | Int(bytes[field + 3]) << 8
            if bytes[field] == 66, bytes[field + 1] == 67, fieldLength == 2, extraEnd - field >= 6 {
                let length = (Int(bytes[field + 4]) | Int(bytes[field + 5]) << 8) + 1
                // The header, the deflate data (at least the empty block's 2 bytes) and the
                // 8-byte trailer (CRC-32, decoded length).
                guard length >= fixed + extraLength + 2 + 8, length <= bytes.count - offset else { return nil }
                return length
            }
            field += 4 + fieldLength
        }
        return nil
    }
}
