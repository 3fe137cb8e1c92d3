import Foundation
import XtalCore
import XtalIngest

/// Runs one task of a plan: checks that its files are as planned, parses its pieces and
/// writes its result (`TaskResultFile`). A task that cannot finish writes why into its
/// failure note (`task-N.failed`), which `reduce` prints, and throws.
public enum TaskExecution {
    /// Runs task `index` of `plan` on `workers` threads, writing reflections out in blocks
    /// of `reflectionBlockRows`; `progress(bytes done)`.
    public static func run(
        plan: ClusterPlan, index: Int, workers: Int, reflectionBlockRows: Int = 1 << 18,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws {
        guard plan.tasks.indices.contains(index) else {
            throw ClusterError.badPlan(path: ClusterPlan.path(in: plan.outputDirectory), reason: "it has no task \(index) (tasks 0 to \(plan.tasks.count - 1))")
        }
        let failure = plan.failurePath(task: index)
        unlink(failure)
        // An earlier result of this task goes before its reflections file is made anew.
        unlink(plan.resultPath(task: index))
        do {
            try FileManager.default.createDirectory(
                atPath: (plan.resultPath(task: index) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var options = plan.read.streamReadOptions(workers: workers)
            // Reflection blocks go to the file beside the result, which names them there.
            unlink(plan.reflectionsPath(task: index))
            let reflections = options.parseReflections ? ReflectionSpill(file: plan.reflectionsPath(task: index), blockRows: reflectionBlockRows) : nil
            options.reflectionSpill = reflections
            var pieces: [(file: Int, piece: StreamPiece)] = []
            var done = 0
            for piece in plan.tasks[index].pieces {
                let file = plan.files[piece.file]
                guard try FileIdentity.of(path: file.path) == file.identity else { throw ClusterError.inputChanged(path: file.path) }
                let base = done
                let report: (@Sendable (Int) -> Void)? = progress.map { progress in { @Sendable bytes in progress(base + bytes) } }
                let parsed = try StreamPieceReader.parse(
                    path: file.path, range: piece.range, options: options, workers: workers, progress: report)
                done += piece.range?.count ?? file.identity.size
                pieces.append((piece.file, parsed))
            }
            try TaskResultFile.write(
                pieces: pieces, task: index,
                fingerprint: plan.resultFingerprint(task: index, reflectionBytes: reflections?.bytesWritten ?? 0),
                to: plan.resultPath(task: index), reflectionsInPlace: reflections)
        } catch {
            // An earlier result of this task is not what it would give now.
            unlink(plan.resultPath(task: index))
            try? AtomicFile.write("\(error)\n", to: failure)
            throw error
        }
    }
}
