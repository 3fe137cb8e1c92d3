import Dispatch
import Foundation
import Synchronization
import XtalNexus

/// A run's master file read on a thread of its own while its streams are parsed, so that
/// assembling the run does not wait for it (the last run's assembly otherwise adds the
/// whole read to the job's end: 0.3 s for 333 k images here). Only where reads run in a
/// child process (`NexusMasterReader.readsInChildProcess`), since libhdf5 in this process
/// allows one reader at a time. A job may hand a run its prefetch before the read begins
/// (`deferred`, then `begin`), so that a run queued early does not hold its per-image
/// values (tens of MB for a large run) long before it is assembled. A read kept by an
/// earlier job (`cached`) is taken instead of reading the file, when it begins.
public final class MasterPrefetch: Sendable {
    private let path: String
    private let cached: (@Sendable () -> NexusMasterFile?)?
    private let started = Mutex(false)
    private let fromCache = Mutex(false)
    private let outcome = Mutex<Result<NexusMasterFile, NexusError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    private init(path: String, cached: (@Sendable () -> NexusMasterFile?)?) {
        self.path = path
        self.cached = cached
    }

    /// Starts reading `path`, or nil where reads cannot run beside other work.
    public static func start(_ path: String) -> MasterPrefetch? {
        let prefetch = deferred(path)
        prefetch?.begin()
        return prefetch
    }

    /// A read of `path` that begins at `begin()` (or at the latest when waited for), taking
    /// what `cached` gives, if anything, instead of reading the file; nil where reads cannot
    /// run beside other work.
    public static func deferred(_ path: String, cached: (@Sendable () -> NexusMasterFile?)? = nil) -> MasterPrefetch? {
        NexusMasterReader.readsInChildProcess ? MasterPrefetch(path: path, cached: cached) : nil
    }

    /// Whether the read was taken from `cached` (known once it is done).
    public var tookCachedRead: Bool { fromCache.withLock { $0 } }

    /// Begins the read (once; later calls do nothing).
    public func begin() {
        guard started.withLock({ wasStarted in
            defer { wasStarted = true }
            return !wasStarted
        }) else { return }
        // A thread of its own, not one of the shared pool's: the read waits for a child
        // process for most of its time.
        let path = path
        let thread = Thread { [self] in
            let result: Result<NexusMasterFile, NexusError>
            if let file = cached?() {
                fromCache.withLock { $0 = true }
                result = .success(file)
            } else {
                result = Result { () throws(NexusError) in try NexusMasterReader.read(path: path) }
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.start()
    }

    /// The master file (or the read's error), once read.
    func wait() throws(NexusError) -> NexusMasterFile {
        begin()
        done.wait()
        done.signal()  // a second wait returns at once
        return try outcome.withLock { $0! }.get()
    }
}
