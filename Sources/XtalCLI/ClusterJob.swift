import ArgumentParser
import Foundation
import XtalCluster
import XtalCore
import XtalIngest

/// `run --slurm` / `run --local-tasks N`: plans the job (`TaskPlanner`), writes the plan
/// into OUTPUT/cluster, runs or submits the tasks that have no result yet, and reduces
/// (here, or in a SLURM job that waits for the tasks). docs/cluster.md.
struct ClusterJob {
    var command: RunCommand
    private var options: ClusterOptions { command.cluster }

    func start() throws {
        let jobPlan = try command.jobPlan()
        let settings: ClusterSettings
        do {
            settings = try ClusterSettings(options, manifest: jobPlan.slurm, site: try Manifest.Slurm.site())
        } catch let error as InputError {
            throw fail(error.description, ExitStatus.usage)
        }
        let readOptions = command.streamReadOptions(mergeWanted: try command.mergeWanted(jobPlan))
        let experiment = ExperimentJob(runs: jobPlan.runs, options: readOptions, quiet: true)
        let missing = experiment.missingInputs()
        guard missing.isEmpty else { throw fail("cannot read: " + missing.joined(separator: ", "), ExitStatus.unreadableInput) }
        let outputDirectory = Self.absolute(command.outputDirectory(jobPlan))
        let folder = ClusterPlan.folder(in: outputDirectory)
        do {
            for sub in ["results", "logs"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
        } catch {
            throw fail("cannot create \(folder): \(error.localizedDescription)", ExitStatus.cannotWriteOutput)
        }
        let plan = try options.resume
            ? existingPlan(outputDirectory: outputDirectory)
            : newPlan(jobPlan, read: PlannedReadOptions(readOptions), outputDirectory: outputDirectory, settings: settings)
        let pending = TaskStatus.all(plan).filter { !$0.isDone }.map(\.task)
        let quiet = command.outputOptions.quiet
        if !quiet {
            Console.info(
                "cluster job: \(plan.tasks.count) task(s) over \(plan.files.count) stream file(s); "
                    + (options.resume ? "\(pending.count) without a result to run again" : "plan in \(ClusterPlan.path(in: outputDirectory))"))
        }
        if let parallel = options.localTasks {
            try LocalTasks.run(pending, plan: plan, parallel: parallel, threads: settings.taskThreads, quiet: quiet)
            try ReduceCommand.reduce(outputDirectory: outputDirectory)
            return
        }
        let slurm = SlurmSubmission(plan: plan, options: settings)
        if pending.isEmpty {
            if !quiet { Console.info("every task has its result") }
        }
        let arrayJob = pending.isEmpty ? nil : try slurm.submitTasks(pending)
        if let arrayJob, !quiet { Console.info("submitted array job \(arrayJob) (tasks \(SlurmSubmission.arraySpec(pending)))") }
        if options.wait {
            if let arrayJob { try slurm.waitFor(job: arrayJob, tasks: pending, timeout: options.waitTimeout, quiet: quiet) }
            try ReduceCommand.reduce(outputDirectory: outputDirectory)
            return
        }
        let reduceJob = try slurm.submitReduce(after: arrayJob)
        Console.print("Submitted: tasks \(arrayJob ?? "none (all done)"), reduce \(reduceJob) (runs after the tasks succeed)")
        Console.print("Follow: squeue -j \(arrayJob.map { "\($0),\(reduceJob)" } ?? reduceJob); logs in \(folder)/logs")
    }

    /// A new plan: every stream file as it is now, cut into tasks.
    private func newPlan(
        _ jobPlan: JobPlan, read: PlannedReadOptions, outputDirectory: String, settings: ClusterSettings
    ) throws -> ClusterPlan {
        var files: [ClusterPlan.PlannedFile] = []
        do {
            for (r, run) in jobPlan.runs.enumerated() {
                for (f, path) in run.streams.enumerated() {
                    files.append(
                        .init(
                            run: r, fileInRun: f, path: path, identity: try FileIdentity.of(path: path),
                            compressed: try StreamPieceReader.isCompressed(path: path)))
                }
            }
        } catch {
            throw fail("\(error)", ExitStatus.unreadableInput)
        }
        let total = files.reduce(0) { $0 + $1.identity.size }
        // Local tasks: as many as run at once, unless told otherwise; SLURM: 2 GiB each.
        let count = TaskPlanner.taskCount(
            totalBytes: total, tasks: settings.tasks ?? (settings.taskSize == nil ? options.localTasks : nil),
            taskSize: settings.taskSize)
        let tasks: [ClusterPlan.PlannedTask]
        do {
            tasks = try TaskPlanner.plan(files: files, tasks: count)
        } catch {
            throw fail("\(error)", ExitStatus.unreadableInput)
        }
        let plan = ClusterPlan(
            input: Self.absolute(command.input), outputDirectory: outputDirectory,
            runArguments: XtalReportCommand.commandArguments, workingDirectory: FileManager.default.currentDirectoryPath,
            read: read, files: files, tasks: tasks)
        // Results of an earlier plan are of no use to this one.
        let folder = ClusterPlan.folder(in: outputDirectory)
        for sub in ["results", "logs"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + sub)) ?? [] {
                try? FileManager.default.removeItem(atPath: folder + "/" + sub + "/" + name)
            }
        }
        do {
            try AtomicFile.write(try plan.jsonData(), to: ClusterPlan.path(in: outputDirectory))
        } catch {
            throw fail("cannot write the plan: \(error)", ExitStatus.cannotWriteOutput)
        }
        return plan
    }

    /// The plan of `--resume`, with every input still as planned.
    private func existingPlan(outputDirectory: String) throws -> ClusterPlan {
        let plan: ClusterPlan
        do {
            plan = try ClusterPlan.read(path: ClusterPlan.path(in: outputDirectory))
        } catch {
            throw fail("--resume: \(error)", ExitStatus.usage)
        }
        for file in plan.files where (try? FileIdentity.of(path: file.path)) != file.identity {
            throw fail("--resume: \(ClusterError.inputChanged(path: file.path).description)", ExitStatus.unreadableInput)
        }
        return plan
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
