#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Writes result files whole or not at all: into a hidden temporary file beside the target
/// (`.NAME.partial-PID`), then renamed over it. A job that is interrupted or runs out of disk
/// leaves the previous file, or none, never a truncated one; its temporary files carry its
/// process id, so `removeLeftovers` finds them.
public enum AtomicFile {
    /// Why a file could not be written, with the system's reason.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let code: Int32
        public var reason: String { String(cString: strerror(code)) }
        /// The file system is full, or the user's quota is.
        public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
        public var description: String { "cannot write \(path): \(reason)" }

        public init(path: String, code: Int32) {
            self.path = path
            self.code = code
        }
    }

    /// The temporary name `path` is written under before it is renamed into place.
    public static func temporaryPath(for path: String, pid: Int32 = getpid()) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(pid)").path
    }

    /// Writes `data` to `path`.
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        if let failure = data.withUnsafeBytes({ write(bytes: $0, to: path) }) { throw failure }
    }

    /// Writes `bytes` to `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        if let failure = bytes.withUnsafeBytes({ write(bytes: $0, to: path) }) { throw failure }
    }

    /// Writes `bytes` to `path`; the error, if any.
    private static func write(bytes: UnsafeRawBufferPointer, to path: String) -> WriteError? {
        gate.enter()
        defer { gate.leave() }
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return WriteError(path: path, code: errno) }
        var failure = bytes.isEmpty ? 0 : writeAll(to: fd, bytes)
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            return WriteError(path: path, code: failure)
        }
        do { try commit(temporary, to: path) } catch { return error }
        return nil
    }

    /// Writes `text` (UTF-8) to `path`.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Lets `body` write the file at the temporary path it is given (a C library that opens
    /// the file itself), then renames it to `path`; when `body` throws, the temporary file
    /// is removed and the target is untouched.
    public static func write(to path: String, _ body: (String) throws -> Void) throws {
        gate.enter()
        defer { gate.leave() }
        let temporary = temporaryPath(for: path)
        do {
            try body(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        try commit(temporary, to: path)
    }

    /// The writes in progress, and whether the process is stopping.
    private static let gate = WriteGate()

    /// Waits until the writes in progress are renamed into place and lets no other write
    /// start (they wait until the process ends): a job stopped by a signal calls it before
    /// it removes its temporary files (`removeLeftovers`) and exits, so that a write on
    /// another thread cannot leave one behind after they were removed.
    public static func stopWriting() { gate.stop() }

    private static func commit(_ temporary: String, to path: String) throws(WriteError) {
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw WriteError(path: path, code: code)
        }
    }

    /// Removes the temporary files that process `pid` left under `directory` (recursively).
    public static func removeLeftovers(in directory: String, pid: Int32 = getpid()) {
        let suffix = ".partial-\(pid)"
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("."), name.hasSuffix(suffix) { unlink(directory + "/" + relative) }
        }
    }
}

/// Counts `AtomicFile`'s writes in progress; once stopped, lets none begin.
private final class WriteGate: @unchecked Sendable {
    // @unchecked: `inFlight` and `stopped` are only touched while `condition` is locked.
    private let condition = NSCondition()
    private var inFlight = 0
    private var stopped = false

    func enter() {
        condition.lock()
        while stopped { condition.wait() }  // the process is ending
        inFlight += 1
        condition.unlock()
    }

    func leave() {
        condition.lock()
        inFlight -= 1
        condition.broadcast()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        while inFlight > 0 { condition.wait() }
        condition.unlock()
    }
}
