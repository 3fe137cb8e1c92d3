import ArgumentParser
import XtalNexus

/// `xtalreport read-array FILE DATASET`: the child side of `XtalNexus.NumberArrayFile` —
/// reads one 1-D numeric dataset (a DIALS grouping's per-image values) under an
/// address-space and time limit and writes it to stdout as JSON. Not for people: hidden.
struct ReadArrayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-array", abstract: "Read one array of numbers for the job that started this process.",
        shouldDisplay: false)

    @Argument var file: String

    @Argument var dataset: String

    @Option(name: .customLong("memory-limit")) var memoryLimit: Int

    @Option(name: .customLong("time-limit")) var timeLimit: Int = 60

    func run() throws {
        NumberArrayFile.serveRead(path: file, dataset: dataset, memoryLimit: memoryLimit, timeLimit: timeLimit)
    }
}
