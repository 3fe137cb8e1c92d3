import Foundation
import Synchronization
import XCTest

@testable import XtalIngest

/// The work queue behind parsing: every task runs, in queue order on one worker, on all
/// workers at once when there are several, and tasks queued before `close` still run.
final class WorkQueueTests: XCTestCase {
    func testOneWorkerRunsTasksInQueueOrder() {
        let queue = WorkQueue(workers: 1)
        let order = Mutex<[Int]>([])
        let done = DispatchGroup()
        for k in 0..<200 {
            done.enter()
            queue.submit {
                order.withLock { $0.append(k) }
                done.leave()
            }
        }
        queue.close()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(order.withLock { $0 }, Array(0..<200))
    }

    func testSeveralWorkersRunTasksAtTheSameTime() {
        let queue = WorkQueue(workers: 2)
        defer { queue.close() }
        // Each task waits for the other: with fewer than two workers this would time out.
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        let met = Mutex(0)
        let done = DispatchGroup()
        for (mine, theirs) in [(first, second), (second, first)] {
            done.enter()
            queue.submit {
                mine.signal()
                if theirs.wait(timeout: .now() + 10) == .success { met.withLock { $0 += 1 } }
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(met.withLock { $0 }, 2)
    }

    /// A producer that outlives the job (a decompressing thread) is told the queue closed
    /// instead of trapping.
    func testTrySubmitAfterCloseIsRefused() {
        let queue = WorkQueue(workers: 1)
        let ran = DispatchSemaphore(value: 0)
        XCTAssertTrue(queue.trySubmit { ran.signal() })
        XCTAssertEqual(ran.wait(timeout: .now() + 10), .success)
        queue.close()
        XCTAssertFalse(queue.trySubmit {})
    }
}
