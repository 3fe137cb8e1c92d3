import Foundation
import XtalCore
import XtalIngest

/// A job cut into tasks (`cluster/plan.json` in the output folder): every stream file of
/// every run, and for each task the pieces of those files it reads. A plain file is cut
/// only at `----- Begin chunk -----` lines; a compressed file is one piece. `reduce` and
/// every task read the same plan, so what a task wrote can be checked against what it was
/// asked to do (`taskFingerprint`).
public struct ClusterPlan: Codable, Sendable, Equatable {
    /// The plan file's format.
    public var format = 1
    public var engine: EngineInfo = .current
    /// The manifest or directory, as an absolute path.
    public var input: String
    /// The output folder, as an absolute path.
    public var outputDirectory: String
    /// The `run` command line (after `xtalreport`) and the folder it was given in: the
    /// reduce step parses the same arguments there, so it does exactly what a one-process
    /// `run` does.
    public var runArguments: [String]
    public var workingDirectory: String
    /// What changes a task's parse (peaks, reflections, identities, header values).
    public var read: PlannedReadOptions
    public var files: [PlannedFile]
    public var tasks: [PlannedTask]

    public init(
        input: String, outputDirectory: String, runArguments: [String], workingDirectory: String, read: PlannedReadOptions, files: [PlannedFile],
        tasks: [PlannedTask]
    ) {
        self.input = input
        self.outputDirectory = outputDirectory
        self.runArguments = runArguments
        self.workingDirectory = workingDirectory
        self.read = read
        self.files = files
        self.tasks = tasks
    }

    /// A stream file of the job as it was when planned.
    public struct PlannedFile: Codable, Sendable, Equatable {
        /// The run's position in the job, and the file's position in the run.
        public var run: Int
        public var fileInRun: Int
        public var path: String
        public var identity: FileIdentity
        public var compressed: Bool

        public init(run: Int, fileInRun: Int, path: String, identity: FileIdentity, compressed: Bool) {
            (self.run, self.fileInRun, self.path, self.identity, self.compressed) = (run, fileInRun, path, identity, compressed)
        }
    }

    /// One task: pieces of files, in job order.
    public struct PlannedTask: Codable, Sendable, Equatable {
        public var pieces: [Piece]
        /// The bytes the task reads.
        public var bytes: Int

        public init(pieces: [Piece], bytes: Int) {
            (self.pieces, self.bytes) = (pieces, bytes)
        }
    }

    /// Bytes `start..<end` of file `file` (an index into `files`); nil bounds for a
    /// compressed file, read whole.
    public struct Piece: Codable, Sendable, Equatable {
        public var file: Int
        public var start: Int?
        public var end: Int?
        public var range: Range<Int>? { start.flatMap { s in end.map { s..<$0 } } }

        public init(file: Int, start: Int?, end: Int?) {
            (self.file, self.start, self.end) = (file, start, end)
        }
    }

    /// Where the plan lives in an output folder.
    public static func folder(in outputDirectory: String) -> String { outputDirectory + "/cluster" }
    public static func path(in outputDirectory: String) -> String { folder(in: outputDirectory) + "/plan.json" }

    /// The task's result file and its failure note.
    public func resultPath(task: Int) -> String { Self.folder(in: outputDirectory) + "/results/task-\(task).result" }
    public func failurePath(task: Int) -> String { Self.folder(in: outputDirectory) + "/results/task-\(task).failed" }
    public func logPath(task: Int) -> String { Self.folder(in: outputDirectory) + "/logs/task-\(task).log" }

    /// A fingerprint of everything a task's result depends on: the engine, the read
    /// options, and the identity and byte ranges of its pieces.
    public func taskFingerprint(_ task: Int) -> String {
        var hash = StableHash()
        hash.add("\(engine.name) \(engine.version) format \(format)")
        hash.add(read.text)
        for piece in tasks[task].pieces {
            let file = files[piece.file]
            hash.add("\(file.path)|\(file.identity.text)|\(piece.start ?? -1)|\(piece.end ?? -1)")
        }
        return hash.hex
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a plan file.
    public static func read(path: String) throws -> ClusterPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ClusterError.noPlan(path: path, reason: error.localizedDescription)
        }
        do {
            let plan = try JSONDecoder().decode(ClusterPlan.self, from: data)
            guard plan.format == 1 else { throw ClusterError.badPlan(path: path, reason: "plan format \(plan.format) is not 1") }
            for task in plan.tasks {
                for piece in task.pieces where !plan.files.indices.contains(piece.file) {
                    throw ClusterError.badPlan(path: path, reason: "a piece of file \(piece.file), which the plan does not list")
                }
            }
            return plan
        } catch let error as ClusterError {
            throw error
        } catch {
            throw ClusterError.badPlan(path: path, reason: "not a plan (\(error))")
        }
    }
}

/// The stream-read options a task parses with: those of the `run` that planned the job.
public struct PlannedReadOptions: Codable, Sendable, Equatable {
    public var parsePeakLists: Bool
    public var parseReflections: Bool
    public var keepImageIdentity: Bool
    public var keepHeaderValues: Bool
    public var maxIssuesListed: Int

    public init(_ options: StreamReadOptions) {
        parsePeakLists = options.parsePeakLists
        parseReflections = options.parseReflections
        keepImageIdentity = options.keepImageIdentity
        keepHeaderValues = options.keepHeaderValues
        maxIssuesListed = options.maxIssuesListed
    }

    /// The options, reading on `workers` threads.
    public func streamReadOptions(workers: Int) -> StreamReadOptions {
        StreamReadOptions(
            parsePeakLists: parsePeakLists, keepImageIdentity: keepImageIdentity, keepHeaderValues: keepHeaderValues,
            maxIssuesListed: maxIssuesListed, workers: workers, parseReflections: parseReflections)
    }

    var text: String { "\(parsePeakLists) \(parseReflections) \(keepImageIdentity) \(keepHeaderValues) \(maxIssuesListed)" }
}

/// What identifies a file's contents without reading it all: size, modification time,
/// and a checksum of its first and last 64 KiB.
public struct FileIdentity: Codable, Sendable, Equatable {
    public var size: Int
    public var modified: Double
    public var edges: String

    public var text: String { "\(size)|\(modified)|\(edges)" }

    public init(size: Int, modified: Double, edges: String) {
        (self.size, self.modified, self.edges) = (size, modified, edges)
    }

    /// The name a cache keeps the file at `path` (of this identity) under, for `context`
    /// (what else the entry depends on): 32 hex digits of two hashes, with the engine's
    /// name and version.
    public func cacheKey(path: String, context: String) -> String {
        var hash = StableHash()
        hash.add("\(EngineInfo.current.name) \(EngineInfo.current.version) \(context)")
        hash.add(path)
        hash.add(text)
        var second = StableHash()
        second.add(text)
        second.add(path)
        return hash.hex + second.hex
    }

    /// The identity of the file at `path` now.
    public static func of(path: String) throws -> FileIdentity {
        guard let status = RawPath.status(path) else { throw ClusterError.unreadable(path: path) }
        let size = Int(status.st_size)
        let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ClusterError.unreadable(path: path) }
        defer { try? handle.close() }
        var hash = StableHash()
        let edge = 1 << 16
        hash.add(bytes: (try? handle.read(upToCount: edge)) ?? Data())
        if size > edge {
            try? handle.seek(toOffset: UInt64(max(edge, size - edge)))
            hash.add(bytes: (try? handle.readToEnd()) ?? Data())
        }
        return FileIdentity(size: size, modified: modified, edges: hash.hex)
    }
}
