import Foundation

/// A fixed set of worker threads that take tasks in the order they were queued.
///
/// The parse of a large experiment is a queue of file segments: the segments of the next
/// run are queued behind those of the current one, so a worker that finishes early goes on
/// with the next run instead of waiting for the slowest segment of this one. (Dispatch's
/// `concurrentPerform` gives no such hand-over between two calls.) The caller bounds how
/// far ahead it queues, and with it the memory of runs in flight.
public final class WorkQueue: @unchecked Sendable {
    // @unchecked: `tasks` and `closed` are only touched with `condition` locked.
    private let condition = NSCondition()
    /// Queued tasks; a slot is emptied when its task is taken, so that what the task
    /// holds (a file mapping, parsed segments) goes as soon as the task has run.
    private var tasks: [(@Sendable () -> Void)?] = []
    private var next = 0
    private var closed = false

    /// Starts `workers` threads (at least one).
    public init(workers: Int) {
        for _ in 0..<max(1, workers) {
            let thread = Thread { [self] in work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues `task` behind every task queued before it.
    public func submit(_ task: @escaping @Sendable () -> Void) {
        condition.lock()
        precondition(!closed, "task submitted to a closed work queue")
        tasks.append(task)
        condition.signal()
        condition.unlock()
    }

    /// Queues `task` unless the queue is closed; false when it is (the job is ending).
    public func trySubmit(_ task: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        tasks.append(task)
        condition.signal()
        return true
    }

    /// Lets the workers end once every queued task has run. Tasks already queued still run.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == tasks.count, !closed { condition.wait() }
            if next == tasks.count {
                condition.unlock()
                return
            }
            let task = tasks[next]!
            tasks[next] = nil
            next += 1
            if next == tasks.count {  // every slot is empty: start the array again
                tasks.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            task()
        }
    }
}
