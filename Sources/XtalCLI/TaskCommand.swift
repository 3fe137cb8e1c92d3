import ArgumentParser
import Foundation
import XtalCluster
import XtalIngest

/// `xtalreport task PLAN --index N`: one task of a cluster job (what each SLURM array
/// element runs).
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one task of a cluster job: parse its pieces of the streams, write its partial result.",
        discussion: """
            PLAN is the cluster/plan.json that run --slurm or --local-tasks wrote into the output \
            folder. The task checks that its files are as planned (size, modification time, \
            first and last 64 KiB), parses its pieces of them exactly as run does, and writes \
            cluster/results/task-N.result (under a temporary name, then renamed, with a \
            checksum and the fingerprint of what it was asked). If it cannot, it writes why \
            into cluster/results/task-N.failed, which reduce prints.

            Exit codes: 0 the result is written; 64 bad usage or no such task; 66 a file is \
            missing, changed since the plan, or not a stream; 73 the result cannot be written.
            """)

    @Argument(help: ArgumentHelp("The job's plan (OUTPUT/cluster/plan.json).", valueName: "PLAN"))
    var plan: String

    @Option(name: .customLong("index"), help: ArgumentHelp("The task's index (default: $SLURM_ARRAY_TASK_ID).", valueName: "N"))
    var index: Int?

    @Option(name: .customLong("threads"), help: ArgumentHelp("Threads to parse on (default: $SLURM_CPUS_PER_TASK, else 1).", valueName: "N"))
    var threads: Int?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let index = index ?? environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
            throw fail("no task index: give --index N (SLURM sets SLURM_ARRAY_TASK_ID)", ExitStatus.usage)
        }
        let workers = max(1, threads ?? environment["SLURM_CPUS_PER_TASK"].flatMap { Int($0) } ?? 1)
        let plan: ClusterPlan
        do {
            plan = try ClusterPlan.read(path: self.plan)
        } catch {
            throw fail("\(error)", ExitStatus.usage)
        }
        guard plan.tasks.indices.contains(index) else {
            throw fail("the plan has tasks 0 to \(plan.tasks.count - 1), not \(index)", ExitStatus.usage)
        }
        let task = plan.tasks[index]
        Console.writeStderrText("task \(index): \(task.pieces.count) piece(s), \(task.bytes) bytes, \(workers) thread(s)\n")
        let start = Date()
        do {
            try TaskExecution.run(plan: plan, index: index, workers: workers, reflectionBlockRows: RunCommand.reflectionBlockRows)
        } catch let error as InputError {
            throw fail("task \(index): \(error.description)", ExitStatus.unreadableInput)
        } catch let error as ClusterError {
            throw fail("task \(index): \(error.description)", ExitStatus.unreadableInput)
        } catch {
            throw fail("task \(index): \(error)", ExitStatus.cannotWriteOutput)
        }
        let seconds = Date().timeIntervalSince(start)
        Console.writeStderrText("task \(index): done in \(String(format: "%.2f", seconds)) s: \(plan.resultPath(task: index))\n")
    }
}
