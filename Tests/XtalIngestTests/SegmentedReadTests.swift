import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalTestSupport

@testable import XtalIngest

/// A stream read in segments on several threads gives exactly the sequential result:
/// every table column, issue (with its line), header, count — on the sample streams, the
/// generator's streams and damaged or concatenated streams with segment boundaries
/// falling everywhere.
final class SegmentedReadTests: XCTestCase {
    /// Reads `bytes` sequentially and in 2, 3 and 7 segments of at least `minimum` bytes.
    func assertSegmentedReadsAgree(
        _ data: Data, minimum: Int = 512, options: StreamReadOptions = StreamReadOptions(), _ name: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        data.withUnsafeBytes { bytes in
            let sequential = StreamSegments.read(bytes, path: name, options: options, workers: 1, progress: nil)
            for workers in [2, 3, 7] {
                let bounds = StreamSegments.boundaries(bytes, parts: workers, minimumBytes: minimum)
                let parallel = StreamSegments.read(
                    bytes, path: name, options: options, workers: workers, minimumSegmentBytes: minimum, progress: nil)
                let differences = Self.differences(sequential, parallel)
                XCTAssertEqual(differences, [], "\(name), \(bounds.count - 1) segments", file: file, line: line)
            }
        }
    }

    /// What differs between two results (empty when identical).
    static func differences(_ a: StreamReadResult, _ b: StreamReadResult) -> [String] {
        var d: [String] = []
        func check<T: Equatable>(_ what: String, _ x: T, _ y: T) { if x != y { d.append(what) } }
        func bits(_ x: [Float32]) -> [UInt32] { x.map(\.bitPattern) }
        let (p, q) = (a.images, b.images)
        check("serial", p.serial, q.serial)
        check("hit", p.hit, q.hit)
        check("hitLineAbsent", p.hitLineAbsent, q.hitLineAbsent)
        check("crystalCount", p.crystalCount, q.crystalCount)
        check("indexedByMethod", p.indexedByMethod, q.indexedByMethod)
        check("numPeaks", p.numPeaks, q.numPeaks)
        check("peakResolution", bits(p.peakResolution), bits(q.peakResolution))
        check("photonEnergy", bits(p.photonEnergy), bits(q.photonEnergy))
        check("listedPeaks", p.listedPeaks, q.listedPeaks)
        check("listedPeakResolution", bits(p.listedPeakResolution), bits(q.listedPeakResolution))
        check("filenames", (0..<p.filenames.count).map { p.filenames[$0] }, (0..<q.filenames.count).map { q.filenames[$0] })
        check("events", (0..<p.events.count).map { p.events[$0] }, (0..<q.events.count).map { q.events[$0] })
        check("header keys", p.headers.columns.map(\.key), q.headers.columns.map(\.key))
        for (x, y) in zip(p.headers.columns, q.headers.columns) {
            check("header \(x.key)", (0..<p.count).map { x.text(at: $0) }, (0..<q.count).map { y.text(at: $0) })
        }
        let (c, e) = (a.crystals, b.crystals)
        check("crystal images", c.imageIndex, e.imageIndex)
        for (name, x, y) in [("a", c.a, e.a), ("c", c.c, e.c), ("gamma", c.gamma, e.gamma), ("resolution", c.resolutionLimit, e.resolutionLimit)] {
            check("crystal \(name)", bits(x), bits(y))
        }
        check("lattice", c.latticeType.map(\.rawValue), e.latticeType.map(\.rawValue))
        check("provenance", a.provenance, b.provenance)
        check("malformed", a.malformedChunks, b.malformedChunks)
        check("incomplete", a.incompleteChunks, b.incompleteChunks)
        check("issues", a.issues, b.issues)
        check("issuesNotListed", a.issuesNotListed, b.issuesNotListed)
        check("lines", a.lines, b.lines)
        check("bytes", a.bytes, b.bytes)
        check("strayLines", a.strayLines, b.strayLines)
        return d
    }

    /// The six sample streams of ../shared/samples/ssx, by name (skips when absent).
    static func sampleStreams() throws -> [(name: String, data: Data)] {
        let (folder, reason) = SharedSamples.path("samples/ssx")
        guard let folder else { throw XCTSkip(reason) }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".stream") }.sorted()
        XCTAssertEqual(names.count, 6)
        return try names.map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0))) }
    }

    func testSampleStreams() throws {
        for (name, data) in try Self.sampleStreams() {
            assertSegmentedReadsAgree(data, minimum: max(512, data.count / 16), name)
            assertSegmentedReadsAgree(data, minimum: max(512, data.count / 16), options: StreamReadOptions(parsePeakLists: true), name + " --peaks")
        }
    }

    func testGeneratedStreamsWithNonHitsLeftOut() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 3000, seed: 9).write(to: folder.path)
        for stream in written.streams {
            assertSegmentedReadsAgree(try Data(contentsOf: URL(fileURLWithPath: stream)), minimum: 4096, stream)
        }
    }

    func testDamageAndConcatenationAcrossSegmentBoundaries() {
        typealias M = MalformedInputTests
        var text = M.header
        for serial in 1...40 {
            var chunk = M.chunk(serial: serial, crystals: serial % 3)
            if serial % 7 == 0 { chunk = chunk.replacingOccurrences(of: "----- End chunk -----\n", with: "") }  // cut short
            if serial % 11 == 0 { chunk = chunk.replacingOccurrences(of: "Image filename: data.h5\n", with: "") }  // malformed
            if serial % 13 == 0 { chunk = chunk.replacingOccurrences(of: "--- End crystal\n", with: "") }
            text += chunk
            if serial == 20 {
                // A second stream with another --min-peaks and chunks without hit lines.
                text += M.header.replacingOccurrences(of: "--min-peaks=5", with: "--min-peaks=50")
            }
            if serial > 20 { text = text.replacingOccurrences(of: "hit = 1\n", with: "") }
        }
        assertSegmentedReadsAgree(Data(text.utf8), minimum: 300, "damaged+concatenated")
        assertSegmentedReadsAgree(Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), minimum: 300, "CRLF")
        // A begin marker followed by a carriage return and more bytes on its line (the
        // fuzzer's input): a damaged marker to the parser, not a place to cut.
        var damaged = M.header
        for serial in 1...12 {
            var chunk = M.chunk(serial: serial, crystals: 1)
            if serial % 4 != 1 { chunk = chunk.replacingOccurrences(of: "----- Begin chunk -----\n", with: "----- Begin chunk -----\r\u{7}garbage\n") }
            if serial % 5 == 0 { chunk = chunk.replacingOccurrences(of: "----- End chunk -----\n", with: "") }
            damaged += chunk
        }
        assertSegmentedReadsAgree(Data(damaged.utf8), minimum: 200, "marker with CR and more")
    }

    /// A file read through its mapping, on two threads, with passed pages released every
    /// 16 MiB (they fault back from the file when a segment is parsed again), equals an
    /// in-memory sequential read.
    func testMappedReadWithReleasedPagesEqualsInMemoryRead() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 60_000, seed: 5).write(to: folder.path)
        let path = written.streams[0]
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertGreaterThan(data.count, 32 << 20, "large enough for two segments and page release")
        let mapped = try CrystFELStreamReader.read(path: path, options: StreamReadOptions(workers: 2))
        let inMemory = data.withUnsafeBytes {
            StreamSegments.read($0, path: path, options: StreamReadOptions(), workers: 1, progress: nil)
        }
        XCTAssertEqual(Self.differences(inMemory, mapped), [])
    }

    /// Found by the stream fuzz target: header lines after chunks without their
    /// `CrystFEL stream format` line (a damaged concatenation) were merged into the earlier
    /// header by a sequential read but began a header in a segment, so stray-line counts
    /// differed. They begin a header of their own in both.
    func testHeaderLinesAfterChunksBeginAHeaderOfTheirOwn() {
        typealias M = MalformedInputTests
        let text = M.header + M.chunk(serial: 1) + "stray text\nGenerated by CrystFEL 0.11.1\ndim2 = f 2161\nmore stray\n"
            + (2...6).map { M.chunk(serial: $0) }.joined()
        assertSegmentedReadsAgree(Data(text.utf8), minimum: 64, "header lines after chunks")
        let read = Data(text.utf8).withUnsafeBytes { StreamSegments.read($0, path: "h", options: StreamReadOptions(), workers: 1, progress: nil) }
        XCTAssertEqual(read.provenance.count, 2)
        XCTAssertEqual(read.provenance.last?.commandLine, "dim2 = f 2161")
        XCTAssertEqual(read.strayLines, 2)
    }

    func testBoundariesFallOnChunkLines() {
        let text = MalformedInputTests.header + (1...50).map { MalformedInputTests.chunk(serial: $0) }.joined()
        Data(text.utf8).withUnsafeBytes { bytes in
            let bounds = StreamSegments.boundaries(bytes, parts: 4, minimumBytes: 100)
            XCTAssertEqual(bounds.count, 5)
            for start in bounds.dropFirst().dropLast() {
                XCTAssertTrue(String(decoding: bytes[start..<(start + 23)], as: UTF8.self) == "----- Begin chunk -----")
                XCTAssertEqual(bytes[start - 1], 0x0A)
            }
        }
    }
}
