import ArgumentParser
import Foundation
import XtalCluster

/// `xtalreport reduce OUTPUT`: the last step of a cluster job.
struct ReduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reduce",
        abstract: "Combine a cluster job's task results into summary.json, the report, the split files and the store.",
        discussion: """
            OUTPUT is the output folder of a job started with run --slurm or --local-tasks. \
            Every task's result must be there, whole and made for this plan; each task \
            without one is named with the reason (its failure note, or the end of its log), \
            and nothing is reduced (exit 75; run the job again with --resume to run just \
            those tasks). The rest is the same code as a one-process run, given the same \
            arguments in the same folder, so the outputs are the same bytes.

            Exit codes: those of run (see run --help), and 75 when tasks are missing.
            """)

    @Argument(help: ArgumentHelp("The job's output folder.", valueName: "OUTPUT"))
    var output: String

    func run() throws {
        try Self.reduce(outputDirectory: output)
    }

    /// Reduces the job whose plan is in `outputDirectory`, running `run` with the plan's
    /// arguments in the plan's working folder.
    static func reduce(outputDirectory: String) throws {
        let plan: ClusterPlan
        do {
            plan = try ClusterPlan.read(path: ClusterPlan.path(in: outputDirectory))
        } catch {
            throw fail("\(error)", ExitStatus.usage)
        }
        guard FileManager.default.changeCurrentDirectoryPath(plan.workingDirectory) else {
            throw fail("cannot enter \(plan.workingDirectory), where the job was started", ExitStatus.unreadableInput)
        }
        let command: RunCommand
        do {
            guard let parsed = try XtalReportCommand.parseAsRoot(plan.runArguments) as? RunCommand else {
                throw fail("the plan's command line is not a run: \(plan.runArguments.joined(separator: " "))", ExitStatus.usage)
            }
            command = parsed
        } catch let code as ExitCode {
            throw code
        } catch {
            throw fail("the plan's command line cannot be read: \(error)", ExitStatus.usage)
        }
        try command.execute(reducing: plan)
    }
}
