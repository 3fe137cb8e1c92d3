import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalTestSupport

@testable import XtalIngest

/// A stream cut into pieces at chunk lines (as a cluster plan cuts it), each parsed on its
/// own, written in the binary archive and read back, joins into exactly the result of one
/// read of the whole file; and archived bytes that are cut short or damaged are refused,
/// never trusted.
final class StreamPieceTests: XCTestCase {
    /// Reads `path` whole, then in pieces cut near `fractions` of its size, each archived and
    /// read back (reflection blocks through a spill when `spill`), and compares.
    func assertPiecesJoinToWholeRead(
        _ path: String, fractions: [Double], options: StreamReadOptions = StreamReadOptions(), spill: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let whole = try CrystFELStreamReader.read(path: path, options: options)
        let size = Int(RawPath.status(path)!.st_size)
        let cuts = try StreamPieceReader.cutPoints(path: path, near: fractions.map { Int(Double(size) * $0) })
        let bounds = [0] + cuts + [size]
        let store = spill ? ReflectionSpill(blockRows: 64) : nil
        var pieces: [StreamPiece] = []
        for k in 0..<(bounds.count - 1) {
            let piece = try StreamPieceReader.parse(path: path, range: bounds[k]..<bounds[k + 1], options: options, workers: 2)
            var writer = ArchiveWriter()
            var bytes: [UInt8] = []
            try piece.archive(into: &writer) { bytes += $0.take() }
            bytes += writer.take()
            pieces.append(try bytes.withUnsafeBytes { raw in
                var reader = ArchiveReader(raw)
                let back = try StreamPiece(from: &reader, spill: store)
                XCTAssertEqual(reader.remaining, 0, file: file, line: line)
                return back
            })
        }
        let joined = try ParsedStream(pieces: pieces, path: path, options: options).joined()
        XCTAssertEqual(SegmentedReadTests.differences(whole, joined), [], "\(path) in \(pieces.count) pieces", file: file, line: line)
        XCTAssertEqual(try whole.reflections.table(), try joined.reflections.table(), "reflections", file: file, line: line)
        XCTAssertEqual(whole.malformedReflectionLines, joined.malformedReflectionLines, file: file, line: line)
    }

    func testExampleStreamInPiecesWithReflections() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 4000, seed: 3).write(to: folder.path)
        var options = StreamReadOptions(parseReflections: true)
        options.reflectionSpill = ReflectionSpill(blockRows: 4096)
        for stream in written.streams {
            try assertPiecesJoinToWholeRead(stream, fractions: [0.25, 0.5, 0.75])
            try assertPiecesJoinToWholeRead(stream, fractions: [0.1, 0.11, 0.9], options: options, spill: true)
        }
    }

    /// A concatenated stream whose second header changes --min-peaks and whose later
    /// chunks have no hit lines: a piece after the cut judges hits by the file's first
    /// header, and the join parses it again with the right value, as one process does.
    func testConcatenatedStreamWithAnotherMinPeaksInPieces() throws {
        let text = MalformedInputTests.damagedConcatenatedStream()
        let folder = try TemporaryFolder()
        let path = folder.path + "/concatenated.stream"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        for fractions in [[0.3], [0.2, 0.6, 0.8], (1..<20).map { Double($0) / 20 }] {
            try assertPiecesJoinToWholeRead(path, fractions: fractions)
        }
    }

    func testSampleStreamsInPieces() throws {
        let (folder, reason) = SharedSamples.path("samples/ssx")
        guard let folder else { throw XCTSkip(reason) }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".stream") }).sorted() {
            try assertPiecesJoinToWholeRead(folder + "/" + name, fractions: [0.33, 0.66], options: StreamReadOptions(parsePeakLists: true))
        }
    }

    /// Every prefix of an archived piece is refused with an error, and bytes changed
    /// anywhere give an error or a piece, never a crash or a huge allocation.
    func testCutShortOrDamagedArchivesAreRefused() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 200, seed: 4).write(to: folder.path)
        let piece = try StreamPieceReader.parse(
            path: written.streams[0], range: nil, options: StreamReadOptions(parseReflections: true), workers: 1)
        var writer = ArchiveWriter()
        var bytes: [UInt8] = []
        try piece.archive(into: &writer) { bytes += $0.take() }
        bytes += writer.take()
        func decode(_ data: [UInt8]) throws {
            try data.withUnsafeBytes { raw in
                var reader = ArchiveReader(raw)
                _ = try StreamPiece(from: &reader, spill: nil)
            }
        }
        XCTAssertNoThrow(try decode(bytes))
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 3000)) {
            XCTAssertThrowsError(try decode(Array(bytes[0..<cut])), "cut at \(cut)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var damaged = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? decode(damaged)
        }
    }
}
