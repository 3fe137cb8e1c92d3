import XtalCore

/// Tells the user, on stderr, about chunks that could not be used.
enum IssueSummary {
    static func print(_ results: ExperimentResults, quiet: Bool) {
        let a = results.accounting
        guard !a.isComplete || results.runs.contains(where: { !$0.issues.isEmpty }) else { return }
        if !a.isComplete {
            var parts: [String] = []
            if a.malformedChunks > 0 || a.incompleteChunks > 0 || a.filesPartlyUnread > 0 {
                parts.append(
                    "\(a.malformedChunks) malformed and \(a.incompleteChunks) incomplete chunk(s) were left out "
                        + "of the statistics (of \(a.chunksSeen) seen)"
                        + (a.filesPartlyUnread > 0 ? "; \(a.filesPartlyUnread) file(s) have input outside any chunk that was not read" : ""))
            }
            if a.resultFilesUnread > 0 {
                parts.append("\(a.resultFilesUnread) processing or per-image file(s) could not be read")
            }
            Console.warning(parts.joined(separator: "; "))
        }
        guard !quiet else { return }
        let issues = results.runs.flatMap(\.issues)
        for issue in issues.prefix(10) { Console.writeStderrText("  \(issue)\n") }
        let more = issues.count - min(10, issues.count) + results.runs.reduce(0) { $0 + $1.issuesNotListed }
        if more > 0 { Console.writeStderr("  … and \(more) more (all listed in the JSON output)\n") }
    }
}
