import Foundation
import XCTest
@testable import XtalNexus
import XtalTestSupport

/// Files that are not readable NXmx masters give the documented error, naming the file.
final class MasterFileErrorTests: XCTestCase {
    func testMissingFile() {
        XCTAssertThrowsError(try NexusMasterReader.read(path: "/nonexistent/run_master.h5")) { error in
            XCTAssertEqual(error as? NexusError, .unreadable(path: "/nonexistent/run_master.h5", reason: "no such file or directory"))
            XCTAssertTrue("\(error)".contains("/nonexistent/run_master.h5"))
        }
    }

    func testDirectory() throws {
        let folder = try TemporaryFolder()
        XCTAssertThrowsError(try NexusMasterReader.read(path: folder.path)) { error in
            XCTAssertEqual(error as? NexusError, .unreadable(path: folder.path, reason: "is a directory"))
        }
    }

    func testNotHDF5() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("run01.stream", "CrystFEL stream format 2.3\n")
        XCTAssertThrowsError(try NexusMasterReader.read(path: path)) { error in
            XCTAssertEqual(error as? NexusError, .notHDF5(path: path))
            XCTAssertEqual("\(error)", "\(path): not an HDF5 file (no HDF5 signature)")
        }
        let empty = try folder.write("empty.h5", "")
        XCTAssertThrowsError(try NexusMasterReader.read(path: empty)) { error in
            XCTAssertEqual(error as? NexusError, .notHDF5(path: empty))
        }
    }

    /// A master cut short (an interrupted copy) keeps its signature but cannot be opened.
    func testTruncatedFile() throws {
        let folder = try TemporaryFolder()
        let whole = folder.url.appendingPathComponent("whole_master.h5").path
        try NXmxMasterWriter.write(GeneratedMasterFileTests.collection(), to: whole)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let truncated = try folder.write("truncated_master.h5", bytes.prefix(bytes.count / 3))
        XCTAssertThrowsError(try NexusMasterReader.read(path: truncated)) { error in
            guard case .corrupt(let path, let detail) = error as? NexusError else {
                return XCTFail("expected .corrupt, got \(error)")
            }
            XCTAssertEqual(path, truncated)
            XCTAssertFalse(detail.isEmpty)
            XCTAssertTrue("\(error)".hasPrefix("\(truncated): HDF5 file is truncated or corrupt"))
        }
    }

    /// The HDF5 signature followed by garbage.
    func testCorruptFile() throws {
        let folder = try TemporaryFolder()
        var bytes: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
        bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let path = try folder.write("corrupt_master.h5", Data(bytes))
        XCTAssertThrowsError(try NexusMasterReader.read(path: path)) { error in
            guard case .corrupt(let named, _) = error as? NexusError else { return XCTFail("expected .corrupt, got \(error)") }
            XCTAssertEqual(named, path)
        }
    }

    /// A valid HDF5 file that is not NeXus.
    func testHDF5WithoutNXentry() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("plain.h5").path
        do {
            let file = try HDF5OutputFile(creatingAt: path)
            try file.doubles("/energy", [12.4])
            try file.close()
        }
        XCTAssertThrowsError(try NexusMasterReader.read(path: path)) { error in
            XCTAssertEqual(error as? NexusError, .notNeXus(path: path))
        }
    }
}
