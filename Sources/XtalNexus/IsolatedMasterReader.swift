#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Synchronization
import XtalCore

/// Reads master files in a child process, so that libhdf5 failing on a damaged file — a
/// crash inside the library (`H5F__accum_read`, `H5HG_read`, …), an allocation sized by a
/// corrupt dataspace, a loop that never ends — costs that one file, not the job. The child
/// is this program again (`xtalreport read-master FILE`), with an address-space limit it
/// sets on itself before opening the file and a wall-clock limit the parent enforces; its
/// answer comes back on a pipe (`MasterFileWire`). Whatever goes wrong becomes
/// `NexusError.corrupt` with what happened, and the run is kept without its metadata.
///
/// The CLI turns it on (`configure`); libraries and tests that never call that read in
/// process, as before.
public enum IsolatedMasterReader {
    /// How a child is run.
    public struct Settings: Sendable {
        /// The executable that has the `read-master` subcommand (the running xtalreport).
        public var executable: String
        /// Seconds a read may take.
        public var timeLimit: Double = 60
        /// Address space of the child: this much plus 64 bytes per byte of the file.
        public var memoryBase = 2 << 30

        public init(executable: String) { self.executable = executable }
    }

    private static let settings = Mutex<Settings?>(nil)

    /// Makes every `NexusMasterReader.read` of this process run in a child.
    public static func configure(_ value: Settings?) { settings.withLock { $0 = value } }

    static var current: Settings? { settings.withLock { $0 } }

    /// The address-space limit for a file of `bytes` bytes.
    static func memoryLimit(_ settings: Settings, fileBytes bytes: Int) -> Int {
        settings.memoryBase + min(bytes, 1 << 30) * 64
    }

    /// Reads `path` in a child process under `settings`.
    static func read(path: String, captureFirst: Bool, settings: Settings) throws(NexusError) -> NexusFileContent {
        let arguments = ["read-master", path] + (captureFirst ? ["--capture-first"] : [])
        let limit = memoryLimit(settings, fileBytes: fileSize(path))
        let answer = try runChild(arguments, path: path, settings: settings) { MasterFileWire.decode(from: $0, limit: limit) }
        guard let answer else {
            // The reader could not be started: read here, as without isolation.
            return try NexusMasterReader.readInProcess(path: path, captureFirst: captureFirst)
        }
        guard let outcome = answer else {
            throw .corrupt(
                path: path,
                detail: "the reader ended without an answer (out of memory under its "
                    + "\(memoryLimit(settings, fileBytes: fileSize(path)) >> 20) MiB limit, or damaged data)")
        }
        return try outcome.get()
    }

    static func fileSize(_ path: String) -> Int { RawPath.status(path).map { Int($0.st_size) } ?? 0 }

    /// Runs this program as `ARGUMENTS --memory-limit M --time-limit T` on the file at
    /// `path` and returns what it wrote on stdout; nil when it could not be started. A child
    /// that ran out of time, crashed or was killed is `NexusError.corrupt` with what happened.
    static func runChild(_ arguments: [String], path: String, settings: Settings) throws(NexusError) -> Data? {
        try runChild(arguments, path: path, settings: settings) { readAll(from: $0) }
    }

    /// `runChild`, with the child's standard output given to `consume` as it comes (a
    /// descriptor to read from); what `consume` leaves unread is read and dropped before
    /// the child's end is judged.
    static func runChild<Answer>(
        _ arguments: [String], path: String, settings: Settings, reading consume: (Int32) -> Answer
    ) throws(NexusError) -> Answer? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.executable)
        process.arguments = arguments
            + ["--memory-limit", String(memoryLimit(settings, fileBytes: fileSize(path))),
               "--time-limit", String(Int(settings.timeLimit.rounded(.up)))]
        let output = Pipe()
        #if os(Linux)
            // A 1 MiB pipe instead of 64 KiB: the tens of MB a large run's per-image values
            // take cross in 16 times fewer wake-ups. F_SETPIPE_SZ (fcntl(2)) is 1031; a
            // refusal (the system's pipe-max-size) leaves the default.
            _ = fcntl(output.fileHandleForReading.fileDescriptor, 1031, Int32(1 << 20))
        #endif
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return nil
        }
        // The output is drained on this thread, and the wall-clock limit is a timer that
        // kills the child (its pipe then ends): no thread of the shared pool waits here, so
        // several reads at once (master files read ahead) cannot starve each other's
        // draining of threads (they did: a second of idle cores with three reads at once).
        let timedOut = Mutex(false)
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem {
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + settings.timeLimit, execute: watchdog)
        let descriptor = output.fileHandleForReading.fileDescriptor
        let answer = consume(descriptor)
        discardAll(from: descriptor)  // the rest, if any: the child may still be writing
        finished.wait()
        watchdog.cancel()
        if timedOut.withLock({ $0 }) {
            throw .corrupt(path: path, detail: "reading it took over \(Int(settings.timeLimit)) s (libhdf5 stuck on damaged data); stopped")
        }
        if process.terminationReason == .uncaughtSignal, [SIGXCPU, SIGKILL].contains(process.terminationStatus) {
            throw .corrupt(
                path: path, detail: "reading it took over \(Int(settings.timeLimit)) s of CPU (libhdf5 stuck on damaged data); stopped")
        }
        if process.terminationReason == .uncaughtSignal {
            let limit = memoryLimit(settings, fileBytes: fileSize(path)) >> 20
            throw .corrupt(
                path: path,
                detail: "libhdf5 crashed reading it (signal \(process.terminationStatus), or it needed over \(limit) MiB): "
                    + "the file is damaged")
        }
        return answer
    }

    /// The child's limits: address space and CPU time (so that it ends even when the job
    /// that started it is gone), and the default handling of SIGINT and SIGTERM back (a job
    /// ignores them while it cleans up).
    static func limitChild(memoryLimit: Int, timeLimit: Int) {
        var limit = rlimit(rlim_cur: rlim_t(memoryLimit), rlim_max: rlim_t(memoryLimit))
        _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        var cpu = rlimit(rlim_cur: rlim_t(max(1, timeLimit)), rlim_max: rlim_t(max(1, timeLimit) + 5))
        _ = setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// The child's side: limits this process's address space and CPU time (so that it ends
    /// even when the job that started it is gone), takes back the default handling of
    /// SIGINT and SIGTERM (a job ignores them while it cleans up), reads `path` in process
    /// and writes the outcome to standard output.
    public static func serveRead(path: String, memoryLimit: Int, timeLimit: Int, captureFirst: Bool) {
        limitChild(memoryLimit: memoryLimit, timeLimit: timeLimit)
        let outcome = Result { () throws(NexusError) in
            try NexusMasterReader.readInProcess(path: path, captureFirst: captureFirst)
        }
        let data = MasterFileWire.encode(outcome)
        _ = data.withUnsafeBytes { writeAll(to: 1, $0) }
    }
}
