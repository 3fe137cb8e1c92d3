import XtalCluster
import XtalCore
import XtalIngest

/// The tasks' results of a cluster job, handed run by run to `ExperimentJob` in place of
/// parsing (`reduce`). A class, because the job's source closure takes each run's pieces
/// out of it as the run is assembled.
final class ReduceSource: @unchecked Sendable {
    // @unchecked: used only on the thread that runs the job, one run at a time.
    private var streams: ReducedStreams

    private init(_ streams: ReducedStreams) { self.streams = streams }

    /// Reads every task's result of `plan`; a task without a usable one ends the job
    /// (exit 75), naming each such task and why.
    static func load(_ plan: ClusterPlan, spill: ReflectionSpill?, quiet: Bool) throws -> ReduceSource {
        // The results describe the files as planned; the rest of the job reads them as they are.
        for file in plan.files where (try? FileIdentity.of(path: file.path)) != file.identity {
            throw fail(ClusterError.inputChanged(path: file.path).description, ExitStatus.unreadableInput)
        }
        let statuses = TaskStatus.all(plan)
        let missing = statuses.filter { !$0.isDone }
        guard missing.isEmpty else {
            for status in missing { Console.error(status.line) }
            throw fail(
                "\(missing.count) of \(plan.tasks.count) tasks have no usable result: nothing reduced; "
                    + "run the job again with --resume to run just those", ExitStatus.tasksIncomplete)
        }
        if !quiet { Console.info("reduce: \(plan.tasks.count) task results, \(plan.files.count) stream file(s)") }
        do {
            return ReduceSource(try ReducedStreams(plan: plan, spill: spill, verified: true))
        } catch let error as ClusterError {
            throw fail(error.description, ExitStatus.tasksIncomplete)
        }
    }

    func parsedRun(_ run: RunInput, index: Int) throws -> ParsedRun {
        try streams.parsedRun(run, index: index)
    }
}
