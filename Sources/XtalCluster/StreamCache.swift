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
/// entry per stream file of the last job. With reflections kept (merging), an entry's
/// reflection blocks are in a file beside it (`KEY.reflections`): the reader writes them
/// there once, and the next job reads them in place; the entry names the file's size.
public final class StreamCache: @unchecked Sendable {
    // @unchecked: `used`, `identities`, `reflectionFiles` and the counts are guarded by `lock`; the rest is immutable.
    public let directory: String
    private let read: PlannedReadOptions
    private let spill: ReflectionSpill?
    private let lock = NSLock()
    private var used: Set<String> = []
    /// Each file's identity when it was looked up, before it was read: what its entry is kept under.
    private var identities: [String: FileIdentity] = [:]
    /// The reflections files made for the files this job reads, by path.
    private var reflectionFiles: [String: ReflectionSpill] = [:]
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
        identity.cacheKey(path: path, context: "cache 3\n" + read.text)
    }

    private func entryPath(_ key: String) -> String { directory + "/" + key + ".piece" }

    /// Where an entry's reflection blocks are: written there while the file is read, read
    /// there in place by the next job (none when the parse kept no reflections).
    private func reflectionsPath(_ key: String) -> String { directory + "/" + key + ".reflections" }

    /// What an entry is stored under: its key and the size of its reflections file, so
    /// that an entry is used with the very file it was written beside, or not at all.
    private func fingerprint(_ key: String, reflections: ReflectionSpill?) -> String {
        let bytes = reflections?.bytesWritten ?? 0
        return key + "/" + (bytes > 0 ? String(bytes) : "-")
    }

    /// The spill the reflection blocks of `path` go into while this job reads it: the
    /// file its entry will keep them in (so they are written once, not copied into the
    /// entry); nil when the job keeps no reflections or `path` was not looked up.
    public func reflectionSpill(forFile path: String) -> ReflectionSpill? {
        guard let spill, let identity = lock.withLock({ identities[path] }) else { return nil }
        let file = reflectionsPath(key(path: path, identity: identity))
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else { return nil }
        unlink(file)  // an earlier job's, whose entry could not be used
        let reflections = ReflectionSpill(file: file, blockRows: spill.blockRows)
        lock.withLock { reflectionFiles[path] = reflections }
        return reflections
    }

    /// The files of `run` found in the cache, parsed, by index in the run.
    public func lookup(_ run: RunInput) -> [Int: ParsedStream] {
        var found: [Int: ParsedStream] = [:]
        for (index, path) in run.streams.enumerated() {
            guard let identity = try? FileIdentity.of(path: path) else { continue }
            lock.withLock { identities[path] = identity }
            let key = key(path: path, identity: identity)
            let entry = entryPath(key)
            let reflectionsFile = reflectionsPath(key)
            let reflections = FileManager.default.fileExists(atPath: reflectionsFile) ? try? ReflectionSpill.existing(file: reflectionsFile) : nil
            guard FileManager.default.fileExists(atPath: entry),
                let contents = try? TaskResultFile.read(path: entry, spill: spill, files: 1, reflectionsInPlace: reflections),
                contents.fingerprint == fingerprint(key, reflections: reflections),
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
                let reflections = lock.withLock { reflectionFiles[path] }
                try TaskResultFile.write(
                    pieces: [(0, parsed.piece(ofFile: index))], task: 0, fingerprint: fingerprint(key, reflections: reflections),
                    to: entryPath(key), reflectionsInPlace: reflections)
                _ = lock.withLock { used.insert(key) }
            } catch {
                continue
            }
        }
    }

    /// Removes the entries (and their reflections files) this job did not use or write. A
    /// reflections file this job still reads from goes from the folder only: its blocks
    /// stay readable until the job ends.
    public func prune() {
        let keep = lock.withLock { used }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            for suffix in [".piece", ".reflections"] where name.hasSuffix(suffix) {
                if !keep.contains(String(name.dropLast(suffix.count))) { unlink(directory + "/" + name) }
            }
        }
    }
}
