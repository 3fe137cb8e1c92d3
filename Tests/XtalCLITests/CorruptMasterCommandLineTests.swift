import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// Damaged master files cost that file, never the job: libhdf5 reads them in a child
/// process (`IsolatedMasterReader`), so a crash, a runaway allocation or a hang inside the
/// library ends as exit 66 (`inspect`) or exit 3 with the run kept (`run`).
final class CorruptMasterCommandLineTests: XCTestCase {
    func testMutatedMasterFilesNeverTakeTheJobDown() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "60", "--seed", "3", "-q"]).status, 0)
        let original = try Data(contentsOf: folder.url.appendingPathComponent("run03_master.h5"))
        var random = SplitMix64(seed: 7)
        var paths: [String] = []
        for k in 0..<300 {
            var bytes = [UInt8](original)
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            let path = folder.path + "/mutated-\(k).h5"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        // In process, libhdf5 itself dies on some of them (the reason for the isolation).
        var crashing: [String] = []
        for path in paths {
            let direct = try run(["inspect", path], environment: ["XTALREPORT_MASTER_IN_PROCESS": "1"])
            if direct.status != 0, direct.status != 66 { crashing.append(path) }
        }
        XCTAssertFalse(crashing.isEmpty, "no mutation crashes libhdf5 in process: the test no longer tests the isolation")

        // Isolated: every file gives an answer, one process for all 300.
        let all = try run(["inspect"] + paths)
        XCTAssertTrue(all.status == 0 || all.status == 66, "status \(all.status): \(all.stderr.suffix(500))")
        for path in crashing {
            XCTAssertTrue(all.stderr.contains("\(path): HDF5 file is truncated or corrupt"), path)
        }

        // A run whose master file crashes libhdf5 is kept, without its metadata: exit 3.
        let master = folder.url.appendingPathComponent("run03_master.h5")
        try FileManager.default.removeItem(at: master)
        try FileManager.default.copyItem(atPath: crashing[0], toPath: master.path)
        let job = try run(["run", folder.path, "-q", "--no-store", "--no-report"])
        XCTAssertEqual(job.status, 3, job.stderr)
        let results = try ExperimentResults.jsonDecoder.decode(
            ExperimentResults.self, from: Data(contentsOf: folder.url.appendingPathComponent("xtalreport-out/summary.json")))
        XCTAssertEqual(results.runs.map(\.name), ["run01", "run02", "run03"])
        XCTAssertNotNil(results.runs[2].metadataError)
        XCTAssertNotNil(results.runs[0].metadata)
    }

    /// The isolated read gives exactly what the in-process read gives, per-image arrays and
    /// PandA captures included, on every real sample master file.
    func testIsolatedReadEqualsInProcessReadOnTheSamples() throws {
        let (folder, reason) = SharedSamples.path("samples/nexus")
        guard let folder else { throw XCTSkip(reason) }
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { ($0.hasSuffix(".h5") || $0.hasSuffix(".nxs")) && !$0.contains("_data_") }
            .map { folder + "/" + $0 }
        XCTAssertGreaterThan(files.count, 3)
        for file in files {
            let direct = try run(["inspect", file, "--json", "--per-image"], environment: ["XTALREPORT_MASTER_IN_PROCESS": "1"])
            let isolated = try run(["inspect", file, "--json", "--per-image"])
            XCTAssertEqual(isolated.status, direct.status, file)
            XCTAssertEqual(isolated.stdout, direct.stdout, file)
        }
    }
}
