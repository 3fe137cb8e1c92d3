import Foundation
import XtalCluster

/// Runs a plan's tasks as child processes of this binary (`xtalreport task`), `parallel` at
/// a time, each writing its log where a SLURM task would: the plan of a cluster job on a
/// laptop, and the tests of the plan without a scheduler.
enum LocalTasks {
    static func run(_ tasks: [Int], plan: ClusterPlan, parallel: Int, threads: Int, quiet: Bool) throws {
        guard !tasks.isEmpty else { return }
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw fail("cannot find this program's own binary (/proc/self/exe) to start the tasks", ExitStatus.cannotWriteOutput)
        }
        let planPath = ClusterPlan.path(in: plan.outputDirectory)
        var queue = tasks[...]
        var running: [Process] = []
        var finished = 0
        func launch(_ task: Int) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["task", planPath, "--index", String(task), "--threads", String(threads)]
            _ = FileManager.default.createFile(atPath: plan.logPath(task: task), contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: plan.logPath(task: task)))
            process.standardOutput = log
            process.standardError = log
            try process.run()
            try log.close()
            return process
        }
        while !queue.isEmpty || !running.isEmpty {
            while running.count < max(1, parallel), let next = queue.popFirst() {
                do {
                    running.append(try launch(next))
                } catch {
                    throw fail("cannot start task \(next): \(error)", ExitStatus.cannotWriteOutput)
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
            let done = running.filter { !$0.isRunning }
            running.removeAll { !$0.isRunning }
            finished += done.count
            if !done.isEmpty, !quiet { Console.info("tasks: \(finished) of \(tasks.count) finished") }
        }
    }
}
