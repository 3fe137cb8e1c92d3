import ArgumentParser
import Foundation
import XtalCore
import XtalReport

/// Where the report's templates and recipe come from (shared by `run` and `report`).
struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder of report templates (default: templates/ of the installation).", valueName: "DIR"))
    var templates: String?

    @Option(help: ArgumentHelp("Report recipe (default: reports/default.yaml of the installation).", valueName: "FILE"))
    var recipe: String?

    /// Renders the report into `directory`; returns the path of index.html; exit 73 when it cannot.
    @discardableResult
    func writeReport(_ results: ExperimentResults, to directory: String, notes: [(label: String, text: String)] = []) throws -> String {
        do {
            var writer = try ReportWriter(assets: ReportAssets.locate(templates: templates, recipe: recipe))
            writer.jobNotes = notes
            return try writer.write(results, to: directory)
        } catch {
            throw fail("report not written: \(error)", ExitStatus.cannotWriteOutput)
        }
    }
}
