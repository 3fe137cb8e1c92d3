import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalNexus

/// The answer of a master-file child, read straight from its pipe: every array back as
/// written (frames without a start time as NaN), and anything cut short or claiming more
/// than the child could hold refused, not allocated.
final class MasterFileWireTests: XCTestCase {
    func master(frames: Int) -> NexusMasterFile {
        var perImage = PerImageMetadata()
        perImage.sampleX = (0..<frames).map { Double($0) * 0.01 }
        perImage.sampleY = (0..<frames).map { -Double($0) }
        perImage.frameStart = (0..<frames).map { $0 % 7 == 3 ? .nan : Double($0) * 0.004 }
        return NexusMasterFile(metadata: RunMetadata(file: "run_master.h5", producer: "test"), perImage: perImage)
    }

    /// Decodes `bytes` as if a child had written them on its standard output.
    func decode(_ bytes: Data, limit: Int = 1 << 30) throws -> Result<NexusFileContent, NexusError>? {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("answer").path
        try bytes.write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        return MasterFileWire.decode(from: descriptor, limit: limit)
    }

    func testEveryArrayComesBackAsWritten() throws {
        let written = master(frames: 100_003)
        let decoded = try XCTUnwrap(try decode(MasterFileWire.encode(.success(.master(written))))).get()
        guard case .master(let read) = decoded else { return XCTFail("not a master file: \(decoded)") }
        XCTAssertEqual(read.metadata, written.metadata)
        XCTAssertEqual(read.perImage.sampleX, written.perImage.sampleX)
        XCTAssertEqual(read.perImage.sampleY, written.perImage.sampleY)
        XCTAssertNil(read.perImage.rotationStart)
        let frames = try XCTUnwrap(read.perImage.frameStart)
        XCTAssertEqual(frames.map(\.bitPattern), written.perImage.frameStart!.map(\.bitPattern))
        XCTAssertEqual(frames.filter(\.isNaN).count, (100_003 + 3) / 7)
    }

    func testAnAnswerCutShortIsNone() throws {
        let bytes = MasterFileWire.encode(.success(.master(master(frames: 5000))))
        for cut in [3, 20, bytes.count / 2, bytes.count - 1] {
            XCTAssertNil(try decode(bytes.prefix(cut)), "cut at \(cut) of \(bytes.count)")
        }
    }

    func testALengthBeyondTheLimitIsRefusedBeforeAnyAllocation() throws {
        // 100 000 frames are 800 000 bytes an array: over a 500 000-byte limit.
        let bytes = MasterFileWire.encode(.success(.master(master(frames: 100_000))))
        XCTAssertNil(try decode(bytes, limit: 500_000))
        XCTAssertNotNil(try decode(bytes, limit: 900_000))
    }

    func testAnErrorComesBackAsTheError() throws {
        let bytes = MasterFileWire.encode(.failure(.corrupt(path: "x.h5", detail: "damaged")))
        let outcome = try XCTUnwrap(try decode(bytes))
        XCTAssertThrowsError(try outcome.get()) { error in XCTAssertTrue("\(error)".contains("damaged"), "\(error)") }
    }
}
