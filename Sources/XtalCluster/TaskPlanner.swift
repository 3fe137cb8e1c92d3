import XtalIngest

/// Cuts a job's stream files into tasks of about equal bytes. The files of all runs are
/// laid end to end in job order and cut at `tasks − 1` equally spaced offsets; each cut
/// falls on the first chunk line after it (a compressed file is never cut: it goes whole
/// to the task its first byte falls in). A task may so hold the end of one file and the
/// start of the next; a task left with no bytes is dropped.
public enum TaskPlanner {
    /// How many tasks: `tasks` if given, else one per `taskSize` bytes (at least one).
    public static func taskCount(totalBytes: Int, tasks: Int?, taskSize: Int?) -> Int {
        if let tasks { return max(1, tasks) }
        let size = max(1, taskSize ?? defaultTaskSize)
        return max(1, (totalBytes + size - 1) / size)
    }

    /// 2 GiB a task: about 10 s of parsing on one core, long enough that the scheduler's
    /// start-up of a few seconds is small beside it.
    public static let defaultTaskSize = 2 << 30

    /// The tasks for `files` (in job order).
    public static func plan(files: [ClusterPlan.PlannedFile], tasks wanted: Int) throws -> [ClusterPlan.PlannedTask] {
        let total = files.reduce(0) { $0 + $1.identity.size }
        let count = max(1, wanted)
        // The global offsets where a task should end.
        let targets = (1..<count).map { total * $0 / count }
        var tasks: [[ClusterPlan.Piece]] = Array(repeating: [], count: count)
        var bytes = Array(repeating: 0, count: count)
        var fileStart = 0
        func task(at offset: Int) -> Int { targets.firstIndex { offset < $0 } ?? count - 1 }
        for (index, file) in files.enumerated() {
            let size = file.identity.size
            defer { fileStart += size }
            if file.compressed {
                let t = task(at: fileStart)
                tasks[t].append(.init(file: index, start: nil, end: nil))
                bytes[t] += size
                continue
            }
            let inside = targets.filter { $0 > fileStart && $0 < fileStart + size }.map { $0 - fileStart }
            let cuts = try StreamPieceReader.cutPoints(path: file.path, near: inside)
            let bounds = [0] + cuts + [size]
            for k in 0..<(bounds.count - 1) {
                let t = task(at: fileStart + bounds[k])
                tasks[t].append(.init(file: index, start: bounds[k], end: bounds[k + 1]))
                bytes[t] += bounds[k + 1] - bounds[k]
            }
        }
        return zip(tasks, bytes).filter { !$0.0.isEmpty }.map { ClusterPlan.PlannedTask(pieces: $0.0, bytes: $0.1) }
    }
}
