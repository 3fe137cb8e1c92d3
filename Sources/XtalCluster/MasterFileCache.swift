#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import XtalCore
import XtalNexus
import CZlib

/// The read of each run's master file, kept beside the stream cache (`cache/KEY.master`):
/// a re-run takes an unchanged master file from there instead of starting a child process
/// and libhdf5 again (on the 1 M-image example's re-runs, the cached runs' reads were most
/// of what they added: they have no parse to hide behind).
///
/// An entry is found by the master file's path and identity (`FileIdentity`: size,
/// modification time, checksum of its first and last 64 KiB) and the engine's version, and
/// used only while every file the read looked at through the master's external links is
/// as it was (absent, or of the same size and modification time): a data file or odin meta
/// file that appears, goes or changes makes the master file read again. The entry is the
/// read in the child's own form (`NexusMasterFile.archived`) with a CRC-32 of everything
/// before it at its end, written under a temporary name and renamed; one whose checksum or
/// decoding fails is read again, never used.
public final class MasterFileCache: @unchecked Sendable {
    // @unchecked: `used` and the counts are guarded by `lock`; the rest is immutable.
    public let directory: String
    private let lock = NSLock()
    private var used: Set<String> = []
    private var hitCount = 0
    private var missCount = 0

    static let magic = Array("xtalreport master cache 1\n".utf8)

    public init(directory: String) { self.directory = directory }

    /// Master files found in the cache, and read, in this job.
    public var hits: Int { lock.withLock { hitCount } }
    public var misses: Int { lock.withLock { missCount } }

    private func key(path: String, identity: FileIdentity) -> String {
        identity.cacheKey(path: path, context: "master cache 1")
    }

    private func entryPath(_ key: String) -> String { directory + "/" + key + ".master" }

    /// The files the read of `master` looked at through its external links (and virtual
    /// sources), each with its state now: "-" when absent, else its size and modification
    /// time.
    static func linkedFiles(of master: NexusMasterFile, path: String) -> [String] {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var seen = Set<String>()
        var states: [String] = []
        for link in master.metadata.externalLinks where seen.insert(link.file).inserted {
            let local = link.file.hasPrefix("/") ? link.file : folder.appendingPathComponent(link.file).path
            let state = RawPath.status(local).map { status in
                "\(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
            }
            states.append(link.file + "\t" + (state ?? "-"))
        }
        return states
    }

    /// The master file at `path` as it was read by an earlier job, if its entry is there,
    /// whole and still true.
    public func lookup(_ path: String) -> NexusMasterFile? {
        let found = entry(path)
        lock.withLock { if found == nil { missCount += 1 } else { hitCount += 1 } }
        return found
    }

    private func entry(_ path: String) -> NexusMasterFile? {
        guard let identity = try? FileIdentity.of(path: path) else { return nil }
        let key = key(path: path, identity: identity)
        guard let master = Self.readEntry(entryPath(key), masterFile: path) else { return nil }
        _ = lock.withLock { used.insert(key) }
        return master
    }

    /// The read kept in the entry at `file` for the master file at `masterFile`, if the
    /// entry is whole and its linked files are as they were. `verify: false` skips the
    /// checksum (the fuzz target, to reach the decoding).
    public static func readEntry(_ file: String, masterFile path: String, verify: Bool = true) -> NexusMasterFile? {
        guard let total = RawPath.status(file).map({ Int($0.st_size) }), total >= Self.magic.count + 12 else { return nil }
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let size = total - 4
        guard !verify || checksumMatches(descriptor, size: size), lseek(descriptor, 0, SEEK_SET) == 0 else { return nil }
        // Magic, the linked files' states as they were (one per line), then the read.
        guard let head = readExactly(from: descriptor, count: magic.count + 8), Array(head.prefix(magic.count)) == magic else { return nil }
        let length = head.suffix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= UInt64(size), let states = readExactly(from: descriptor, count: Int(length)),
            let master = NexusMasterFile.unarchived(from: descriptor, limit: size),
            String(decoding: states, as: UTF8.self) == linkedFiles(of: master, path: path).joined(separator: "\n")
        else { return nil }
        return master
    }

    /// Whether the CRC-32 of the first `size` bytes of `descriptor` is the 4 bytes after them.
    private static func checksumMatches(_ descriptor: Int32, size: Int) -> Bool {
        var crc = crc32(0, nil, 0)
        var done = 0
        while done < size {
            let want = min(1 << 20, size - done)
            guard let part = readExactly(from: descriptor, count: want) else { return false }
            part.withUnsafeBytes { crc = checksum(crc, $0) }
            done += want
        }
        guard let trailer = readExactly(from: descriptor, count: 4) else { return false }
        return trailer.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } == UInt32(truncatingIfNeeded: crc)
    }

    /// zlib's CRC-32 of `bytes` continued from `crc`, a gigabyte at a time.
    private static func checksum(_ crc: UInt, _ bytes: UnsafeRawBufferPointer) -> UInt {
        var crc = crc
        var offset = 0
        while offset < bytes.count {
            let n = min(1 << 30, bytes.count - offset)
            crc = crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
            offset += n
        }
        return crc
    }

    /// Keeps `master`, the read of the file at `path`; an entry that cannot be written is
    /// left out (the next job reads the file again).
    public func store(_ master: NexusMasterFile, readFrom path: String) {
        guard let identity = try? FileIdentity.of(path: path) else { return }
        let key = key(path: path, identity: identity)
        let states = Array(Self.linkedFiles(of: master, path: path).joined(separator: "\n").utf8)
        var bytes = Data(Self.magic)
        withUnsafeBytes(of: UInt64(states.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: states)
        bytes.append(master.archived)
        let crc = bytes.withUnsafeBytes { UInt32(truncatingIfNeeded: Self.checksum(crc32(0, nil, 0), $0)) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(bytes, to: entryPath(key))
            _ = lock.withLock { used.insert(key) }
        } catch {
            return
        }
    }

    /// Removes the entries this job did not use or write.
    public func prune() {
        let keep = lock.withLock { used }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".master") {
            if !keep.contains(String(name.dropLast(".master".count))) { unlink(directory + "/" + name) }
        }
    }
}
