import Foundation
import Synchronization
import XCTest

/// What one run of the `xtalreport` binary printed and returned.
public struct Outcome: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// The built binary sits beside the test bundle.
public let xtalreportBinary: URL = {
    #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("xtalreport")
        }
        fatalError("no test bundle")
    #else
        return Bundle.main.bundleURL.appendingPathComponent("xtalreport")
    #endif
}()

extension XCTestCase {
    /// Runs the real binary, as a user or a pipeline would; `environment` adds variables.
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try runBinary(arguments, environment: environment)
    }

    /// Runs the binary once per argument list, all at the same time (jobs racing for one
    /// database); their outcomes in the same order.
    public func runConcurrently(_ argumentLists: [[String]], environment: [String: String] = [:]) throws -> [Outcome] {
        let results = Mutex([Int: Outcome]())
        let failures = Mutex([String]())
        let group = DispatchGroup()
        for (i, arguments) in argumentLists.enumerated() {
            group.enter()
            Thread.detachNewThread {
                do {
                    let outcome = try runBinary(arguments, environment: environment)
                    results.withLock { $0[i] = outcome }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
                group.leave()
            }
        }
        group.wait()
        if let failure = failures.withLock({ $0.first }) { throw NSError(domain: "runConcurrently", code: 1, userInfo: [NSLocalizedDescriptionKey: failure]) }
        return results.withLock { all in argumentLists.indices.map { all[$0]! } }
    }
}

/// Runs the real binary (see `XCTestCase.run`).
public func runBinary(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
    let process = Process()
    process.executableURL = xtalreportBinary
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain stderr concurrently so that a chatty run cannot fill its pipe and stall.
    nonisolated(unsafe) var stderr = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        stderr = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return Outcome(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}
