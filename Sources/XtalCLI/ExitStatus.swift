import ArgumentParser

/// The exit codes of every command, documented in `--help` and the README.
enum ExitStatus {
    /// Everything read and written.
    static let success = ExitCode(0)
    /// Results were written, but some input could not be used (malformed or truncated
    /// chunks, unreadable reflection lines when merging, a peer's merge file unreadable or
    /// failing its checks): see the issues in the output.
    static let partialResults = ExitCode(3)
    /// Bad usage: unknown option, invalid manifest.
    static let usage = ExitCode(64)
    /// An input file is missing, unreadable, or not of the expected format.
    static let unreadableInput = ExitCode(66)
    /// The database could not take the results (unreachable, bad credentials, a schema
    /// without the needed tables, a visit or DataCollection not found). Everything else,
    /// summary.json and the report, was written.
    static let storeFailed = ExitCode(69)
    /// A self-check failed: the time points do not partition a run, or a split file does
    /// not assign what the per-image table assigns. Results are written; do not use the
    /// split files, and report the bug.
    static let checkFailed = ExitCode(70)
    /// The output folder or a result file could not be written.
    static let cannotWriteOutput = ExitCode(73)
    /// A cluster job is not complete: some tasks have no usable result (each is named);
    /// `run … --resume` runs just those again. Nothing was reduced.
    static let tasksIncomplete = ExitCode(75)

    static let helpText = """
        Exit codes: 0 success; 3 partial results (some chunks malformed or truncated, or \
        reflection lines unreadable when merging, a facility merge's file unreadable or its checks failed; results still written); 64 bad usage or invalid manifest; 66 input missing, \
        unreadable or not a stream; 69 the database could not take the results \
        (summary.json and the report are written); 70 a time-resolved self-check failed (split files \
        not to be used); 73 output cannot be written (also a full disk); 75 a cluster job's tasks are not all done (each \
        is named; run again with --resume); 130/143 interrupted by \
        SIGINT/SIGTERM (the output folder is marked incomplete in xtalreport-job.json).
        """
}

extension ExitStatus {
    /// What an exit code says, for the job record.
    static func meaning(_ code: ExitCode) -> String {
        switch code.rawValue {
        case 0: "success"
        case 3: "partial results: some input could not be used"
        case 64: "bad usage or invalid manifest"
        case 66: "an input is missing, unreadable or not a stream"
        case 69: "the database could not take the results"
        case 70: "a time-resolved self-check failed"
        case 73: "an output could not be written"
        case 75: "a cluster job's tasks are not all done"
        case 130: "interrupted (SIGINT)"
        case 143: "terminated (SIGTERM)"
        default: "exit code \(code.rawValue)"
        }
    }
}

/// Prints an error to stderr and returns the exit code to throw.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    Console.error(message)
    return code
}
