import ArgumentParser

/// `run`'s options for a job cut into tasks: on SLURM (`--slurm`) or as local processes
/// (`--local-tasks N`). docs/cluster.md.
struct ClusterOptions: ParsableArguments {
    @Flag(name: .customLong("slurm"), help: "Cut the job into tasks and submit them to SLURM as an array job (sbatch), then reduce (see --wait).")
    var slurm = false

    @Option(name: .customLong("local-tasks"), help: ArgumentHelp("Cut the job into tasks and run them here as child processes, N at a time, then reduce: the plan of a cluster job without a cluster.", valueName: "N"))
    var localTasks: Int?

    @Option(name: .customLong("tasks"), help: ArgumentHelp("How many tasks to cut the job into (balanced by bytes, cut at chunk lines).", valueName: "N"))
    var tasks: Int?

    @Option(name: .customLong("task-size"), help: ArgumentHelp("Bytes of stream per task instead of --tasks (suffix K, M, G; default 2G).", valueName: "BYTES"))
    var taskSize: String?

    @Option(name: .customLong("task-threads"), help: ArgumentHelp("Threads (and SLURM CPUs) per task (default 1).", valueName: "N"))
    var taskThreads: Int?

    @Option(name: .customLong("partition"), help: ArgumentHelp("SLURM partition (sbatch --partition).", valueName: "P"))
    var partition: String?

    @Option(name: .customLong("time"), help: ArgumentHelp("SLURM time limit per task (sbatch --time).", valueName: "T"))
    var time: String?

    @Option(name: .customLong("mem"), help: ArgumentHelp("SLURM memory per task (sbatch --mem).", valueName: "M"))
    var mem: String?

    @Option(name: .customLong("account"), help: ArgumentHelp("SLURM account (sbatch --account).", valueName: "A"))
    var account: String?

    @Option(name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue, help: ArgumentHelp("One more sbatch argument for the tasks and the reduce job (repeatable), e.g. --sbatch-arg=--qos=high.", valueName: "ARG"))
    var sbatchArguments: [String] = []

    @Flag(name: .customLong("wait"), help: "With --slurm: wait here for the tasks, then reduce in this process (else a reduce job is submitted that runs after the tasks).")
    var wait = false

    @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("With --wait: give up waiting after this many seconds (exit 75; the tasks go on, --resume or reduce later).", valueName: "S"))
    var waitTimeout: Double?

    @Flag(name: .customLong("resume"), help: "Run again only the tasks of the existing plan in the output folder that have no usable result, then reduce.")
    var resume = false

    /// Whether the job is to be cut into tasks at all.
    var isRequested: Bool { slurm || localTasks != nil }

    mutating func validate() throws {
        if slurm, localTasks != nil { throw ValidationError("--slurm and --local-tasks exclude each other") }
        if !isRequested {
            let given = [
                tasks.map { _ in "--tasks" }, taskSize.map { _ in "--task-size" }, resume ? "--resume" : nil, wait ? "--wait" : nil,
                partition.map { _ in "--partition" }, time.map { _ in "--time" }, mem.map { _ in "--mem" },
                account.map { _ in "--account" }, sbatchArguments.isEmpty ? nil : "--sbatch-arg",
                waitTimeout.map { _ in "--wait-timeout" }, taskThreads.map { _ in "--task-threads" },
            ].compactMap { $0 }
            if let first = given.first { throw ValidationError("\(first) needs --slurm or --local-tasks") }
        }
        if let localTasks, localTasks < 1 { throw ValidationError("--local-tasks must be at least 1") }
        if let tasks, tasks < 1 { throw ValidationError("--tasks must be at least 1") }
        if tasks != nil, taskSize != nil { throw ValidationError("give --tasks or --task-size, not both") }
        if let taskSize, Self.bytes(taskSize) == nil { throw ValidationError("--task-size '\(taskSize)' is not a size (e.g. 512M, 2G)") }
        if let taskThreads, taskThreads < 1 { throw ValidationError("--task-threads must be at least 1") }
    }

    /// `512M`, `2G`, `100000` as bytes.
    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let unit = units[last] {
            scale = unit
            digits.removeLast()
        }
        guard let value = Double(digits), value > 0 else { return nil }
        return Int(value * Double(scale))
    }
}
