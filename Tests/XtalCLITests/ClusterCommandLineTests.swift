import Foundation
import XCTest
import XtalTestSupport

/// Cluster jobs through the real binary: the example cut into tasks, run as local
/// processes and as a SLURM array on a real one-node cluster, reduced into exactly the
/// bytes a one-process run writes (summary.json, the report and its plots, split files,
/// merged lists, the store's rows); tasks without a result named, and run again alone.
final class ClusterCommandLineTests: XCTestCase {
    /// The generation time of both jobs, so that their outputs can be compared byte for byte.
    let environment = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// The example (three SSX runs with time points and merges, and a rotation run), and
    /// a one-process run of it moved to `single/`; the cluster job then writes into `out/`,
    /// the same path the one-process run wrote into.
    func exampleWithReference(images: Int = 3000, manifestTail: String = "") throws -> (folder: TemporaryFolder, manifest: String, single: URL, out: URL) {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--images", String(images), "-q"]).status, 0)
        let manifest = folder.path + "/manifest.yaml"
        if !manifestTail.isEmpty {
            let text = try String(contentsOfFile: manifest, encoding: .utf8)
            try (text + manifestTail).write(toFile: manifest, atomically: true, encoding: .utf8)
        }
        let out = folder.url.appendingPathComponent("out")
        let single = folder.url.appendingPathComponent("single")
        let reference = try run(["run", manifest, "-o", out.path, "-q"], environment: environment)
        XCTAssertEqual(reference.status, 0, reference.stderr)
        try FileManager.default.moveItem(at: out, to: single)
        return (folder, manifest, single, out)
    }

    /// Every output file of `single` is in `cluster` with the same bytes, and `cluster` has
    /// no others (but its plan folder, the cache and the job record); the SQLite stores hold the same
    /// rows but for the times they were written.
    func assertSameOutputs(_ single: URL, _ cluster: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        func files(_ root: URL) throws -> [String] {
            let walker = FileManager.default.enumerator(atPath: root.path)!
            return (walker.allObjects as! [String]).filter { relative in
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(relative).path, isDirectory: &isFolder)
                // The plan folder and the one-process run's cache of parses are not outputs.
                return !isFolder.boolValue && !relative.hasPrefix("cluster/") && !relative.hasPrefix("cache/")
                    && relative != "xtalreport-job.json"
            }.sorted()
        }
        let expected = try files(single)
        XCTAssertEqual(try files(cluster), expected, file: file, line: line)
        XCTAssertGreaterThan(expected.count, 20, file: file, line: line)
        for relative in expected where relative != "xtalreport.sqlite" {
            let a = try Data(contentsOf: single.appendingPathComponent(relative))
            let b = try Data(contentsOf: cluster.appendingPathComponent(relative))
            XCTAssertTrue(a == b, "\(relative) differs", file: file, line: line)
        }
        XCTAssertEqual(
            try Self.rowsWithoutTimes(single.appendingPathComponent("xtalreport.sqlite").path),
            try Self.rowsWithoutTimes(cluster.appendingPathComponent("xtalreport.sqlite").path), file: file, line: line)
    }

    /// The store's rows (sqlite3 .dump) with the times of writing masked, and the command
    /// line each program row records (the cluster job's has its cluster options), with the
    /// merged datasets' fingerprints, which hash it.
    static func rowsWithoutTimes(_ database: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, ".dump"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let dump = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(dump.contains("INSERT INTO AutoProcScalingStatistics"))
        return dump.replacingOccurrences(of: #"'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[^']*'"#, with: "'TIME'", options: .regularExpression)
            .replacingOccurrences(of: #"'xtalreport run [^']*'"#, with: "'COMMAND'", options: .regularExpression)
            .replacingOccurrences(of: #",'[0-9a-f]{16}',"#, with: ",'FINGERPRINT',", options: .regularExpression)
    }

    func testLocalTasksWriteTheSameBytesAsOneProcess() throws {
        let (folder, manifest, single, out) = try exampleWithReference()
        defer { withExtendedLifetime(folder) {} }
        let job = try run(["run", manifest, "-o", out.path, "--local-tasks", "2", "--tasks", "5"], environment: environment)
        XCTAssertEqual(job.status, 0, job.stderr)
        XCTAssertTrue(job.stderr.contains("cluster job: 5 task(s) over 3 stream file(s)"), job.stderr)
        XCTAssertTrue(job.stderr.contains("reduce: 5 task results"), job.stderr)
        try assertSameOutputs(single, out)
        // The plan cut the files at chunk lines: some task reads parts of two files, or a part of one.
        let plan = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("cluster/plan.json"))) as! [String: Any]
        let tasks = plan["tasks"] as! [[String: Any]]
        XCTAssertEqual(tasks.count, 5)
        XCTAssertTrue(tasks.contains { ($0["pieces"] as! [Any]).count > 1 })
    }

    func testReduceNamesEveryTaskWithoutAResultAndResumeRunsOnlyThose() throws {
        let (folder, manifest, single, out) = try exampleWithReference()
        defer { withExtendedLifetime(folder) {} }
        XCTAssertEqual(try run(["run", manifest, "-o", out.path, "--local-tasks", "2", "--tasks", "4", "-q"], environment: environment).status, 0)
        let results = out.appendingPathComponent("cluster/results")
        try FileManager.default.removeItem(at: results.appendingPathComponent("task-1.result"))
        var damaged = try Data(contentsOf: results.appendingPathComponent("task-3.result"))
        damaged[damaged.count / 2] ^= 0x20
        try damaged.write(to: results.appendingPathComponent("task-3.result"))
        // Task 2 as a task that failed leaves it: no result, its reason in a note.
        try FileManager.default.removeItem(at: results.appendingPathComponent("task-2.result"))
        try "cannot read /data/run02.stream: input/output error\n".write(
            to: results.appendingPathComponent("task-2.failed"), atomically: true, encoding: .utf8)
        // The first reduce's outputs go, so that the resumed job writes them afresh (a store
        // written twice is updated in place: docs/store.md).
        for name in ["summary.json", "xtalreport.sqlite"] { try FileManager.default.removeItem(at: out.appendingPathComponent(name)) }

        let reduce = try run(["reduce", out.path], environment: environment)
        XCTAssertEqual(reduce.status, 75, reduce.stderr)
        XCTAssertTrue(reduce.stderr.contains("task 1: no result (its log ends: task 1: done"), reduce.stderr)
        XCTAssertTrue(reduce.stderr.contains("task 3: result not usable:") && reduce.stderr.contains("damaged (its checksum does not match)"), reduce.stderr)
        XCTAssertTrue(reduce.stderr.contains("task 2: failed: cannot read /data/run02.stream: input/output error"), reduce.stderr)
        XCTAssertFalse(reduce.stderr.contains("task 0:"), reduce.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path), "nothing reduced")

        let untouched = try FileManager.default.attributesOfItem(atPath: results.appendingPathComponent("task-0.result").path)[.modificationDate] as! Date
        let resume = try run(["run", manifest, "-o", out.path, "--local-tasks", "2", "--resume"], environment: environment)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stderr.contains("4 task(s) over 3 stream file(s); 3 without a result to run again"), resume.stderr)
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: results.appendingPathComponent("task-0.result").path)[.modificationDate] as? Date,
            untouched, "a task with a result is not run again")
        try assertSameOutputs(single, out)
    }

    /// A task's reflection blocks stay in the file beside its result, which the reduce reads
    /// in place; a result is used only with the very file it was written beside.
    func testATaskResultIsUsedOnlyWithItsOwnReflectionsFile() throws {
        let (folder, manifest, single, out) = try exampleWithReference()
        defer { withExtendedLifetime(folder) {} }
        // Small blocks, so that the small example's tasks write them out.
        let small = environment.merging(["XTALREPORT_TEST_SPILL_BLOCK_ROWS": "2000"]) { $1 }
        XCTAssertEqual(try run(["run", manifest, "-o", out.path, "--local-tasks", "2", "--tasks", "3", "-q"], environment: small).status, 0)
        let results = out.appendingPathComponent("cluster/results")
        func size(_ name: String) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: results.appendingPathComponent(name).path)[.size] as! Int
        }
        for task in 0..<3 {
            // The merge's reflections are not copied into the result.
            XCTAssertGreaterThan(try size("task-\(task).reflections"), try size("task-\(task).result"))
        }
        let cut = try size("task-1.reflections") - 52
        let handle = try FileHandle(forWritingTo: results.appendingPathComponent("task-1.reflections"))
        try handle.truncate(atOffset: UInt64(cut))
        try handle.close()
        for name in ["summary.json", "xtalreport.sqlite"] { try FileManager.default.removeItem(at: out.appendingPathComponent(name)) }
        let reduce = try run(["reduce", out.path], environment: small)
        XCTAssertEqual(reduce.status, 75, reduce.stderr)
        XCTAssertTrue(
            reduce.stderr.contains("task 1: result not usable: its reflections file task-1.reflections is \(cut) bytes, the result was written with \(cut + 52) bytes"),
            reduce.stderr)
        XCTAssertFalse(reduce.stderr.contains("task 0:") || reduce.stderr.contains("task 2:"), reduce.stderr)
        let resume = try run(["run", manifest, "-o", out.path, "--local-tasks", "2", "--resume"], environment: small)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stderr.contains("1 without a result to run again"), resume.stderr)
        try assertSameOutputs(single, out)
    }

    func testATaskWhoseFileChangedFailsSayingWhy() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--images", "600", "--no-rotation-run", "-q"]).status, 0)
        let manifest = folder.path + "/manifest.yaml"
        let out = folder.path + "/out"
        XCTAssertEqual(try run(["run", manifest, "-o", out, "--local-tasks", "1", "--tasks", "2", "-q", "--no-store"]).status, 0)
        // The file is touched: same bytes, another modification time.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: folder.path + "/run01.stream")
        let task = try run(["task", out + "/cluster/plan.json", "--index", "0"])
        XCTAssertEqual(task.status, 66, task.stderr)
        XCTAssertTrue(task.stderr.contains("run01.stream changed since the job was planned"), task.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/cluster/results/task-0.result"), "its earlier result is removed")
        let reduce = try run(["reduce", out])
        XCTAssertEqual(reduce.status, 66)
        XCTAssertTrue(reduce.stderr.contains("run01.stream changed since the job was planned"), reduce.stderr)
        // The task's note, which reduce prints for a task that failed.
        let note = try String(contentsOfFile: out + "/cluster/results/task-0.failed", encoding: .utf8)
        XCTAssertTrue(note.contains("run01.stream changed since the job was planned"), note)
        let resume = try run(["run", manifest, "-o", out, "--local-tasks", "1", "--resume"])
        XCTAssertEqual(resume.status, 66, resume.stderr)
        XCTAssertTrue(resume.stderr.contains("run the job again without --resume"), resume.stderr)
        XCTAssertEqual(try run(["task", out + "/cluster/plan.json", "--index", "7"]).status, 64)
        XCTAssertEqual(try run(["run", manifest, "--tasks", "3"]).status, 64, "--tasks alone is a usage error")
    }

    /// A real one-node SLURM cluster: the example as a 4-task array job, reduced by the
    /// waiting parent into the one-process bytes; then a job whose task 1 is cancelled
    /// (`scancel`) before it starts: SLURM cancels the reduce job that depended on it,
    /// `reduce` names task 1, and `--resume` runs it alone and completes the job.
    func testSlurmArrayJobWithACancelledTaskAndResume() throws {
        if let reason = ThrowawaySlurmCluster.unavailableReason {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI must run the SLURM tests: \(reason)") }
            throw XCTSkip(reason)
        }
        let cluster = try ThrowawaySlurmCluster()
        var environment = self.environment
        environment["SLURM_CONF"] = cluster.configuration
        // Settings from the manifest's slurm: section and from a site file.
        let (folder, manifest, single, out) = try exampleWithReference(manifestTail: "slurm:\n  time: \"10:00\"\n  partition: debug\n")
        environment["XTALREPORT_SITE_CONFIG"] = try folder.write("site.yaml", "slurm:\n  mem: 300M\n  partition: elsewhere\n")
        defer { withExtendedLifetime(folder) {} }

        let waited = try run(
            ["run", manifest, "-o", out.path, "--slurm", "--tasks", "4", "--wait", "--wait-timeout", "240"], environment: environment)
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertTrue(waited.stderr.contains("submitted array job"), waited.stderr)
        try assertSameOutputs(single, out)
        let script = try String(contentsOf: out.appendingPathComponent("cluster/tasks.sbatch"), encoding: .utf8)
        XCTAssertTrue(script.contains("#SBATCH --output=\(out.path)/cluster/logs/task-%a.log"), script)
        for line in ["#SBATCH --time=10:00", "#SBATCH --partition=debug", "#SBATCH --mem=300M"] {
            XCTAssertTrue(script.contains(line), "\(line) in \(script)")
        }

        try FileManager.default.removeItem(at: out)
        let held = try run(
            ["run", manifest, "-o", out.path, "--slurm", "--tasks", "4", "--sbatch-arg=--hold", "-q"], environment: environment)
        XCTAssertEqual(held.status, 0, held.stderr)
        let ids = held.stdout.split(separator: "\n").first { $0.hasPrefix("Submitted: tasks ") }.map {
            $0.split(whereSeparator: { !$0.isNumber }).map(String.init)
        }
        let (tasks, reduceJob) = try (XCTUnwrap(ids?.first), XCTUnwrap(ids?.dropFirst().first))
        try cluster.client("scancel", ["\(tasks)_1"])
        try cluster.client("scontrol", ["release", tasks])
        try cluster.client("scontrol", ["release", reduceJob])
        try cluster.waitUntilGone(tasks)
        try cluster.waitUntilGone(reduceJob)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.json").path), "the reduce job never ran")
        let reduce = try run(["reduce", out.path], environment: environment)
        XCTAssertEqual(reduce.status, 75, reduce.stderr)
        XCTAssertTrue(reduce.stderr.contains("task 1: no result (no log at"), reduce.stderr)
        XCTAssertTrue(reduce.stderr.contains("1 of 4 tasks have no usable result"), reduce.stderr)

        let resumed = try run(
            ["run", manifest, "-o", out.path, "--slurm", "--resume", "--wait", "--wait-timeout", "240"], environment: environment)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("1 without a result to run again"), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("(tasks 1)"), resumed.stderr)
        try assertSameOutputs(single, out)
    }
}
