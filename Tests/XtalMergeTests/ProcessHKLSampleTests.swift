import Foundation
import XCTest
import XtalCore
import XtalIngest
import XtalMerge
import XtalTestSupport

/// The unity merge of the sample streams equals `process_hkl`'s output (CrystFEL 0.11.1,
/// `../shared/samples/merge/`): the merged list and both half-sets, reflection by
/// reflection, to the printed precision.
final class ProcessHKLSampleTests: XCTestCase {
    /// The reflection rows of a `.hkl` file (between the column header and the end marker).
    func rows(_ text: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let end = lines.firstIndex(of: "End of reflections") else { return [] }
        return Array(lines[3..<end])
    }

    /// `spill`: the tables go through a temporary file in blocks of that many rows.
    func merge(stream path: String, workers: Int, spill blockRows: Int? = nil) throws -> MergedDatasetSums {
        var options = StreamReadOptions(workers: workers, parseReflections: true)
        options.reflectionSpill = blockRows.map { ReflectionSpill(blockRows: $0) }
        let read = try CrystFELStreamReader.read(path: path, options: options)
        XCTAssertEqual(read.reflections.crystalCount, read.crystals.count)
        XCTAssertEqual(read.malformedReflectionLines, 0)
        if blockRows != nil { XCTAssertGreaterThan(read.reflections.spilledBlocks, 1) }
        var merger = UnityMerger(pointGroup: PointGroup(named: "4/mmm")!)
        var sums = [MergedDatasetSums()]
        try read.reflections.forEachBlock { table, _ in
            for c in 0..<table.crystalCount { merger.add(crystal: c, of: table, to: [0], in: &sums) }
        }
        return sums[0]
    }

    func assertMatches(_ sums: MergedDatasetSums, prefix: String, folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        for (suffix, part) in [("hkl", sums.all), ("hkl1", sums.half1), ("hkl2", sums.half2)] {
            let expected = try String(contentsOf: folder.appendingPathComponent("\(prefix).\(suffix)"), encoding: .utf8)
            let ours = HKLFormat.text(of: part.merged(symmetry: "4/mmm"))
            let e = rows(expected), o = rows(ours)
            XCTAssertEqual(o.count, e.count, "\(prefix).\(suffix): number of reflections", file: file, line: line)
            var differing = 0
            for (a, b) in zip(o, e) where a != b {
                if differing < 5 { XCTFail("\(prefix).\(suffix): ours '\(a)' vs CrystFEL '\(b)'", file: file, line: line) }
                differing += 1
            }
            XCTAssertEqual(differing, 0, "\(prefix).\(suffix): rows that differ", file: file, line: line)
        }
    }

    /// The full run A stream, decompressed into a temporary folder (kept while the folder
    /// value lives), and the samples folder.
    static func unzippedRunA() throws -> (folder: URL, stream: String, temporary: TemporaryFolder) {
        let (path, reason) = SharedSamples.path("samples/merge/runA.stream.gz")
        guard let path else { throw XCTSkip(reason) }
        let temporary = try TemporaryFolder()
        let stream = temporary.url.appendingPathComponent("runA.stream").path
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        unzip.arguments = ["-c", "gzip -dc '\(path)' > '\(stream)'"]
        try unzip.run()
        unzip.waitUntilExit()
        XCTAssertEqual(unzip.terminationStatus, 0, "gzip -dc \(path)")
        return (URL(fileURLWithPath: path).deletingLastPathComponent(), stream, temporary)
    }

    func testRunA300MergeEqualsProcessHKL() throws {
        let (path, reason) = SharedSamples.path("samples/merge/runA300.stream")
        guard let path else { throw XCTSkip(reason) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let sums = try merge(stream: path, workers: 1)
        XCTAssertEqual(sums.crystals, 190)
        try assertMatches(sums, prefix: "A300-process", folder: folder)
        // Parsed on several workers, the reflections and so the merge are the same.
        let parallel = try merge(stream: path, workers: 3)
        XCTAssertEqual(HKLFormat.text(of: parallel.all.merged(symmetry: "4/mmm")), HKLFormat.text(of: sums.all.merged(symmetry: "4/mmm")))
    }

    func testFullRunAMergeEqualsProcessHKL() throws {
        let (folder, stream, temporary) = try Self.unzippedRunA()
        defer { _ = temporary }
        // The tables spilled to a temporary file in blocks of 5000 rows and read back.
        let sums = try merge(stream: stream, workers: 2, spill: 5000)
        XCTAssertEqual(sums.crystals, 755)
        try assertMatches(sums, prefix: "A-process", folder: folder)
    }
}

/// `process_hkl --scale` on run A: the three lists of `A-process-scale`.
final class ScaledMergeSampleTests: XCTestCase {
    func testScaledMergeEqualsProcessHKLScale() throws {
        let (folder, stream, temporary) = try ProcessHKLSampleTests.unzippedRunA()
        defer { _ = temporary }
        let read = try CrystFELStreamReader.read(path: stream, options: StreamReadOptions(parseReflections: true))
        let table = try read.reflections.table()
        let group = try XCTUnwrap(PointGroup(named: "4/mmm"))
        let all = Array(0..<read.reflections.crystalCount)
        // Crystals counted from 1: --even-only takes the even ones (.hkl1), --odd-only the odd ones (.hkl2).
        let selections = [("hkl", all), ("hkl1", all.filter { ($0 + 1) % 2 == 0 }), ("hkl2", all.filter { ($0 + 1) % 2 == 1 })]
        for (suffix, crystals) in selections {
            let ours = ScaledMerge.merge(table: table, crystals: crystals, group: group).merged(symmetry: "4/mmm")
            let expected = try String(contentsOf: folder.appendingPathComponent("A-process-scale.\(suffix)"), encoding: .utf8)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let o = HKLFormat.text(of: ours).split(separator: "\n", omittingEmptySubsequences: false)
            let eRows = e[3..<e.firstIndex(of: "End of reflections")!], oRows = o[3..<o.firstIndex(of: "End of reflections")!]
            XCTAssertEqual(oRows.count, eRows.count, suffix)
            let differing = zip(oRows, eRows).filter { $0 != $1 }
            XCTAssertEqual(differing.count, 0, "\(suffix): first differences \(differing.prefix(3))")
        }
    }
}
