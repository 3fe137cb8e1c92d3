import Foundation
import XtalCore

/// What one report page describes: the whole experiment (cumulative statistics, all runs)
/// or one run. Plot and table builders read only this.
struct ReportScope {
    var results: ExperimentResults
    /// The run of a run page; nil on the experiment page.
    var run: RunResults?
    /// The folder the pages are written to: files inside it are linked relatively, so the
    /// folder can be copied or served elsewhere.
    var root: String = ""
    /// How the job ran (`ReportWriter.jobNotes`).
    var jobNotes: [(label: String, text: String)] = []

    var statistics: RunStatistics { run?.statistics ?? results.cumulative }
    /// The runs shown in per-run plots and tables.
    var runs: [RunResults] { run.map { [$0] } ?? results.runs }
    var name: String { run?.name ?? (results.experiment ?? "experiment") }
}

extension ReportScope {
    /// A link to `path` (absolute, or relative to the report folder) relative to the report
    /// folder, percent-encoded; nil when the file is
    /// not inside the folder (it is then shown as text: an absolute link would break as
    /// soon as the folder is copied or served from another machine).
    func relativeLink(_ path: String) -> String? {
        guard !root.isEmpty else { return nil }
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        // A relative path (merged files are recorded so) is relative to the folder.
        let file = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard file.hasPrefix(prefix) else { return nil }
        let relative = String(file.dropFirst(prefix.count))
        return relative.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: ReportScope.pathComponentCharacters) ?? String($0)
        }.joined(separator: "/")
    }

    /// A cell naming `paths`: each file inside the report folder as a relative link labelled
    /// with its path there, any other as text.
    func fileCell(_ paths: [String], style: String? = nil) -> ReportTable.Cell {
        var cell = ReportTable.Cell(text: "", style: style)
        var texts: [String] = []
        for path in paths {
            if let href = relativeLink(path) {
                cell.links.append(.init(label: href.removingPercentEncoding ?? href, href: href))
            } else {
                texts.append(path)
            }
        }
        cell.text = texts.joined(separator: " ")
        return cell
    }

    /// Unreserved characters of RFC 3986: everything else in a file name is escaped.
    static let pathComponentCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
