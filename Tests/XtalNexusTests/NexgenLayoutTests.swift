import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalNexus

/// Layouts the shared samples lack, written by nexgen itself (DLS's NXmx writer, installed
/// from PyPI by scripts/test.sh into a virtual environment; `XTALREPORT_NEXGEN_PYTHON` names
/// its python): a Tristan event-mode collection, an Eiger image-mode rotation, a Jungfrau
/// fixed-target grid and a SINGLA electron-diffraction rotation.
final class NexgenLayoutTests: XCTestCase {
    nonisolated(unsafe) static var written: (folder: TemporaryFolder, failure: String?)?

    /// The folder with nexgen's files, written once for the class.
    func layouts() throws -> URL {
        guard let python = ProcessInfo.processInfo.environment["XTALREPORT_NEXGEN_PYTHON"] else {
            throw XCTSkip("nexgen not available: XTALREPORT_NEXGEN_PYTHON is not set (scripts/test.sh installs nexgen from PyPI)")
        }
        if Self.written == nil {
            let folder = try TemporaryFolder()
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("nexgen/make_layouts.py")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script.path, folder.path]
            process.currentDirectoryURL = folder.url
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            Self.written = (folder, process.terminationStatus == 0 ? nil : "nexgen failed: \(text.suffix(2000))")
        }
        if let failure = Self.written!.failure { XCTFail(failure) }
        return Self.written!.folder.url
    }

    /// nexgen's event mode: omega holds [0, 90], there is no image data and no image count.
    /// Before: 2 images and "0° by 90° per image, range 180°".
    func testTristanEventModeHasNoImagesAndItsRealRange() throws {
        let master = try NexusMasterReader.read(path: layouts().appendingPathComponent("tristan_master.h5").path)
        let m = master.metadata
        XCTAssertNil(m.images)
        let rotation = try XCTUnwrap(m.sample.rotation)
        XCTAssertEqual(rotation.continuous, true)
        XCTAssertEqual(rotation.start, 0)
        XCTAssertEqual(rotation.range, 90)
        XCTAssertEqual(rotation.increment, 0)
        XCTAssertEqual(m.sample.isStill, false)
        XCTAssertNil(master.perImage.rotationStart)
        XCTAssertTrue(m.warnings.contains { $0.contains("event-mode data") }, "\(m.warnings)")
        XCTAssertEqual(try XCTUnwrap(m.beam.wavelength?.value), 0.4859, accuracy: 1e-9)
    }

    /// nexgen's image mode: 3600 images of 0.1°, one angle per image.
    func testEigerImageModeRotation() throws {
        let master = try NexusMasterReader.read(path: layouts().appendingPathComponent("eiger_master.h5").path)
        let m = master.metadata
        XCTAssertEqual(m.images?.count, 3600)
        let rotation = try XCTUnwrap(m.sample.rotation)
        XCTAssertNil(rotation.continuous)
        XCTAssertEqual(rotation.increment, 0.1, accuracy: 1e-12)
        XCTAssertEqual(rotation.range, 360, accuracy: 1e-9)
        XCTAssertEqual(master.perImage.rotationStart?.count, 3600)
    }

    /// A 4 × 5 grid of sam_x/sam_y positions on a Jungfrau: 20 stills, 20 distinct positions.
    func testJungfrauGridScan() throws {
        let master = try NexusMasterReader.read(path: layouts().appendingPathComponent("jungfrau_grid_master.h5").path)
        let m = master.metadata
        XCTAssertEqual(m.images?.count, 20)
        XCTAssertEqual(m.sample.isStill, true)
        XCTAssertNil(m.sample.rotation)
        let positions = try XCTUnwrap(m.sample.positions)
        XCTAssertEqual(positions.distinctPositions, 20)
        XCTAssertEqual(positions.xRange, [0, 0.375])
        XCTAssertEqual(positions.yRange, [0, 0.5])
        XCTAssertEqual(master.perImage.sampleX?.count, 20)
    }

    /// nexgen's electron-diffraction writer: probe electron, 0.02508 Å is a 200 keV electron
    /// (relativistic de Broglie, not the photon formula's 494 keV), 60 images of 1°.
    func testSinglaElectronRotation() throws {
        let master = try NexusMasterReader.read(path: layouts().appendingPathComponent("singla_master.h5").path)
        let m = master.metadata
        XCTAssertEqual(m.beam.probe, "electron")
        XCTAssertEqual(try XCTUnwrap(m.beam.energy?.value) / 1000, 200, accuracy: 0.1)
        XCTAssertEqual(m.images?.count, 60)
        XCTAssertEqual(m.sample.rotation?.increment, 1)
        XCTAssertEqual(m.sample.rotation?.range, 60)
    }
}
