import ArgumentParser
import XtalNexus

/// `xtalreport read-master FILE`: the child side of `IsolatedMasterReader` — reads one
/// master file under an address-space limit and writes the outcome to stdout in
/// `MasterFileWire` form. Not for people: hidden from `--help`.
struct ReadMasterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-master", abstract: "Read one master file for the job that started this process.",
        shouldDisplay: false)

    @Argument var file: String

    @Option(name: .customLong("memory-limit")) var memoryLimit: Int

    @Option(name: .customLong("time-limit")) var timeLimit: Int = 60

    @Flag(name: .customLong("capture-first")) var captureFirst = false

    func run() throws {
        IsolatedMasterReader.serveRead(path: file, memoryLimit: memoryLimit, timeLimit: timeLimit, captureFirst: captureFirst)
    }
}
