import Foundation
import XtalCore

/// The record of the job that last wrote an output folder, `xtalreport-job.json`: whether
/// it is running, complete, failed or was interrupted, with its command, process id, times
/// and exit code. With it a folder is either the complete result of one job or visibly not:
/// `run` writes it as "running" before anything else (and removes the previous job's
/// `summary.json`, and puts a notice in place of its `index.html`), and as "complete" only
/// after its last output; `report` warns when it is not "complete".
struct JobRecord: Codable, Equatable {
    enum State: String, Codable {
        case running, complete, failed, interrupted
    }

    var state: State
    var command: String
    var pid: Int32
    var started: String
    var finished: String?
    var exitCode: Int32?
    /// Why the job failed or stopped.
    var reason: String?

    static let fileName = "xtalreport-job.json"

    static func path(in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
    }

    /// The record in `directory`, if there is a readable one.
    static func read(in directory: String) -> JobRecord? {
        guard let data = FileManager.default.contents(atPath: path(in: directory)) else { return nil }
        return try? JSONDecoder().decode(JobRecord.self, from: data)
    }

    func write(in directory: String) throws(AtomicFile.WriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write((try? encoder.encode(self)) ?? Data(), to: Self.path(in: directory))
    }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    /// What `report` and a reader of the folder are told when the job did not complete.
    var incompleteNote: String? {
        switch state {
        case .complete: return nil
        case .running: return "a job (pid \(pid), started \(started)) is writing this folder, or was killed while it did"
        case .interrupted: return "the job started \(started) was interrupted (\(reason ?? "signal")) at \(finished ?? "?")"
        case .failed: return "the job started \(started) failed with exit code \(exitCode ?? 1): \(reason ?? "see its output")"
        }
    }
}
