import Foundation

/// Where each task of a plan stands, judged from the output folder alone: a result that is
/// whole and answers the task as planned, or why not (none yet, a failure the task noted,
/// damaged, from another plan). The scheduler is not asked: `reduce` and `--resume` work
/// the same after SLURM has forgotten the job.
public struct TaskStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case done
        /// No result; the reason is the end of the task's log, or that it has none.
        case missing(String)
        /// The task ran and failed, saying why.
        case failed(String)
        /// A result that cannot be used (damaged, cut short, from another plan).
        case invalid(String)
    }

    public var task: Int
    public var state: State

    public var isDone: Bool { state == .done }

    /// One line naming the task and what is wrong with it.
    public var line: String {
        switch state {
        case .done: "task \(task): done"
        case .missing(let why): "task \(task): no result (\(why))"
        case .failed(let why): "task \(task): failed: \(why)"
        case .invalid(let why): "task \(task): result not usable: \(why)"
        }
    }

    /// The state of every task of `plan`.
    public static func all(_ plan: ClusterPlan) -> [TaskStatus] {
        plan.tasks.indices.map { of(task: $0, plan: plan) }
    }

    public static func of(task: Int, plan: ClusterPlan) -> TaskStatus {
        let result = plan.resultPath(task: task)
        if FileManager.default.fileExists(atPath: result) {
            do {
                let header = try TaskResultFile.header(path: result)
                guard header.task == task else {
                    return TaskStatus(task: task, state: .invalid("it answers another plan's task \(header.task)"))
                }
                if let why = plan.mismatch(task: task, resultFingerprint: header.fingerprint) {
                    return TaskStatus(task: task, state: .invalid(why))
                }
                return TaskStatus(task: task, state: .done)
            } catch {
                return TaskStatus(task: task, state: .invalid("\(error)"))
            }
        }
        if let note = try? String(contentsOfFile: plan.failurePath(task: task), encoding: .utf8) {
            return TaskStatus(task: task, state: .failed(note.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return TaskStatus(task: task, state: .missing(logTail(plan.logPath(task: task))))
    }

    /// The last non-empty line of a task's log (what SLURM or the task wrote last), or
    /// that there is no log: the task never started, or was cancelled before it did.
    static func logTail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "no log at \(path): never started, or cancelled before it did"
        }
        let last = text.split(whereSeparator: \.isNewline).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return last.map { "its log ends: \($0.prefix(300))" } ?? "its log \(path) is empty"
    }
}
