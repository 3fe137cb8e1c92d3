import XtalCore
import XtalMX

/// A run's processing-result and per-image quality files, read by content whatever list
/// they were named in. A file that cannot be read is an issue naming it and counts as
/// unread; the run goes on without it.
struct RunResultFiles {
    var processing: [ProcessingResult] = []
    var imageQuality: [ImageQualitySeries] = []
    var issues: [IngestIssue] = []
    var unread = 0

    static func read(_ run: RunInput) -> RunResultFiles {
        var files = RunResultFiles()
        for path in run.processing + run.imageQuality {
            do {
                switch try MXResultFile.read(path: path) {
                case .processing(let results):
                    files.processing += results
                    files.issues += results.flatMap(\.issues)
                case .imageQuality(let series):
                    files.imageQuality.append(series)
                    files.issues += series.issues
                case .dozorInput:
                    files.issues.append(IngestIssue(
                        kind: .warning, file: path, line: 0, reason: "a Dozor input file, not a result (Dozor's log holds them); not used"))
                }
            } catch {
                files.unread += 1
                let reason = (error as? MXReadError)?.reason ?? "\(error)"
                files.issues.append(IngestIssue(kind: .warning, file: path, line: 0, reason: "not read: \(reason)"))
            }
        }
        return files
    }
}
