import Foundation
import Yams

/// Which pages a report has, their sections and the plots and tables in each, read from a
/// YAML recipe (`reports/default.yaml`) so a facility can change the contents without
/// recompiling. Plot and table names are those of `ReportPlots` and `ReportTables`.
public struct ReportRecipe: Decodable, Sendable {
    public var title: String
    public var pages: [Page]

    public struct Page: Decodable, Sendable {
        /// File name stem (`index` → index.html; per-run pages get `-RUNNAME`).
        public var id: String
        /// Navigation label.
        public var title: String
        /// `experiment` (one page) or `run` (one page per run).
        public var scope: Scope
        /// `time-resolved`: the page exists only when some run was split into time points;
        /// `merging`: only when datasets were merged.
        public var requires: String?
        public var sections: [Section]
    }

    public enum Scope: String, Decodable, Sendable {
        case experiment
        case run
    }

    public struct Section: Decodable, Sendable {
        public var title: String
        /// A sentence shown under the title (how to read the section).
        public var note: String?
        public var plots: [String]?
        public var tables: [String]?
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Loads and validates a recipe; unknown plot or table names are errors naming them.
    public static func load(path: String) throws -> ReportRecipe {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(path: path, reason: "cannot read the report recipe")
        }
        let recipe: ReportRecipe
        do {
            recipe = try YAMLDecoder().decode(ReportRecipe.self, from: text)
        } catch {
            throw LoadError(path: path, reason: "not a valid report recipe: \(error)")
        }
        for page in recipe.pages {
            if let requirement = page.requires, !["time-resolved", "merging", "rotation", "serial"].contains(requirement) {
                throw LoadError(
                    path: path, reason: "page '\(page.id)': unknown requirement '\(requirement)' (known: time-resolved, merging, rotation, serial)")
            }
            for section in page.sections {
                for plot in section.plots ?? [] where !ReportPlots.names.contains(plot) {
                    throw LoadError(path: path, reason: "page '\(page.id)': unknown plot '\(plot)' (known: \(ReportPlots.names.joined(separator: ", ")))")
                }
                for table in section.tables ?? [] where !ReportTables.names.contains(table) {
                    throw LoadError(path: path, reason: "page '\(page.id)': unknown table '\(table)' (known: \(ReportTables.names.joined(separator: ", ")))")
                }
            }
        }
        guard recipe.pages.contains(where: { $0.id == "index" }) else {
            throw LoadError(path: path, reason: "no page with id 'index'")
        }
        return recipe
    }
}
