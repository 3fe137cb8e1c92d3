import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalIngest
import XtalTestSupport

@testable import XtalCluster

/// The plan: tasks of about equal bytes, cut only at chunk lines, a compressed file never
/// cut, no task empty; and a task's result file, whole or refused.
final class TaskPlannerTests: XCTestCase {
    func plannedFiles(_ paths: [String]) throws -> [ClusterPlan.PlannedFile] {
        try paths.enumerated().map { i, path in
            .init(run: i, fileInRun: 0, path: path, identity: try FileIdentity.of(path: path),
                  compressed: try StreamPieceReader.isCompressed(path: path))
        }
    }

    func testTasksAreBalancedAndCutAtChunkLines() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 3000, seed: 2).write(to: folder.path)
        let files = try plannedFiles(written.streams)
        let total = files.reduce(0) { $0 + $1.identity.size }
        for count in [1, 2, 5, 9] {
            let tasks = try TaskPlanner.plan(files: files, tasks: count)
            XCTAssertEqual(tasks.count, count)
            XCTAssertEqual(tasks.reduce(0) { $0 + $1.bytes }, total)
            // Every byte of every file in exactly one piece, in order.
            var next = Array(repeating: 0, count: files.count)
            for piece in tasks.flatMap(\.pieces) {
                XCTAssertEqual(piece.start, next[piece.file])
                next[piece.file] = piece.end!
                if piece.start! > 0 {
                    let data = try Data(contentsOf: URL(fileURLWithPath: files[piece.file].path))
                    XCTAssertEqual(String(decoding: data[piece.start!..<(piece.start! + 23)], as: UTF8.self), "----- Begin chunk -----")
                }
            }
            XCTAssertEqual(next, files.map(\.identity.size))
            // Balanced to within a chunk or so of equal shares.
            for task in tasks { XCTAssertEqual(Double(task.bytes), Double(total) / Double(count), accuracy: Double(total) * 0.02 + 20_000) }
        }
    }

    func testACompressedFileIsOnePieceAndEmptyTasksAreDropped() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 300, seed: 2).write(to: folder.path)
        let gz = folder.path + "/run01.stream.gz"
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(written.streams[0])' > '\(gz)'"]
        try gzip.run()
        gzip.waitUntilExit()
        let files = try plannedFiles([gz])
        XCTAssertTrue(files[0].compressed)
        let tasks = try TaskPlanner.plan(files: files, tasks: 4)
        XCTAssertEqual(tasks.count, 1, "one file that cannot be cut: one task, the others dropped")
        XCTAssertEqual(tasks[0].pieces, [.init(file: 0, start: nil, end: nil)])
        XCTAssertEqual(TaskPlanner.taskCount(totalBytes: 5 << 30, tasks: nil, taskSize: nil), 3)
        XCTAssertEqual(TaskPlanner.taskCount(totalBytes: 10, tasks: nil, taskSize: 3), 4)
        XCTAssertEqual(TaskPlanner.taskCount(totalBytes: 10, tasks: 7, taskSize: nil), 7)
    }

    /// A result file read back gives its pieces; one cut short, with a changed byte, or
    /// another file entirely is refused with the reason.
    func testResultFileIsWholeOrRefused() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 300, seed: 2).write(to: folder.path)
        let piece = try StreamPieceReader.parse(
            path: written.streams[0], range: nil, options: StreamReadOptions(parseReflections: true), workers: 1)
        let path = folder.path + "/task-0.result"
        try TaskResultFile.write(pieces: [(0, piece)], task: 0, fingerprint: "abc", to: path)
        let back = try TaskResultFile.read(path: path, spill: ReflectionSpill(), files: 1)
        XCTAssertEqual(back.fingerprint, "abc")
        XCTAssertEqual(back.pieces.map(\.piece.imageCount), [piece.imageCount])
        XCTAssertEqual(try TaskResultFile.header(path: path).task, 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        func refused(_ data: Data, _ reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try TaskResultFile.read(path: path, spill: nil, files: 1), file: file, line: line) {
                XCTAssertTrue("\($0)".contains(reason), "\($0)", file: file, line: line)
            }
        }
        try refused(bytes.prefix(bytes.count - 1), "no end marker")
        try refused(bytes.prefix(bytes.count / 2), "no end marker")
        var changed = bytes
        changed[bytes.count / 2] ^= 0x40
        try refused(changed, "checksum does not match")
        try refused(Data("CrystFEL stream format 2.3\n".utf8), "not a task result")
    }

    /// A result of another plan (an input or an option changed, and the plan was made anew)
    /// is named as not usable; so is a result of another task, and a task with no result
    /// and no log is said never to have started.
    func testAStaleResultIsNamed() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 300, seed: 2).write(to: folder.path)
        let files = try plannedFiles([written.streams[0]])
        let plan = ClusterPlan(
            input: folder.path + "/manifest.yaml", outputDirectory: folder.path + "/out", runArguments: ["run"],
            workingDirectory: folder.path, read: PlannedReadOptions(StreamReadOptions()), files: files,
            tasks: try TaskPlanner.plan(files: files, tasks: 2))
        try FileManager.default.createDirectory(atPath: folder.path + "/out/cluster/results", withIntermediateDirectories: true)
        XCTAssertEqual(TaskStatus.of(task: 0, plan: plan).state, .missing(
            "no log at \(plan.logPath(task: 0)): never started, or cancelled before it did"))
        try TaskExecution.run(plan: plan, index: 0, workers: 1)
        XCTAssertEqual(TaskStatus.of(task: 0, plan: plan).state, .done)
        var other = plan
        other.read.parsePeakLists = true
        XCTAssertEqual(TaskStatus.of(task: 0, plan: other).state, .invalid("it answers another plan's task 0"))
        try FileManager.default.copyItem(atPath: plan.resultPath(task: 0), toPath: plan.resultPath(task: 1))
        XCTAssertEqual(TaskStatus.of(task: 1, plan: plan).state, .invalid("it answers another plan's task 0"))
    }
}
