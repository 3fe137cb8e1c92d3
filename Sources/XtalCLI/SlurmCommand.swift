import Foundation
import XtalCore

/// Runs one of SLURM's client commands (sbatch, squeue, scontrol, scancel) found on PATH,
/// with a time limit, so a scheduler that does not answer ends the job with a message
/// instead of hanging it.
enum SlurmCommand {
    /// Seconds a client command may take.
    static let limit: TimeInterval = 120

    /// Its standard output; an error (exit 69) naming the command when it fails.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let line = ([tool] + arguments).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw fail("cannot start \(tool): \(error.localizedDescription) (is SLURM installed?)", ExitStatus.storeFailed)
        }
        let deadline = Date().addingTimeInterval(limit)
        // Read as it comes, so a chatty command cannot fill the pipe and stall.
        let collected = OutputCollector(output.fileHandleForReading, errors.fileHandleForReading)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw fail("\(line): no answer in \(Int(limit)) s (is slurmctld up?)", ExitStatus.storeFailed)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let (stdout, stderr) = collected.finish()
        guard process.terminationStatus == 0 else {
            let reason = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw fail("\(line) failed (exit \(process.terminationStatus)): \(reason.prefix(500))", ExitStatus.storeFailed)
        }
        return stdout
    }
}

/// Reads two pipes to their ends on background threads.
private final class OutputCollector: @unchecked Sendable {
    // @unchecked: each buffer is written by its one reader thread, read after `group` joins.
    private var out = Data()
    private var err = Data()
    private let group = DispatchGroup()

    init(_ stdout: FileHandle, _ stderr: FileHandle) {
        group.enter()
        Thread.detachNewThread { [self] in
            out = readAll(from: stdout.fileDescriptor)
            group.leave()
        }
        group.enter()
        Thread.detachNewThread { [self] in
            err = readAll(from: stderr.fileDescriptor)
            group.leave()
        }
    }

    func finish() -> (String, String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
