import ArgumentParser
import Foundation
import XtalCore
import XtalNexus

/// The `xtalreport` command: subcommands wire the engine's modules together.
public struct XtalReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "xtalreport",
        abstract: "Statistics, bookkeeping and reports for serial (SSX) and rotation (MX) crystallography results.",
        discussion: """
            Reads CrystFEL streams (0.6 to 0.12+) and indexamajig logs, computes per-run and \
            cumulative hit, indexing, unit-cell and resolution statistics, and writes them as \
            summary.json.

            Start with:
              xtalreport example demo          # write a synthetic 3-run SSX experiment
              xtalreport run demo/manifest.yaml

            \(ExitStatus.helpText)
            """,
        version: EngineInfo.current.version,
        subcommands: [
            StatsCommand.self, RunCommand.self, ReportCommand.self, InspectCommand.self, DatabaseCommand.self,
            ExampleCommand.self, TaskCommand.self, ReduceCommand.self, ReadMasterCommand.self, ReadArrayCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line: master files are read in a child process of this binary
    /// (`IsolatedMasterReader`), unless XTALREPORT_MASTER_IN_PROCESS=1. The arguments are
    /// taken from argv as bytes (`RawPath`), so a file name that is not UTF-8 still opens.
    public static func runMain() {
        HeapSettings.apply()
        if ProcessInfo.processInfo.environment["XTALREPORT_MASTER_IN_PROCESS"] != "1",
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        {
            IsolatedMasterReader.configure(.init(executable: executable))
        }
        main(commandArguments)
    }

    /// The command line after the program's name, read from argv as bytes (`RawPath`).
    static let commandArguments: [String] = (1..<Int(CommandLine.argc)).compactMap { i -> String? in
        guard let argument = CommandLine.unsafeArgv[i] else { return nil }
        return RawPath.string(UnsafeRawBufferPointer(start: argument, count: strlen(argument)).map { $0 })
    }
}

/// Options shared by commands that read input.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print no progress and no informational lines (errors still go to stderr).")
    var quiet = false
}
