import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalTestSupport

@testable import XtalIngest

/// gzip and zstd streams read as they are decompressed give exactly what the plain file
/// gives (tables, issues with their lines, counts), with pieces cut anywhere; several
/// members or frames read as one stream; damaged, cut-short or trailing data is named with
/// its compressed offset and the file counts as partly unread. The files are made by the
/// `gzip` and `zstd` programs users have.
final class CompressedStreamTests: XCTestCase {
    /// Writes `data` to `folder/name` and compresses it with `tool` (`gzip` or `zstd`)
    /// and `arguments`; returns the compressed file's path.
    static func compressed(
        _ data: Data, name: String, in folder: TemporaryFolder, tool: String, arguments: [String] = []
    ) throws -> String {
        let plain = folder.path + "/" + name
        try data.write(to: URL(fileURLWithPath: plain))
        let suffix = tool == "zstd" ? ".zst" : ".gz"
        // htslib's bgzip has no -q; it writes BGZF (gzip members of at most 64 KiB).
        try runTool(tool, arguments + (tool == "bgzip" ? [] : ["-q"]) + ["-k", "-f", plain])
        return plain + suffix
    }

    static func runTool(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("\(tool) \(arguments.joined(separator: " ")) failed (is \(tool) installed? scripts/install-deps.sh --test)")
        }
    }

    /// Reads a compressed file with small pieces on `workers` threads.
    static func readCompressed(
        _ path: String, options: StreamReadOptions = StreamReadOptions(), workers: Int = 2,
        sizes: DecompressedPieces.Sizes
    ) throws -> StreamReadResult {
        var options = options
        options.workers = workers
        let file = try MappedFile(path: path)
        let compression = try XCTUnwrap(StreamCompression.detect(file.bytes))
        let queue = WorkQueue(workers: workers)
        defer { queue.close() }
        return try DecompressedPieces.schedule(file, compression: compression, options: options, on: queue, progress: nil, sizes: sizes)
            .wait().requiringStream().joined()
    }

    /// The plain read of `data` and the compressed reads with pieces of several sizes agree.
    func assertCompressedReadsAgree(
        _ data: Data, name: String, options: StreamReadOptions = StreamReadOptions(),
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let folder = try TemporaryFolder()
        let plain = data.withUnsafeBytes { StreamSegments.read($0, path: name, options: options, workers: 1, progress: nil) }
        // zstd without checksums: a frame's input ends with its last block.
        // bgzip: BGZF members, decoded several at a time (runs of at most 100 kB here).
        for (tool, arguments) in [("gzip", []), ("zstd", []), ("zstd", ["--no-check"]), ("bgzip", [])] {
            let path = try Self.compressed(data, name: name, in: folder, tool: tool, arguments: arguments)
            for piece in [700, 4096, 1 << 20] {
                let sizes = DecompressedPieces.Sizes(piece: piece, longestWithoutChunkLine: 1 << 24, largestFrame: 100_000)
                var read = try Self.readCompressed(path, options: options, sizes: sizes)
                XCTAssertEqual(read.compressed?.compression.rawValue, tool == "zstd" ? "zstd" : "gzip", file: file, line: line)
                XCTAssertEqual(read.compressed?.damaged, false, file: file, line: line)
                read.path = plain.path
                for i in read.issues.indices { read.issues[i].file = plain.path }
                XCTAssertEqual(
                    SegmentedReadTests.differences(plain, read), [], "\(name) \(tool) \(arguments), pieces of \(piece)",
                    file: file, line: line)
            }
        }
    }

    func testSampleStreamsCompressed() throws {
        for (name, data) in try SegmentedReadTests.sampleStreams() {
            try assertCompressedReadsAgree(data, name: name, options: StreamReadOptions(parsePeakLists: true))
        }
    }

    func testGeneratedAndDamagedStreamsCompressed() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 2000, seed: 4).write(to: folder.path)
        try assertCompressedReadsAgree(try Data(contentsOf: URL(fileURLWithPath: written.streams[0])), name: "generated.stream")
        let text = MalformedInputTests.damagedConcatenatedStream()
        try assertCompressedReadsAgree(Data(text.utf8), name: "damaged+concatenated.stream")
    }

    /// Reflection mode: every crystal's rows equal the plain read's.
    func testReflectionsFromCompressedStream() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 1500, seed: 12).write(to: folder.path)
        let data = try Data(contentsOf: URL(fileURLWithPath: written.streams[0]))
        let options = StreamReadOptions(parseReflections: true)
        let plain = data.withUnsafeBytes { StreamSegments.read($0, path: "p", options: options, workers: 1, progress: nil) }
        let path = try Self.compressed(data, name: "r.stream", in: folder, tool: "zstd")
        let read = try Self.readCompressed(path, options: options, sizes: .init(piece: 5000, longestWithoutChunkLine: 1 << 24))
        XCTAssertGreaterThan(plain.reflections.count, 1000)
        XCTAssertEqual(try read.reflections.table(), try plain.reflections.table())
    }

    /// `cat a.gz b.gz` and concatenated zstd frames read as the concatenated stream.
    func testSeveralMembersAndFrames() throws {
        let folder = try TemporaryFolder()
        let first = Data((MalformedInputTests.header + (1...30).map { MalformedInputTests.chunk(serial: $0) }.joined()).utf8)
        let second = Data((31...70).map { MalformedInputTests.chunk(serial: $0) }.joined().utf8)
        let plain = (first + second).withUnsafeBytes {
            StreamSegments.read($0, path: "joined", options: StreamReadOptions(), workers: 1, progress: nil)
        }
        for tool in ["gzip", "zstd"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: try Self.compressed(first, name: "a.stream", in: folder, tool: tool)))
            let b = try Data(contentsOf: URL(fileURLWithPath: try Self.compressed(second, name: "b.stream", in: folder, tool: tool)))
            let joined = folder.path + "/joined.\(tool)"
            try (a + b).write(to: URL(fileURLWithPath: joined))
            var read = try Self.readCompressed(joined, sizes: .init(piece: 1000, longestWithoutChunkLine: 1 << 20))
            read.path = "joined"
            XCTAssertEqual(SegmentedReadTests.differences(plain, read), [], tool)
            XCTAssertEqual(read.images.count, 70)
        }
    }

    /// Many zstd frames (as pzstd writes) are decoded several at a time: the same result on
    /// one thread and on two, with frames decoded ahead or, when larger than the limit, by
    /// the reader itself; a damaged frame in the middle stops the read there, named.
    func testManyZstdFramesDecodedInParallel() throws {
        let folder = try TemporaryFolder()
        var plainText = MalformedInputTests.header
        var frames = Data()
        for part in 0..<12 {
            let text = (part == 0 ? MalformedInputTests.header : "")
                + (1...30).map { MalformedInputTests.chunk(serial: part * 100 + $0) }.joined()
            if part > 0 { plainText += text } else { plainText = text }
            // Through a pipe, as pzstd's frames are: no content size in the frame header.
            let input = folder.path + "/f\(part).stream"
            try Data(text.utf8).write(to: URL(fileURLWithPath: input))
            try Self.runTool("sh", ["-c", "zstd -q -c < '\(input)' > '\(input).zst'"])
            frames += try Data(contentsOf: URL(fileURLWithPath: input + ".zst"))
        }
        let plain = Data(plainText.utf8).withUnsafeBytes {
            StreamSegments.read($0, path: "joined", options: StreamReadOptions(), workers: 1, progress: nil)
        }
        let path = folder.path + "/frames.zst"
        try frames.write(to: URL(fileURLWithPath: path))
        let file = try MappedFile(path: path)
        XCTAssertEqual(CompressedFrames.find(.zstd, in: file.bytes, mapped: true)?.count, 12)
        for (workers, largest) in [(1, 64 << 20), (2, 64 << 20), (2, 4096)] {
            var read = try Self.readCompressed(
                path, workers: workers, sizes: .init(piece: 3000, longestWithoutChunkLine: 1 << 20, largestFrame: largest))
            read.path = "joined"
            XCTAssertEqual(SegmentedReadTests.differences(plain, read), [], "\(workers) workers, frames up to \(largest) bytes")
            XCTAssertEqual(read.images.count, 360)
            XCTAssertEqual(read.compressed?.damaged, false)
        }
        var damaged = frames
        damaged[frames.count / 2] ^= 0x5A
        try damaged.write(to: URL(fileURLWithPath: path))
        let broken = try Self.readCompressed(path, workers: 2, sizes: .init(piece: 3000, longestWithoutChunkLine: 1 << 20))
        let oneThread = try Self.readCompressed(path, workers: 1, sizes: .init(piece: 3000, longestWithoutChunkLine: 1 << 20))
        XCTAssertEqual(SegmentedReadTests.differences(oneThread, broken), [])
        XCTAssertEqual(oneThread.issues.map(\.reason), broken.issues.map(\.reason))
        XCTAssertEqual(broken.compressed?.damaged, true)
        XCTAssertTrue(broken.issues.contains { $0.reason.contains("damaged at compressed byte") }, "\(broken.issues.map(\.reason))")
        XCTAssertGreaterThan(broken.images.count, 60)
        XCTAssertLessThan(broken.images.count, 360)
    }

    /// BGZF files (htslib's bgzip) are decoded several member runs at a time: the same result
    /// on one thread and on two, with runs decoded ahead or, when a member is larger than
    /// the limit, by the reader itself. A plain gzip member anywhere (`cat a.bgz b.gz`)
    /// means the layout is not BGZF: the file is read on one decoding thread, whole.
    func testBGZFMembersDecodedInParallel() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 1200, seed: 21).write(to: folder.path)
        let data = try Data(contentsOf: URL(fileURLWithPath: written.streams[0]))
        let plain = data.withUnsafeBytes { StreamSegments.read($0, path: "p", options: StreamReadOptions(), workers: 1, progress: nil) }
        let path = try Self.compressed(data, name: "b.stream", in: folder, tool: "bgzip")
        let file = try MappedFile(path: path)
        let runs = try XCTUnwrap(CompressedFrames.find(.gzip, in: file.bytes, mapped: true, largestFrame: 200_000))
        XCTAssertGreaterThan(runs.count, data.count / 200_000)
        XCTAssertEqual(runs.map(\.length).reduce(0, +), file.bytes.count)
        XCTAssertNil(CompressedFrames.find(.gzip, in: file.bytes, mapped: true), "one run of 4 MiB: nothing to decode in parallel")
        for (workers, largest) in [(1, 200_000), (2, 200_000), (2, 4096)] {
            var read = try Self.readCompressed(
                path, workers: workers, sizes: .init(piece: 3000, longestWithoutChunkLine: 1 << 20, largestFrame: largest))
            read.path = "p"
            for i in read.issues.indices { read.issues[i].file = "p" }
            XCTAssertEqual(SegmentedReadTests.differences(plain, read), [], "\(workers) workers, runs up to \(largest) bytes")
            XCTAssertEqual(read.compressed?.damaged, false)
        }
        // Damage inside a middle run: the reader decodes that run itself, so the read keeps
        // every byte before the damage and names it as the one-thread read does.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        damaged[runs[runs.count / 2].offset + 100] ^= 0x5A
        let damagedPath = folder.path + "/damaged.gz"
        try damaged.write(to: URL(fileURLWithPath: damagedPath))
        let sizes = DecompressedPieces.Sizes(piece: 3000, longestWithoutChunkLine: 1 << 20, largestFrame: 200_000)
        let one = try Self.readCompressed(damagedPath, workers: 1, sizes: sizes)
        let two = try Self.readCompressed(damagedPath, workers: 2, sizes: sizes)
        XCTAssertEqual(two.compressed?.damaged, true)
        XCTAssertEqual(SegmentedReadTests.differences(one, two), [])
        XCTAssertEqual(one.issues.map(\.reason), two.issues.map(\.reason))
        XCTAssertTrue(two.issues.contains { $0.reason.contains("damaged at compressed byte") }, "\(two.issues.map(\.reason))")
        XCTAssertGreaterThan(two.images.count, plain.images.count / 3)

        // A member whose header gives a length shorter than its data (found by the fuzzer):
        // the walk finds the next member where the header says, the decoding of the cut
        // member runs on past it, as one decoder reading the file would.
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let first = runs[0].offset, second = runs[1].offset
        var short = whole.subdata(in: first..<(first + (second - first) / 2)) + whole.subdata(in: second..<whole.count)
        let length = (second - first) / 2 - 1
        short[16] = UInt8(length & 0xFF)
        short[17] = UInt8(length >> 8)
        let shortPath = folder.path + "/short.gz"
        try short.write(to: URL(fileURLWithPath: shortPath))
        short.withUnsafeBytes { XCTAssertNotNil(CompressedFrames.find(.gzip, in: $0, mapped: false, largestFrame: 200_000)) }
        let shortOne = try Self.readCompressed(shortPath, workers: 1, sizes: sizes)
        let shortTwo = try Self.readCompressed(shortPath, workers: 2, sizes: sizes)
        XCTAssertEqual(SegmentedReadTests.differences(shortOne, shortTwo), [])
        XCTAssertEqual(shortOne.issues.map(\.reason), shortTwo.issues.map(\.reason))
        XCTAssertEqual(shortTwo.compressed?.damaged, true)

        let gzipped = try Data(contentsOf: URL(fileURLWithPath: try Self.compressed(data, name: "g.stream", in: folder, tool: "gzip")))
        let mixed = try Data(contentsOf: URL(fileURLWithPath: path)) + gzipped
        mixed.withUnsafeBytes { XCTAssertNil(CompressedFrames.find(.gzip, in: $0, mapped: false, largestFrame: 200_000)) }
        let mixedPath = folder.path + "/mixed.gz"
        try mixed.write(to: URL(fileURLWithPath: mixedPath))
        let twice = try Self.readCompressed(mixedPath, sizes: .init(piece: 3000, longestWithoutChunkLine: 1 << 20, largestFrame: 200_000))
        XCTAssertEqual(twice.images.count, 2 * plain.images.count)
        XCTAssertEqual(twice.compressed?.damaged, false)
    }

    /// A file cut short, a flipped byte, and bytes after the end: each named, the decoded
    /// part read, the file marked damaged; never a crash or a silent 0.
    func testDamagedCompressedData() throws {
        let folder = try TemporaryFolder()
        // Serial numbers make the chunks differ, so that the compressed file spans several
        // zstd blocks (128 KiB of output each) and a flipped byte costs only a later one.
        let text = MalformedInputTests.header + (1...4000).map { MalformedInputTests.chunk(serial: $0 * 7919 % 100_003) }.joined()
        for tool in ["gzip", "zstd", "bgzip"] {
            let path = try Self.compressed(Data(text.utf8), name: "d-\(tool).stream", in: folder, tool: tool, arguments: tool == "zstd" ? ["--check"] : [])
            let whole = try Data(contentsOf: URL(fileURLWithPath: path))
            // BGZF members in runs of at most 100 kB, decoded two at a time.
            let sizes = DecompressedPieces.Sizes(piece: 2000, longestWithoutChunkLine: 1 << 20, largestFrame: 100_000)

            let cut = folder.path + "/cut.\(tool)"
            try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
            let short = try Self.readCompressed(cut, sizes: sizes)
            XCTAssertEqual(short.compressed?.damaged, true, tool)
            XCTAssertTrue(short.issues.contains { $0.reason.contains("cut short") }, "\(tool): \(short.issues.map(\.reason))")
            XCTAssertGreaterThan(short.images.count, 100, tool)
            XCTAssertLessThan(short.images.count, 4000, tool)

            var flipped = whole
            flipped[whole.count / 2] ^= 0x55
            let bad = folder.path + "/flipped.\(tool)"
            try flipped.write(to: URL(fileURLWithPath: bad))
            let damaged = try Self.readCompressed(bad, sizes: sizes)
            XCTAssertEqual(damaged.compressed?.damaged, true, tool)
            XCTAssertTrue(damaged.issues.contains { $0.reason.contains("damaged at compressed byte") }, "\(tool): \(damaged.issues.map(\.reason))")
            XCTAssertLessThan(damaged.images.count, 4000, tool)

            // Damage in the first block: nothing decodes, and the error says why.
            var early = whole
            early[min(40, whole.count / 2)] ^= 0x55
            let first = folder.path + "/early.\(tool)"
            try early.write(to: URL(fileURLWithPath: first))
            XCTAssertThrowsError(try CrystFELStreamReader.read(path: first), tool) { error in
                XCTAssertTrue("\(error)".contains("damaged at compressed byte"), "\(tool): \(error)")
            }

            let trailing = folder.path + "/trailing.\(tool)"
            try (whole + Data("not compressed at all\n".utf8)).write(to: URL(fileURLWithPath: trailing))
            let extra = try Self.readCompressed(trailing, sizes: sizes)
            XCTAssertEqual(extra.images.count, 4000, tool)
            XCTAssertEqual(extra.compressed?.damaged, true, tool)
        }
    }

    /// Decompressed data with no chunk line is not gathered without bound: it is cut at line
    /// ends, with an issue saying so.
    func testNoChunkLineIsCutAtTheLimit() throws {
        let folder = try TemporaryFolder()
        let text = MalformedInputTests.header + String(repeating: "just some line of text that is not a stream\n", count: 20_000)
        let path = try Self.compressed(Data(text.utf8), name: "nochunk.stream", in: folder, tool: "gzip")
        let read = try Self.readCompressed(path, sizes: .init(piece: 4096, longestWithoutChunkLine: 65536))
        XCTAssertTrue(read.issues.contains { $0.reason.contains("no '----- Begin chunk -----' line in 65536 bytes") })
        XCTAssertEqual(read.lines, 20_000 + text.prefix(text.count - 20_000 * 44).filter { $0 == "\n" }.count)
        XCTAssertEqual(read.bytes, text.utf8.count)
    }

    /// A compressed file whose lines end in CR only is refused at once, as the plain one is.
    func testCROnlyCompressedStreamIsRefused() throws {
        let folder = try TemporaryFolder()
        let text = (MalformedInputTests.header + MalformedInputTests.chunk(serial: 1)).replacingOccurrences(of: "\n", with: "\r")
        let path = try Self.compressed(Data(text.utf8), name: "cr.stream", in: folder, tool: "gzip")
        XCTAssertThrowsError(try CrystFELStreamReader.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains("CR only"), "\(error)")
        }
    }
}
