import Foundation

/// Wall time and peak resident memory after each stage of `run` and `stats`, printed with
/// `--timings` (stderr), so that where a job's time and memory go is measured, not guessed:
/// reading, split files, merging, summary.json, the report, the store.
final class StageTimings {
    struct Stage {
        var name: String
        var seconds: Double
        /// The process's peak RSS so far, in MB (getrusage's maxrss).
        var peakMB: Int
    }

    private(set) var stages: [Stage] = []
    /// Measurements inside a stage (the store's per-image row rate), printed after the stages.
    private(set) var details: [String] = []
    private var last = Date()
    private let start = Date()

    /// Ends the stage begun by the previous call (or at creation).
    func mark(_ name: String) {
        let now = Date()
        stages.append(Stage(name: name, seconds: now.timeIntervalSince(last), peakMB: Self.peakMB()))
        last = now
    }

    /// Adds a measurement made inside a stage.
    func detail(_ text: String) { details.append(text) }

    static func peakMB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    var text: String {
        let total = Date().timeIntervalSince(start)
        return "timings: " + stages.map { String(format: "%@ %.2f s (peak %d MB)", $0.name, $0.seconds, $0.peakMB) }
            .joined(separator: ", ") + String(format: "; total %.2f s", total)
            + details.map { "\n  " + $0 }.joined()
    }
}
