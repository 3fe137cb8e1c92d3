#if canImport(Glibc)
    import Glibc
#endif
import CZlib
import Foundation
import XtalCore
import XtalIngest

/// A task's partial result on disk: the pieces of stream files it parsed, in the binary
/// form of `StreamPiece`, with the fingerprint of the plan's task it answers and a
/// CRC-32 of everything, so that `reduce` takes only a whole result of the right task.
///
/// Layout: the magic line, then the payload (fingerprint, task index, pieces as (file
/// index, piece) pairs), then 8 bytes of payload length, 4 of CRC-32, and `END\n`. Written
/// to a temporary name and renamed (`AtomicFile`), so a killed task leaves no result.
public enum TaskResultFile {
    static let magic = Array("xtalreport task result 3\n".utf8)
    static let end = Array("END\n".utf8)

    /// Writes `pieces` (file index in the plan, piece) as task `task`'s result; reflection
    /// blocks in `reflectionsInPlace` are written as where they are (the cache's entries,
    /// whose blocks stay in a file beside them), all others in full.
    public static func write(
        pieces: [(file: Int, piece: StreamPiece)], task: Int, fingerprint: String, to path: String,
        reflectionsInPlace: ReflectionSpill? = nil
    ) throws {
        try AtomicFile.write(to: path) { temporary in
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.WriteError(path: path, code: errno) }
            defer { close(fd) }
            var crc = crc32(0, nil, 0)
            var payload = 0
            func emit(_ bytes: UnsafeRawBufferPointer, counted: Bool) throws {
                guard bytes.count > 0 else { return }
                let failure = writeAll(to: fd, bytes)
                guard failure == 0 else { throw AtomicFile.WriteError(path: path, code: failure) }
                if counted {
                    // zlib's length is 32 bits: large blocks in parts.
                    var offset = 0
                    while offset < bytes.count {
                        let n = min(1 << 30, bytes.count - offset)
                        crc = crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
                        offset += n
                    }
                    payload += bytes.count
                }
            }
            func flush(_ writer: inout ArchiveWriter) throws {
                let bytes = writer.take()
                try bytes.withUnsafeBytes { try emit($0, counted: true) }
            }
            try magic.withUnsafeBytes { try emit($0, counted: false) }
            var writer = ArchiveWriter()
            writer.write(fingerprint)
            writer.write(task)
            writer.write(pieces.count)
            for (file, piece) in pieces {
                writer.write(file)
                try piece.archive(into: &writer, reflectionsInPlace: reflectionsInPlace, flush: flush)
            }
            try flush(&writer)
            var trailer = ArchiveWriter()
            trailer.write(payload)
            var tail = trailer.take()
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: crc).littleEndian) { tail.append(contentsOf: $0) }
            tail += end
            try tail.withUnsafeBytes { try emit($0, counted: false) }
            // No fsync: a result that a crash left short or damaged fails its checksum and
            // is read again (cache) or named by reduce (task), never used.
        }
    }

    /// What a result file holds.
    public struct Contents: Sendable {
        public var fingerprint: String
        public var task: Int
        public var pieces: [(file: Int, piece: StreamPiece)]
    }

    /// The fingerprint and task index of a whole, undamaged result file (the pieces are
    /// not decoded): what `reduce` and `--resume` check.
    public static func header(path: String) throws -> (fingerprint: String, task: Int) {
        try withPayload(path: path, verify: true) { reader in
            (try reader.readString(), try reader.readInt())
        }
    }

    /// Reads a result file; with a `spill`, reflection blocks go to it as they are read
    /// (those written as in place are taken from `reflectionsInPlace`).
    /// `verify: false` skips the checksum (the fuzz target, to reach the decoding).
    public static func read(
        path: String, spill: ReflectionSpill?, files: Int, verify: Bool = true, reflectionsInPlace: ReflectionSpill? = nil
    ) throws -> Contents {
        try withPayload(path: path, verify: verify) { reader in
            let fingerprint = try reader.readString()
            let task = try reader.readInt()
            let count = try reader.readInt(in: 0...(reader.remaining / 8), "the result's pieces")
            var pieces: [(file: Int, piece: StreamPiece)] = []
            for _ in 0..<count {
                let file = try reader.readInt(in: 0...max(0, files - 1), "a piece's file")
                pieces.append((file, try StreamPiece(from: &reader, spill: spill, reflectionsInPlace: reflectionsInPlace)))
            }
            guard reader.remaining == 0 else { throw ArchiveError.invalid("\(reader.remaining) bytes after the last piece") }
            return Contents(fingerprint: fingerprint, task: task, pieces: pieces)
        }
    }

    private static func withPayload<T>(path: String, verify: Bool, _ decode: (inout ArchiveReader) throws -> T) throws -> T {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw ClusterError.badResult(path: path, reason: "cannot be read (\(error))")
        }
        return try withExtendedLifetime(file) {
            let bytes = file.bytes
            let trailerSize = 8 + 4 + end.count
            guard bytes.count >= magic.count + trailerSize, bytes.starts(with: magic) else {
                throw ClusterError.badResult(path: path, reason: "not a task result")
            }
            guard bytes.suffix(end.count).elementsEqual(end) else {
                throw ClusterError.badResult(path: path, reason: "cut short (no end marker)")
            }
            var trailer = ArchiveReader(bytes, offset: bytes.count - trailerSize)
            let payload = try trailer.readInt()
            guard payload == bytes.count - magic.count - trailerSize else {
                throw ClusterError.badResult(path: path, reason: "its length does not match its trailer")
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[magic.count..<(magic.count + payload)])
            if verify {
                var crc = crc32(0, nil, 0)
                var offset = 0
                while offset < body.count {
                    let n = min(1 << 30, body.count - offset)
                    crc = crc32(crc, body.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
                    offset += n
                }
                var stored: UInt32 = 0
                withUnsafeMutableBytes(of: &stored) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - trailerSize + 8)..<(bytes.count - end.count)]))
                }
                guard UInt32(truncatingIfNeeded: crc) == UInt32(littleEndian: stored) else {
                    throw ClusterError.badResult(path: path, reason: "damaged (its checksum does not match)")
                }
            }
            var reader = ArchiveReader(body)
            do {
                return try decode(&reader)
            } catch let error as ArchiveError {
                throw ClusterError.badResult(path: path, reason: error.description)
            }
        }
    }
}
