#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch
import Foundation
import XtalCore

/// A `run` job's hold on its output folder: the record written at the start and the end,
/// and SIGINT/SIGTERM handled by marking the folder interrupted, removing the job's
/// temporary files and exiting 130/143. Files are written whole (`AtomicFile`) and each
/// run's rows in one transaction, so stopping at any moment loses only the step under way:
/// the database rolls back a transaction whose connection is gone.
final class JobInProgress {
    let directory: String
    private var record: JobRecord
    private var signalSources: [DispatchSourceSignal] = []

    /// Marks `directory` as being written by this process.
    init(directory: String, command: String) throws(JobInProgress.Refusal) {
        self.directory = directory
        if let previous = JobRecord.read(in: directory), previous.state == .running, previous.pid != getpid() {
            if Self.isXtalreport(pid: previous.pid) {
                throw .folderBusy(
                    "another xtalreport job (pid \(previous.pid), started \(previous.started)) is writing \(directory); "
                        + "wait for it or choose another --output")
            }
            // That job was killed (kill -9, a node lost): its temporary files go.
            AtomicFile.removeLeftovers(in: directory, pid: previous.pid)
        }
        record = JobRecord(state: .running, command: command, pid: getpid(), started: JobRecord.now())
        do {
            try start()
        } catch {
            throw .cannotWrite(error)
        }
    }

    /// Why a job cannot take the folder.
    enum Refusal: Error, CustomStringConvertible {
        case folderBusy(String)
        case cannotWrite(AtomicFile.WriteError)
        var description: String {
            switch self {
            case .folderBusy(let why): why
            case .cannotWrite(let error): error.description
            }
        }
    }

    /// Whether `pid` is a live xtalreport process (not a reused id).
    private static func isXtalreport(pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return true }
        return String(decoding: command, as: UTF8.self).contains("xtalreport")
    }

    private func start() throws(AtomicFile.WriteError) {
        try record.write(in: directory)
        // The previous job's summary would otherwise sit beside this job's partial outputs.
        unlink(URL(fileURLWithPath: directory).appendingPathComponent("summary.json").path)
        let index = URL(fileURLWithPath: directory).appendingPathComponent("index.html").path
        try AtomicFile.write(Self.notice(record), to: index)
        handleSignals()
    }

    /// Records the end of the job: complete when its outputs are whole (exit 0, or 3: some
    /// input unusable, every result written), else failed with the reason. False when the
    /// record could not be written (a full disk): the folder then still says "running".
    @discardableResult
    func finish(exitCode: Int32, reason: String? = nil, reportWritten: Bool) -> Bool {
        for source in signalSources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        let index = URL(fileURLWithPath: directory).appendingPathComponent("index.html").path
        if !reportWritten, exitCode == 0 || exitCode == ExitStatus.partialResults.rawValue {
            // The notice must not stay; the previous report's pages are of another job.
            try? AtomicFile.write(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>xtalreport: no report</title></head>"
                    + "<body><p>The last job (started \(record.started)) wrote summary.json without a report (--no-report); "
                    + "<code>xtalreport report</code> on this folder writes it.</p></body></html>\n", to: index)
        }
        record.state = exitCode == 0 || exitCode == ExitStatus.partialResults.rawValue ? .complete : .failed
        record.finished = JobRecord.now()
        record.exitCode = exitCode
        record.reason = reason
        AtomicFile.removeLeftovers(in: directory)
        do {
            try record.write(in: directory)
        } catch {
            Console.error("cannot record the end of the job in \(JobRecord.path(in: directory)): \(error.reason)")
            return false
        }
        return true
    }

    /// The page that stands in for index.html until the report is written.
    static func notice(_ record: JobRecord) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>xtalreport: incomplete</title></head>
        <body><h1>This folder is not a complete result</h1>
        <p>An xtalreport job (process \(record.pid), started \(record.started)) is writing it. If no job is \
        running, it was interrupted or failed: see <code>\(JobRecord.fileName)</code>, and run the job again.</p>
        </body></html>

        """
    }

    private func handleSignals() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let directory = directory
            let running = record
            source.setEventHandler {
                var stopped = running
                stopped.state = .interrupted
                stopped.finished = JobRecord.now()
                stopped.exitCode = 128 + number
                stopped.reason = number == SIGINT ? "SIGINT" : "SIGTERM"
                try? stopped.write(in: directory)
                // Writes on other threads (the report beside the store) finish first and no
                // new one starts, so none leaves a temporary file behind the removal.
                AtomicFile.stopWriting()
                AtomicFile.removeLeftovers(in: directory)
                let message = "\nxtalreport: interrupted (\(stopped.reason!)): \(directory) is marked incomplete in \(JobRecord.fileName)\n"
                Console.writeStderrText(message)
                _exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
