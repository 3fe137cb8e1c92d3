import XCTest
import XtalTestSupport

@testable import XtalIngest

final class ManifestTests: XCTestCase {
    private func load(_ yaml: String) throws -> LoadedManifest {
        let folder = try TemporaryFolder()
        let path = try folder.write("manifest.yaml", yaml)
        return try withExtendedLifetime(folder) { try LoadedManifest.load(path: path) }
    }

    func testFullManifestIsParsedAndPathsResolved() throws {
        let m = try load(
            """
            version: 1
            experiment: chip-2026
            session: mx2427-1
            sample: {name: lyso, protein: lysozyme, support: chip}
            runs:
              - name: r1
                results: [r1.stream, /abs/r1b.stream]
                indexamajig_log: r1.log
                master: r1_master.h5
                data_collection_id: 42
                event_chain: pp
            event_chains:
              pp:
                events:
                  - {type: LaserExcitation, name: pump, offset: -1.0e-5, duration: 5.0e-6}
            merges:
              - {name: all, runs: [r1]}
            """)
        XCTAssertEqual(m.manifest.experiment, "chip-2026")
        XCTAssertEqual(m.manifest.runs[0].dataCollectionId, 42)
        XCTAssertEqual(m.manifest.eventChains?["pp"]?.events.first?.offset, -1.0e-5)
        XCTAssertEqual(m.resolve("r1.stream"), m.baseDirectory + "/r1.stream")
        XCTAssertEqual(m.resolve("/abs/r1b.stream"), "/abs/r1b.stream")
        XCTAssertEqual(m.outputDirectory, m.baseDirectory + "/xtalreport-out")
        XCTAssertEqual(m.unknownKeys, [])
    }

    func testInvalidManifestsNameTheProblem() {
        let cases: [(String, String)] = [
            ("experiment: x\nruns: []\n", "'runs' is empty"),
            ("runs:\n  - {name: a, results: [a.stream]}\n", "missing required key 'experiment'"),
            ("experiment: x\nruns:\n  - {name: a, results: [a.stream]}\n  - {name: a, results: [b.stream]}\n", "used twice"),
            ("experiment: x\nruns:\n  - {name: a, results: []}\n", "lists no result files"),
            ("experiment: x\nruns:\n  - {name: a, results: [a.stream], event_chain: nope}\n", "event chain 'nope'"),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {events: [{type: Laser, offset: 0}]}\n",
                "unknown event type 'Laser'"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {convention: esrf, events: []}\n",
                "event chain 'c': unknown convention 'esrf'"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {laser_pattern: checker, interleave: 3, events: []}\n",
                "'interleave' is set but laser_pattern is not 'interleave'"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {events: [{type: XrayDetection, offset: 0, period: -1}]}\n",
                "events[0].period -1.0 is negative"
            ),
            // Numbers YAML accepts that no timing can use: named by their key, never a trap.
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {events: [{type: XrayDetection, offset: 0, repetition: 1e300}]}\n",
                "event chain 'c': events[0].repetition 1e+300 is more than 1000000"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {events: [{type: XrayDetection, offset: 0, repetition: .inf}]}\n",
                "events[0].repetition is inf, not a finite number"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {events: [{type: XrayDetection, offset: 0}, {type: LaserExcitation, offset: .nan}]}\n",
                "events[1].offset is nan, not a finite number"
            ),
            (
                "experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nevent_chains:\n  c: {gate_step: -.inf, events: []}\n",
                "gate_step is -inf, not a finite number"
            ),
            ("experiment: x\nruns:\n  - {name: a, results: [a.stream]}\nmerges:\n  - {name: m, runs: [b]}\n", "names run 'b'"),
            ("experiment: x\nversion: 2\nruns:\n  - {name: a, results: [a.stream]}\n", "version 2"),
            ("experiment: [unclosed\n", "manifest"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try load(yaml), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should mention \(expected)")
                XCTAssertTrue("\(error)".contains("manifest.yaml"), "\(error) should name the file")
            }
        }
    }

    func testUnknownKeysAreReported() throws {
        let m = try load("experiment: x\nrunz: 1\nruns:\n  - {name: a, results: [a.stream], stream: b}\n")
        XCTAssertEqual(Set(m.unknownKeys), ["runz", "runs[0].stream"])
        // In every section, named with where it is.
        let deep = try load("""
            experiment: x
            sample: {name: lyso, protien: lysozyme}
            runs:
              - {name: a, results: [a.stream], event_chain: pp}
            event_chains:
              pp:
                convension: ispyb
                events:
                  - {type: XrayDetection, offset: 0}
                  - {type: LaserExcitation, ofset: -1.0e-5, offset: -1.0e-5}
            merges:
              - {name: m, runs: [a], pointgroup: 4/mmm}
            merging: {shell: 10}
            """)
        XCTAssertEqual(Set(deep.unknownKeys), [
            "sample.protien", "event_chains.pp.convension", "event_chains.pp.events[1].ofset", "merges[0].pointgroup",
            "merging.shell",
        ])
    }

    func testSlurmSectionAndSiteFile() throws {
        let m = try load("""
            experiment: x
            runs:
              - {name: a, results: [a.stream]}
            slurm: {partition: cs05r, time: "1:00:00", mem: 4G, task_size: 2G, task_threads: 2, sbatch_args: [--qos=high], partion: x}
            """)
        let slurm = try XCTUnwrap(m.manifest.slurm)
        XCTAssertEqual(slurm.partition, "cs05r")
        XCTAssertEqual(slurm.time, "1:00:00")
        XCTAssertEqual(slurm.taskSize, "2G")
        XCTAssertEqual(slurm.taskThreads, 2)
        XCTAssertEqual(slurm.sbatchArgs, ["--qos=high"])
        XCTAssertEqual(m.unknownKeys, ["slurm.partion"])
        let folder = try TemporaryFolder()
        let site = try folder.write("site.yaml", "slurm:\n  account: mx1\n  tasks: 8\n")
        let read = try XCTUnwrap(try Manifest.Slurm.site(environment: ["XTALREPORT_SITE_CONFIG": site]))
        XCTAssertEqual(read.account, "mx1")
        XCTAssertEqual(read.tasks, 8)
        let broken = try folder.write("broken.yaml", "slurm: [1, 2\n")
        XCTAssertThrowsError(try Manifest.Slurm.site(environment: ["XTALREPORT_SITE_CONFIG": broken])) {
            XCTAssertTrue("\($0)".contains("broken.yaml"), "\($0)")
        }
        XCTAssertThrowsError(try Manifest.Slurm.site(environment: ["XTALREPORT_SITE_CONFIG": folder.path + "/absent.yaml"]))
    }
}
