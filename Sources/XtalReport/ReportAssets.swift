import Foundation

/// Where the report's templates (`templates/`) and recipes (`reports/`) are: given
/// explicitly, or `$XTALREPORT_HOME`, or the first folder upwards from the executable or
/// the current directory that holds `templates/page.mustache` (a checkout: the binary is
/// under `.build/`).
public struct ReportAssets: Sendable {
    public var templates: String
    public var recipe: String

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String {
            "report templates not found: pass --templates DIR and --recipe FILE, or set XTALREPORT_HOME to the folder holding templates/ and reports/"
        }
    }

    public init(templates: String, recipe: String) {
        self.templates = templates
        self.recipe = recipe
    }

    public static func locate(templates: String? = nil, recipe: String? = nil) throws -> ReportAssets {
        if let templates, let recipe { return ReportAssets(templates: templates, recipe: recipe) }
        guard let home = home() else { throw NotFound() }
        return ReportAssets(
            templates: templates ?? home.appendingPathComponent("templates").path,
            recipe: recipe ?? home.appendingPathComponent("reports/default.yaml").path)
    }

    static func home() -> URL? {
        let fm = FileManager.default
        func holdsAssets(_ url: URL) -> Bool {
            fm.fileExists(atPath: url.appendingPathComponent("templates/page.mustache").path)
        }
        if let env = ProcessInfo.processInfo.environment["XTALREPORT_HOME"] {
            let url = URL(fileURLWithPath: env)
            if holdsAssets(url) { return url }
        }
        var starts: [URL] = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL { starts.insert(executable.resolvingSymlinksInPath().deletingLastPathComponent(), at: 0) }
        for start in starts {
            var url = start.standardizedFileURL
            for _ in 0..<8 {
                if holdsAssets(url) { return url }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return nil
    }
}
