/// Why a cluster job cannot go on.
public enum ClusterError: Error, CustomStringConvertible, Sendable, Equatable {
    case noPlan(path: String, reason: String)
    case badPlan(path: String, reason: String)
    case unreadable(path: String)
    /// An input changed since the plan was made: the plan no longer describes it.
    case inputChanged(path: String)
    /// A task's result file is not what the task should have written.
    case badResult(path: String, reason: String)
    /// A SLURM command failed or gave an answer that could not be read.
    case scheduler(command: String, reason: String)

    public var description: String {
        switch self {
        case .noPlan(let path, let reason): "no plan at \(path) (\(reason)); start the job with run --slurm or --local-tasks"
        case .badPlan(let path, let reason): "\(path) is not a usable plan: \(reason)"
        case .unreadable(let path): "cannot read \(path)"
        case .inputChanged(let path):
            "\(path) changed since the job was planned; run the job again without --resume to plan it anew"
        case .badResult(let path, let reason): "\(path): \(reason)"
        case .scheduler(let command, let reason): "\(command): \(reason)"
        }
    }
}
