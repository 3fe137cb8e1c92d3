import XtalCore
import XtalIngest

/// The tasks' results of a plan, put back together file by file: what `reduce` hands to
/// the same assembly a one-process `run` does (`RunIngestor.assemble`), so the outputs are
/// the same bytes.
public struct ReducedStreams: Sendable {
    public let plan: ClusterPlan
    private var pieces: [[StreamPiece]]

    /// Reads every task's result; reflection blocks are read in place from each task's
    /// reflections file (`TaskReflections`), any others go to `spill` as they are read.
    /// Throws when a task has no usable result (`TaskStatus` says which and why).
    /// `verified`: every result's checksum was just checked (`TaskStatus.all`), so it is
    /// not computed again here (the decoding still refuses bytes that break a table).
    public init(plan: ClusterPlan, spill: ReflectionSpill?, verified: Bool = false) throws {
        self.plan = plan
        // Tasks are read in order and hold their pieces in job order, so appending keeps
        // each file's pieces in file order.
        var byFile: [[StreamPiece]] = Array(repeating: [], count: plan.files.count)
        for task in plan.tasks.indices {
            let path = plan.resultPath(task: task)
            let contents = try TaskResultFile.read(
                path: path, spill: spill, files: plan.files.count, verify: !verified,
                reflectionsInPlace: try plan.existingReflections(task: task))
            if let why = plan.mismatch(task: task, resultFingerprint: contents.fingerprint) {
                throw ClusterError.badResult(path: path, reason: why)
            }
            guard contents.task == task, contents.pieces.map(\.file) == plan.tasks[task].pieces.map(\.file)
            else { throw ClusterError.badResult(path: path, reason: "it does not answer task \(task) of this plan") }
            for entry in contents.pieces { byFile[entry.file].append(entry.piece) }
        }
        pieces = byFile
    }

    /// Run `run` of the plan (its position in the job), parsed, as the tasks read it.
    public mutating func parsedRun(_ run: RunInput, index: Int) throws -> ParsedRun {
        let files = plan.files.indices.filter { plan.files[$0].run == index }.sorted { plan.files[$0].fileInRun < plan.files[$1].fileInRun }
        guard files.map({ plan.files[$0].path }) == run.streams else {
            throw ClusterError.badPlan(path: ClusterPlan.path(in: plan.outputDirectory), reason: "run \(run.name) has other streams than when it was planned")
        }
        var streams: [ParsedStream] = []
        for file in files {
            var taken: [StreamPiece] = []
            swap(&taken, &pieces[file])
            streams.append(try ParsedStream(pieces: taken, path: plan.files[file].path, options: plan.read.streamReadOptions(workers: 1)).requiringStream())
        }
        return ParsedRun(run: run, streams: streams)
    }
}
