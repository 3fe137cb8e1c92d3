import Foundation

/// A one-node SLURM cluster of the test's own (munged, slurmctld and slurmd on loopback,
/// configuration, state and logs in a temporary folder), started with
/// `scripts/slurm-cluster.sh` and stopped when the value goes away. Needs Debian's
/// `slurm-wlm` and `munge` (installed by `scripts/install-deps.sh --test`) and root.
public final class ThrowawaySlurmCluster {
    public let folder: URL
    /// The configuration the clients (sbatch, squeue, …) must be given as `SLURM_CONF`.
    public var configuration: String { folder.appendingPathComponent("slurm.conf").path }
    private static let script = SharedSamples.repositoryRoot.appendingPathComponent("scripts/slurm-cluster.sh").path

    /// Why a cluster cannot be started here (nil when it can).
    public static var unavailableReason: String? {
        for tool in ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is absent: install slurm-wlm and munge (scripts/install-deps.sh --test)"
        }
        return getuid() == 0 ? nil : "the test cluster runs its daemons as root"
    }

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-slurm-\(UUID().uuidString)")
        let started = try Self.shell([Self.script, "start", folder.path], limit: 90)
        guard started.status == 0 else {
            _ = try? Self.shell([Self.script, "stop", folder.path], limit: 30)
            throw ThrowawayMariaDB.Failure(message: "the SLURM test cluster did not start: \(started.output)")
        }
    }

    deinit {
        _ = try? Self.shell([Self.script, "stop", folder.path], limit: 30)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs a SLURM client with this cluster's configuration; its output (stdout and stderr).
    @discardableResult
    public func client(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try Self.shell(["/usr/bin/env", "SLURM_CONF=\(configuration)", tool] + arguments, limit: 60)
        guard result.status == 0 else { throw ThrowawayMariaDB.Failure(message: "\(tool) \(arguments): \(result.output)") }
        return result.output
    }

    /// Waits (bounded) until squeue lists nothing of `job`.
    public func waitUntilGone(_ job: String, seconds: Double = 120) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try client("squeue", ["-h", "-r", "-j", job, "-o", "%i"]).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                return
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw ThrowawayMariaDB.Failure(message: "job \(job) still queued after \(Int(seconds)) s")
    }

    /// Runs a command with a time limit (killed after `limit` seconds).
    static func shell(_ command: [String], limit: Double) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-slurm-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: file, encoding: .utf8)) ?? "")
    }
}
