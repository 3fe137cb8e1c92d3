import ArgumentParser
import Foundation
import XtalCore

/// `xtalreport report OUTPUT_DIR`: re-renders the report from stored results.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render the HTML report of an output folder from its summary.json (no inputs are read).",
        discussion: """
            Reads OUTPUT_DIR/summary.json (written by 'xtalreport run') and writes index.html, \
            one page per run and the PNG plots into OUTPUT_DIR. Change templates/ or the recipe \
            in reports/ and run this again to see the result.

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("An output folder of 'xtalreport run'.", valueName: "OUTPUT_DIR"))
    var directory: String

    @OptionGroup var reportOptions: ReportOptions

    func run() throws {
        let summary = URL(fileURLWithPath: directory).appendingPathComponent("summary.json")
        let results: ExperimentResults
        do {
            results = try ExperimentResults.jsonDecoder.decode(ExperimentResults.self, from: Data(contentsOf: summary))
        } catch {
            let note = JobRecord.read(in: directory)?.incompleteNote.map { " (\($0))" } ?? ""
            throw fail("cannot read \(summary.path): \(error.localizedDescription)\(note)", ExitStatus.unreadableInput)
        }
        if let note = JobRecord.read(in: directory)?.incompleteNote {
            Console.warning("\(directory): \(note) (\(JobRecord.fileName)); the report shows its summary.json")
        }
        Console.print("Report: \(try reportOptions.writeReport(results, to: directory))")
    }
}
