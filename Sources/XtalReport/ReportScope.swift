import XtalCore

/// What one report page describes: the whole experiment (cumulative statistics, all runs)
/// or one run. Plot and table builders read only this.
struct ReportScope {
    var results: ExperimentResults
    /// The run of a run page; nil on the experiment page.
    var run: RunResults?

    var statistics: RunStatistics { run?.statistics ?? results.cumulative }
    /// The runs shown in per-run plots and tables.
    var runs: [RunResults] { run.map { [$0] } ?? results.runs }
    var name: String { run?.name ?? (results.experiment ?? "experiment") }
}
