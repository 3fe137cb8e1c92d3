import Foundation
import XtalCluster
import XtalCore

/// Submits a plan's tasks to SLURM as one array job and the reduce as a job that depends
/// on it, through SLURM's own commands (`sbatch --parsable`, `squeue`); nothing of the
/// scheduling is done here. The scripts are written into OUTPUT/cluster (`tasks.sbatch`,
/// `reduce.sbatch`), so a user can read and resubmit them by hand.
struct SlurmSubmission {
    let plan: ClusterPlan
    let options: ClusterSettings

    private var folder: String { ClusterPlan.folder(in: plan.outputDirectory) }

    /// `0-3`, or `1,5,7` for the tasks of a resumed job.
    static func arraySpec(_ tasks: [Int]) -> String {
        let sorted = tasks.sorted()
        if let first = sorted.first, let last = sorted.last, last > first, last - first + 1 == sorted.count { return "\(first)-\(last)" }
        return sorted.map(String.init).joined(separator: ",")
    }

    /// The sbatch lines every job of the plan shares.
    private var commonDirectives: [String] {
        var lines = ["#SBATCH --chdir=\(plan.workingDirectory)"]
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = options.time { lines.append("#SBATCH --time=\(time)") }
        if let mem = options.mem { lines.append("#SBATCH --mem=\(mem)") }
        if let account = options.account { lines.append("#SBATCH --account=\(account)") }
        return lines
    }

    private func executable() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw fail("cannot find this program's own binary (/proc/self/exe) for the job scripts", ExitStatus.cannotWriteOutput)
        }
        return path
    }

    /// The array job's script: each element runs `xtalreport task` on its index.
    func tasksScript() throws -> String {
        let threads = options.taskThreads
        return (["#!/bin/bash", "#SBATCH --job-name=xtalreport-tasks", "#SBATCH --output=\(folder)/logs/task-%a.log",
                 "#SBATCH --cpus-per-task=\(threads)"] + commonDirectives + [
            "# Written by xtalreport run --slurm; each array element is one task of plan.json.",
            "exec \(Self.quoted(try executable())) task \(Self.quoted(ClusterPlan.path(in: plan.outputDirectory))) "
                + "--index \"$SLURM_ARRAY_TASK_ID\" --threads \(threads)",
        ]).joined(separator: "\n") + "\n"
    }

    /// The reduce job's script.
    func reduceScript() throws -> String {
        (["#!/bin/bash", "#SBATCH --job-name=xtalreport-reduce", "#SBATCH --output=\(folder)/logs/reduce.log"] + commonDirectives + [
            "# Written by xtalreport run --slurm; runs once every task has succeeded.",
            "exec \(Self.quoted(try executable())) reduce \(Self.quoted(plan.outputDirectory))",
        ]).joined(separator: "\n") + "\n"
    }

    /// Submits `tasks` (indices) as an array job; its id.
    func submitTasks(_ tasks: [Int]) throws -> String {
        let script = folder + "/tasks.sbatch"
        try write(try tasksScript(), to: script)
        for task in tasks {
            unlink(plan.failurePath(task: task))
            unlink(plan.logPath(task: task))
            // An unusable earlier result must not look like this run's (`waitFor`).
            unlink(plan.resultPath(task: task))
        }
        return try sbatch(["--array=\(Self.arraySpec(tasks))"] + options.sbatchArguments + [script])
    }

    /// Submits the reduce job, to start once `job` has succeeded (at once without one).
    func submitReduce(after job: String?) throws -> String {
        let script = folder + "/reduce.sbatch"
        try write(try reduceScript(), to: script)
        return try sbatch((job.map { ["--dependency=afterok:\($0)", "--kill-on-invalid-dep=yes"] } ?? []) + options.sbatchArguments + [script])
    }

    /// Waits until every task in `tasks` has its result, or SLURM lists no element of `job`
    /// any more (a task failed or was cancelled: the reduce names it), printing how many
    /// are pending and running; gives up after `timeout` seconds (exit 75, the tasks go on).
    func waitFor(job: String, tasks: [Int], timeout: Double?, quiet: Bool) throws {
        let start = Date()
        var lastLine = ""
        while true {
            let states = try SlurmCommand.run("squeue", ["-h", "-r", "-j", job, "-o", "%T"])
            let remaining = states.split(whereSeparator: \.isNewline).map(String.init)
            if remaining.isEmpty { return }
            let line = Dictionary(grouping: remaining, by: { $0 }).map { "\($0.value.count) \($0.key.lowercased())" }.sorted()
                .joined(separator: ", ")
            if !quiet, line != lastLine { Console.info("job \(job): \(line)") }
            lastLine = line
            if let timeout, Date().timeIntervalSince(start) > timeout {
                throw fail(
                    "gave up waiting for job \(job) after \(Int(timeout)) s (\(line)); the tasks go on: "
                        + "xtalreport reduce \(plan.outputDirectory) once they are done, or run again with --resume",
                    ExitStatus.tasksIncomplete)
            }
            // squeue is cheap (one RPC) but a process: every quarter second. Between, the
            // results folder every 50 ms: a task's result is renamed into place as its last
            // step, so the reduce can start before SLURM has seen the tasks end.
            for _ in 0..<5 {
                if tasks.allSatisfy({ FileManager.default.fileExists(atPath: plan.resultPath(task: $0)) }) { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private func sbatch(_ arguments: [String]) throws -> String {
        let answer = try SlurmCommand.run("sbatch", ["--parsable"] + arguments)
        // --parsable prints "jobid" or "jobid;cluster".
        guard let id = answer.split(whereSeparator: \.isNewline).last?.split(separator: ";").first,
            !id.isEmpty, id.allSatisfy(\.isNumber)
        else {
            throw fail("sbatch gave no job id: \(answer.prefix(300))", ExitStatus.cannotWriteOutput)
        }
        return String(id)
    }

    private func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(text, to: path)
        } catch {
            throw fail("\(error)", ExitStatus.cannotWriteOutput)
        }
    }

    /// `text` in single quotes for bash.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
