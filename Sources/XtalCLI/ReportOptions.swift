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

    /// Renders the report into `directory` and prints where it is; exit 73 when it cannot.
    func writeReport(_ results: ExperimentResults, to directory: String) throws {
        do {
            let writer = try ReportWriter(assets: ReportAssets.locate(templates: templates, recipe: recipe))
            let index = try writer.write(results, to: directory)
            print("Report: \(index)")
        } catch {
            throw fail("report not written: \(error)", ExitStatus.cannotWriteOutput)
        }
    }
}
