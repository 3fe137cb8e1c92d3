import Foundation
import XtalCore
import XtalIngest

/// The parse of each stream file, kept in the output folder (`cache/`) for the next run of
/// the same job: a re-run after a run was added reads only the new files, and a file
/// that changed is read again. An entry is found by a key made of the file's path, size,
/// modification time and the checksum of its first and last 64 KiB (`FileIdentity`), the
/// read options that change a parse, and the engine's version; it is stored in the task
/// result format (`TaskResultFile`: checksum, written under a temporary name and renamed),
/// so a damaged or half-written entry is never used, only read again.
///
/// Entries not used by a job are removed at its end (`prune`), so the folder holds one
/// entry per stream file of the last job.
public final class StreamCache: @unchecked Sendable {
    // @unchecked: `used` is guarded by `lock`; the rest is immutable.
    public let directory: String
    private let read: PlannedReadOptions
    private let spill: ReflectionSpill?
    private let lock = NSLock()
    private var used: Set<String> = []
    /// Each file's identity when it was looked up, before it was read: what its entry is kept under.
    private var identities: [String: FileIdentity] = [:]
    private var hitCount = 0
    private var missCount = 0

    /// A cache in `directory` for reads with `options` (its spill takes cached reflections).
    public init(directory: String, options: StreamReadOptions) {
        self.directory = directory
        read = PlannedReadOptions(options)
        spill = options.reflectionSpill
    }

    /// Files found in the cache, and files read, in this job.
    public var hits: Int { lock.withLock { hitCount } }
    public var misses: Int { lock.withLock { missCount } }

    private func key(path: String, identity: FileIdentity) -> String {
        var hash = StableHash()
        hash.add("\(EngineInfo.current.name) \(EngineInfo.current.version) cache 2")
        hash.add(read.text)
        hash.add(path)
        hash.add(identity.text)
        var second = StableHash()
        second.add(identity.text)
        second.add(path)
        return hash.hex + second.hex
    }

    private func entryPath(_ key: String) -> String { directory + "/" + key + ".piece" }

    /// The files of `run` found in the cache, parsed, by index in the run.
    public func lookup(_ run: RunInput) -> [Int: ParsedStream] {
        var found: [Int: ParsedStream] = [:]
        for (index, path) in run.streams.enumerated() {
            guard let identity = try? FileIdentity.of(path: path) else { continue }
            lock.withLock { identities[path] = identity }
            let key = key(path: path, identity: identity)
            let entry = entryPath(key)
            guard FileManager.default.fileExists(atPath: entry),
                let contents = try? TaskResultFile.read(path: entry, spill: spill, files: 1), contents.fingerprint == key,
                let stream = try? ParsedStream(pieces: contents.pieces.map(\.piece), path: path, options: read.streamReadOptions(workers: 1))
            else { continue }
            found[index] = stream
            lock.withLock {
                used.insert(key)
                hitCount += 1
            }
        }
        lock.withLock { missCount += run.streams.count - found.count }
        return found
    }

    /// Keeps the files of `parsed` that were read (not in `cached`); an entry that cannot
    /// be written is left out (the next run reads the file again), never half-kept.
    public func store(_ parsed: ParsedRun, cached: Set<Int>) {
        for (index, path) in parsed.run.streams.enumerated() where !cached.contains(index) {
            guard let identity = lock.withLock({ identities[path] }), (try? FileIdentity.of(path: path)) == identity else { continue }
            let key = key(path: path, identity: identity)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try TaskResultFile.write(pieces: [(0, parsed.piece(ofFile: index))], task: 0, fingerprint: key, to: entryPath(key))
                _ = lock.withLock { used.insert(key) }
            } catch {
                continue
            }
        }
    }

    /// Removes the entries this job did not use or write.
    public func prune() {
        let keep = lock.withLock { used }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".piece") {
            if !keep.contains(String(name.dropLast(".piece".count))) { unlink(directory + "/" + name) }
        }
    }
}
