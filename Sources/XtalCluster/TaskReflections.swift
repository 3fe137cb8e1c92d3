import Foundation
import XtalCore

/// A task's reflection blocks (when the job merges) stay in a file beside its result,
/// `task-N.reflections`: the task's reader writes them there once, the result names each
/// block by its offset, and `reduce` reads them in place, as a re-run reads the cache's.
/// Before, the blocks went to a temporary spill, were copied into the result, and copied
/// again into the reduce's spill: on the 1 M-image example about 500 MB written three
/// times instead of once.
///
/// The result's fingerprint carries the reflections file's size after the task's own
/// fingerprint (`TASK/BYTES`, `TASK/-` without one), so a result is used only with the
/// file it was written beside: a reflections file that is missing, cut short or longer
/// makes the task's result unusable, and `--resume` runs the task again.
extension ClusterPlan {
    /// The file beside task `task`'s result that holds its reflection blocks.
    public func reflectionsPath(task: Int) -> String {
        Self.folder(in: outputDirectory) + "/results/task-\(task).reflections"
    }

    /// The fingerprint task `task`'s result is written with, its reflections file holding
    /// `reflectionBytes` bytes (0: no reflections file).
    public func resultFingerprint(task: Int, reflectionBytes: Int) -> String {
        taskFingerprint(task) + "/" + (reflectionBytes > 0 ? String(reflectionBytes) : "-")
    }

    /// Why a result with `fingerprint` does not answer task `task` as the folder is now;
    /// nil when it does.
    public func mismatch(task: Int, resultFingerprint fingerprint: String) -> String? {
        guard let slash = fingerprint.lastIndex(of: "/"), fingerprint[..<slash] == taskFingerprint(task) else {
            return "it answers another plan's task \(task)"
        }
        let announced = fingerprint[fingerprint.index(after: slash)...]
        let path = reflectionsPath(task: task)
        if announced == "-" { return nil }
        let size = RawPath.status(path).map { Int($0.st_size) }
        guard let size, String(size) == announced else {
            let now = size.map { "\($0) bytes" } ?? "missing"
            return "its reflections file \((path as NSString).lastPathComponent) is \(now), the result was written with \(announced) bytes"
        }
        return nil
    }

    /// Task `task`'s reflections file opened to read its blocks in place; nil when there
    /// is none (a result that names blocks in it then fails to decode, saying so).
    func existingReflections(task: Int) throws -> ReflectionSpill? {
        let path = reflectionsPath(task: task)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try ReflectionSpill.existing(file: path)
        } catch {
            throw ClusterError.badResult(path: resultPath(task: task), reason: "\(error)")
        }
    }
}
