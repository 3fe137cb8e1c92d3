import Foundation
import XCTest
import XtalTestSupport

/// `run` keeps each stream file's parse in OUTPUT/cache: a re-run reads only the files
/// that were added or changed, and gives exactly the summary.json of a fresh read.
final class StreamCacheCommandLineTests: XCTestCase {
    let environment = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// (files from the cache, files read) as the run printed them.
    func cacheCounts(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        guard let text = stderr.split(separator: "\n").first(where: { $0.contains("xtalreport: cache: ") }) else {
            XCTFail("no cache line in: \(stderr)", file: file, line: line)
            return []
        }
        // "cache: H of N stream file(s) from the cache, M read (…)"
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return [numbers[0], numbers[2]]
    }

    func testReRunsReadOnlyWhatChanged() throws {
        let example = try TemporaryFolder()
        XCTAssertEqual(try run(["example", example.path, "--images", "900", "--no-rotation-run", "-q"]).status, 0)
        // Directory mode: every stream is a run; runs are added by copying streams in.
        let folder = try TemporaryFolder()
        let out = folder.path + "/out"
        func add(_ name: String) throws {
            for suffix in [".stream", ".log", "_master.h5"] {
                try FileManager.default.copyItem(atPath: example.path + "/" + name + suffix, toPath: folder.path + "/" + name + suffix)
            }
        }
        func job(_ extra: [String] = []) throws -> Outcome {
            let outcome = try run(["run", folder.path, "-o", out, "--no-report", "--no-store"] + extra, environment: environment)
            XCTAssertTrue([0, 3].contains(outcome.status), outcome.stderr)
            return outcome
        }
        try add("run01")
        try add("run02")
        XCTAssertEqual(cacheCounts(try job().stderr), [0, 2])
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 0], "nothing changed: nothing read")
        try add("run03")
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 1], "a run added: only its file read")
        let cached = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        let fresh = try job(["--no-cache"])
        XCTAssertFalse(fresh.stderr.contains("xtalreport: cache: "), fresh.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")), cached, "cached and fresh reads agree")

        // A file edited (its last chunk cut short): read again, and its numbers change.
        let stream = folder.path + "/run02.stream"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: stream))
        try bytes.prefix(bytes.count - 200).write(to: URL(fileURLWithPath: stream))
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 1])
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")), cached)
        // A file touched (same bytes, a new modification time): read again.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 30)], ofItemAtPath: folder.path + "/run01.stream")
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 1])
        // An option that changes a parse: every file read again.
        XCTAssertEqual(cacheCounts(try job(["--peaks"]).stderr), [0, 3])
        XCTAssertEqual(cacheCounts(try job(["--peaks"]).stderr), [3, 0])
        // Only the last job's entries are kept.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out + "/cache").filter { $0.hasSuffix(".piece") }.count, 3)
        // A damaged entry is read again, not used.
        let entry = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: out + "/cache").first { $0.hasSuffix(".piece") })
        var damaged = try Data(contentsOf: URL(fileURLWithPath: out + "/cache/" + entry))
        damaged[damaged.count / 3] ^= 1
        try damaged.write(to: URL(fileURLWithPath: out + "/cache/" + entry))
        XCTAssertEqual(cacheCounts(try job(["--peaks"]).stderr), [2, 1])
    }

    /// With merging, a file's reflection blocks are written once, into a file beside its
    /// entry, and a re-run reads them there: same summary and merged lists as a fresh read;
    /// a damaged or missing reflections file makes its entry unusable, not wrong.
    func testMergingReRunsReadTheReflectionsInPlace() throws {
        let example = try TemporaryFolder()
        XCTAssertEqual(try run(["example", example.path, "--images", "900", "--no-rotation-run", "-q"]).status, 0)
        let out = example.path + "/out"
        var env = environment
        env["XTALREPORT_TEST_SPILL_BLOCK_ROWS"] = "2000"
        func job(_ extra: [String] = []) throws -> Outcome {
            let outcome = try run(["run", example.path + "/manifest.yaml", "-o", out, "--no-report", "--no-store"] + extra, environment: env)
            XCTAssertTrue([0, 3].contains(outcome.status), outcome.stderr)
            return outcome
        }
        func outputs() throws -> [Data] {
            let merged = try FileManager.default.contentsOfDirectory(atPath: out + "/merged").sorted().filter { $0.hasSuffix(".hkl") || $0.hasSuffix(".hkl1") }
            XCTAssertFalse(merged.isEmpty)
            return try (["summary.json"] + merged.map { "merged/" + $0 }).map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }
        }
        XCTAssertEqual(cacheCounts(try job().stderr), [0, 3])
        let first = try outputs()
        let files = try FileManager.default.contentsOfDirectory(atPath: out + "/cache")
        let reflections = files.filter { $0.hasSuffix(".reflections") }
        XCTAssertEqual(reflections.count, 3, "one reflections file per stream: \(files)")
        for name in reflections {
            let piece = out + "/cache/" + name.dropLast(".reflections".count) + ".piece"
            let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
            XCTAssertLessThan(try size(piece), try size(out + "/cache/" + name), "the blocks are not copied into the entry")
        }
        XCTAssertEqual(cacheCounts(try job().stderr), [3, 0])
        XCTAssertEqual(try outputs(), first, "reflections read in place give the fresh read's figures")
        // A reflections file cut short: its entry is not used, the stream is read again.
        let victim = out + "/cache/" + reflections[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: victim))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: victim))
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 1])
        XCTAssertEqual(try outputs(), first)
        // One removed: the same.
        try FileManager.default.removeItem(atPath: out + "/cache/" + reflections[1])
        XCTAssertEqual(cacheCounts(try job().stderr), [2, 1])
        XCTAssertEqual(try outputs(), first)
        _ = try job(["--no-cache"])
        XCTAssertEqual(try outputs(), first, "and a read without the cache agrees")
    }

    /// (master files from the cache, master files looked up) as the run printed them.
    func masterCounts(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        guard let text = stderr.split(separator: "\n").first(where: { $0.contains("xtalreport: cache: ") }),
            let part = text.split(separator: ";").dropFirst().first, part.contains("master file(s) from the cache")
        else {
            XCTFail("no master-file count in: \(stderr)", file: file, line: line)
            return []
        }
        return part.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.prefix(2).map { $0 }
    }

    /// An unchanged master file comes from the cache (no child process, no libhdf5) with
    /// exactly the fresh read's results; the file touched, a file it links to appearing,
    /// or a damaged entry make it read again.
    func testMasterFilesComeFromTheCacheWhileTheyAndTheirLinksAreUnchanged() throws {
        let example = try TemporaryFolder()
        XCTAssertEqual(try run(["example", example.path, "--images", "900", "--no-rotation-run", "-q"]).status, 0)
        let out = example.path + "/out"
        func job(_ extra: [String] = []) throws -> Outcome {
            let outcome = try run(
                ["run", example.path + "/manifest.yaml", "-o", out, "--no-report", "--no-store", "--no-merge"] + extra,
                environment: environment)
            XCTAssertTrue([0, 3].contains(outcome.status), outcome.stderr)
            return outcome
        }
        func summary() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json")) }
        XCTAssertEqual(masterCounts(try job().stderr), [0, 3])
        let fresh = try summary()
        XCTAssertEqual(masterCounts(try job().stderr), [3, 3], "nothing changed: no master file read")
        XCTAssertEqual(try summary(), fresh, "cached and fresh reads agree")
        let entries = { try FileManager.default.contentsOfDirectory(atPath: out + "/cache").filter { $0.hasSuffix(".master") } }
        XCTAssertEqual(try entries().count, 3)

        // run02's master touched: read again.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 30)], ofItemAtPath: example.path + "/run02_master.h5")
        XCTAssertEqual(masterCounts(try job().stderr), [2, 3])
        // A data file run01's master links to appears: read again.
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: fresh) as? [String: Any])
        let runs = try XCTUnwrap(document["runs"] as? [[String: Any]])
        let links = try XCTUnwrap((runs[0]["metadata"] as? [String: Any])?["externalLinks"] as? [[String: Any]])
        let linked = try XCTUnwrap(links.first?["file"] as? String)
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: example.path + "/" + linked))
        XCTAssertEqual(masterCounts(try job().stderr), [2, 3])
        XCTAssertEqual(masterCounts(try job().stderr), [3, 3], "and kept as read with it")
        try FileManager.default.removeItem(atPath: example.path + "/" + linked)
        XCTAssertEqual(masterCounts(try job().stderr), [2, 3], "gone again: read again")

        // A damaged entry: read again, the results those of a fresh read; only used entries stay.
        for name in try entries() {
            let path = out + "/cache/" + name
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count - 5] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        let damaged = try job()
        XCTAssertEqual(masterCounts(damaged.stderr), [0, 3], "a damaged entry is not used")
        XCTAssertEqual(try summary(), fresh, damaged.stderr)
        XCTAssertEqual(try entries().count, 3)
        XCTAssertEqual(masterCounts(try job().stderr), [3, 3])
        XCTAssertEqual(try summary(), fresh)
    }
}
