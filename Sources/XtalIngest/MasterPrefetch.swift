import Dispatch
import Foundation
import Synchronization
import XtalNexus

/// A run's master file read on a thread of its own while its streams are parsed, so that
/// assembling the run does not wait for it (the last run's assembly otherwise adds the
/// whole read to the job's end: 0.3 s for 333 k images here). Only where reads run in a
/// child process (`NexusMasterReader.readsInChildProcess`), since libhdf5 in this process
/// allows one reader at a time. A job may start the read of a run queued later
/// (`RunIngestor.schedule(master:)`), so that the last run's master file is not read at the end.
public final class MasterPrefetch: Sendable {
    private let outcome = Mutex<Result<NexusMasterFile, NexusError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `path`, or nil where reads cannot run beside other work.
    public static func start(_ path: String) -> MasterPrefetch? {
        guard NexusMasterReader.readsInChildProcess else { return nil }
        let prefetch = MasterPrefetch()
        // A thread of its own, not one of the shared pool's: the read waits for a child
        // process for most of its time.
        let thread = Thread {
            let result = Result { () throws(NexusError) in try NexusMasterReader.read(path: path) }
            prefetch.outcome.withLock { $0 = result }
            prefetch.done.signal()
        }
        thread.start()
        return prefetch
    }

    /// The master file (or the read's error), once read.
    func wait() throws(NexusError) -> NexusMasterFile {
        done.wait()
        done.signal()  // a second wait returns at once
        return try outcome.withLock { $0! }.get()
    }
}
