import Dispatch
import Foundation
import Synchronization
import XCTest
import XtalTestSupport

@testable import XtalNexus

/// The child a master file is read in: its output drained whole, its wall-clock limit kept,
/// and several children at once (master files read ahead) without waiting on each other.
final class IsolatedChildTests: XCTestCase {
    /// A stand-in for the read-master child: a shell script that ignores its arguments.
    func child(_ body: String, in folder: TemporaryFolder) throws -> String {
        let path = folder.url.appendingPathComponent("child.sh").path
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    func testOutputLargerThanThePipeComesBackWhole() throws {
        let folder = try TemporaryFolder()
        // 8 MiB: eight times the pipe's buffer.
        let settings = IsolatedMasterReader.Settings(executable: try child("head -c 8388608 /dev/zero", in: folder))
        let data = try XCTUnwrap(try IsolatedMasterReader.runChild([], path: "/dev/null", settings: settings))
        XCTAssertEqual(data.count, 8 << 20)
    }

    func testAChildOverItsTimeIsStoppedAndNamed() throws {
        let folder = try TemporaryFolder()
        var settings = IsolatedMasterReader.Settings(executable: try child("exec sleep 30", in: folder))
        settings.timeLimit = 1
        let start = Date()
        XCTAssertThrowsError(try IsolatedMasterReader.runChild([], path: "/dev/null", settings: settings)) { error in
            XCTAssertTrue("\(error)".contains("took over 1 s"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testManyChildrenAtOnceOnThePoolDoNotStarve() throws {
        let folder = try TemporaryFolder()
        let settings = IsolatedMasterReader.Settings(executable: try child("sleep 0.2; head -c 2097152 /dev/zero", in: folder))
        // More reads than the machine has cores, each from a thread of the shared pool.
        let n = 4 * ProcessInfo.processInfo.activeProcessorCount
        let group = DispatchGroup()
        let sizes = Mutex([Int]())
        let start = Date()
        for _ in 0..<n {
            DispatchQueue.global().async(group: group) {
                let size = (try? IsolatedMasterReader.runChild([], path: "/dev/null", settings: settings))??.count ?? -1
                sizes.withLock { $0.append(size) }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(sizes.withLock { $0 }, Array(repeating: 2 << 20, count: n))
        // Each child takes 0.2 s, all at once: under a second here. When each read waited on
        // a pool thread for a drain that needed another, the same took 7 s.
        XCTAssertLessThan(Date().timeIntervalSince(start), 4)
    }

    func testSignalsDuringTheReadAreNotAnError() throws {
        // The fuzzer's timers interrupted the pipe's read (EINTR), and FileHandle stopped the
        // process on it: a reading thread interrupted every few milliseconds must still get
        // the whole answer.
        let folder = try TemporaryFolder()
        let settings = IsolatedMasterReader.Settings(executable: try child("sleep 0.5; head -c 3000000 /dev/zero", in: folder))
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0  // no SA_RESTART: read(2) returns EINTR
        var previous = sigaction()
        sigaction(SIGUSR1, &action, &previous)
        defer { sigaction(SIGUSR1, &previous, nil) }
        let reader = Mutex<pthread_t?>(nil)
        let result = Mutex<Int?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            reader.withLock { $0 = pthread_self() }
            let size = (try? IsolatedMasterReader.runChild([], path: "/dev/null", settings: settings))??.count ?? -1
            result.withLock { $0 = size }
            done.signal()
        }
        thread.start()
        while done.wait(timeout: .now() + 0.005) == .timedOut {
            if let target = reader.withLock({ $0 }) { pthread_kill(target, SIGUSR1) }
        }
        XCTAssertEqual(result.withLock { $0 }, 3_000_000)
    }
}
