import Foundation
import XCTest
import XtalCore
@testable import XtalNexus
import XtalExample
import XtalTestSupport

/// xtalreport's own master files (NXmxMasterWriter, used by `xtalreport example`) read back
/// with every value intact, and the reader's unit and time handling on known inputs.
final class GeneratedMasterFileTests: XCTestCase {
    static func collection(images: Int = 1234) -> NXmxCollection {
        var c = NXmxCollection(
            startTime: "2026-11-20T09:00:00Z", images: images, wavelength: 0.9686, distance: 180,
            beamCentre: (1034.5, 1081.2), countTime: 0.0099, frameTime: 0.01, dataFilePrefix: "run07")
        c.endTime = "2026-11-20T09:00:13Z"
        c.transmission = 0.25
        c.flux = 3.2e12
        c.sampleName = "lyso-microcrystals"
        c.positions = ((0..<images).map { Double($0 % 20) * 0.125 }, (0..<images).map { Double($0 / 20) * 0.125 })
        c.frameStartTimes = (0..<images).map { Double($0) * 0.01 }
        c.pumpProbe = (0.000005, 0.00001)
        return c
    }

    func testRoundTripOfEveryValue() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("run07_master.h5").path
        let c = Self.collection()
        try NXmxMasterWriter.write(c, to: path)
        let read = try NexusMasterReader.read(path: path)
        let m = read.metadata
        XCTAssertEqual(m.producer, "xtalreport example generator")
        XCTAssertEqual(m.definition, "NXmx")
        XCTAssertEqual(m.images?.count, 1234)
        XCTAssertEqual(m.images?.source, "shape of /entry/data/data (virtual dataset)")
        XCTAssertEqual(m.startTime?.utc, "2026-11-20T09:00:00Z")
        XCTAssertEqual(m.endTime?.epochSeconds, m.startTime.map { $0.epochSeconds + 13 })
        XCTAssertEqual(m.beam.wavelength?.value, 0.9686)
        XCTAssertEqual(m.beam.transmission?.value, 0.25)
        XCTAssertEqual(m.beam.flux?.value, 3.2e12)
        XCTAssertEqual(m.detector.distance?.value ?? 0, 180, accuracy: 1e-12)
        XCTAssertEqual(m.detector.beamCentreX?.value, 1034.5)
        XCTAssertEqual(m.detector.beamCentreY?.value, 1081.2)
        XCTAssertEqual(m.detector.pixelSizeX?.value ?? 0, 0.075, accuracy: 1e-15)
        XCTAssertEqual(m.detector.countTime?.value, 0.0099)
        XCTAssertEqual(m.detector.frameTime?.value, 0.01)
        XCTAssertEqual(m.detector.sensorThickness?.value ?? 0, 0.45, accuracy: 1e-15)
        XCTAssertEqual(m.sample.name, "lyso-microcrystals")
        XCTAssertEqual(m.sample.isStill, true)
        XCTAssertEqual(read.perImage.sampleX, c.positions?.x)
        XCTAssertEqual(read.perImage.sampleY, c.positions?.y)
        XCTAssertEqual(read.perImage.frameStart?.count, 1234)
        XCTAssertEqual(m.frameTimes?.source, "per-frame start_time (s from start)")
        let note = try XCTUnwrap(m.pumpProbe)
        XCTAssertEqual(note.status, true)  // written as an h5py-style enum boolean
        XCTAssertEqual(note.exposure?.value, 0.000005)
        XCTAssertEqual(note.delay?.value, 0.00001)
        XCTAssertFalse(note.delayEqualsExposure)
        XCTAssertTrue(m.missing.isEmpty, "missing: \(m.missing)")
        // Two data files (1000 + 234 frames) that do not exist: listed, not fatal.
        XCTAssertEqual(Set(m.externalLinks.map(\.file)), ["run07_000001.h5", "run07_000002.h5"])
        XCTAssertTrue(m.externalLinks.allSatisfy { !$0.resolved })
    }

    /// The example generator writes one master per run, the pump-probe run with its note.
    /// Electron diffraction (`/entry/source/probe = electron`, e.g. a SINGLA detector): the
    /// energy from λ follows the relativistic de Broglie relation, not the photon formula.
    func testElectronEnergyIsRelativisticDeBroglie() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("ed_master.h5").path
        var c = NXmxCollection(
            startTime: "2026-11-20T09:00:00Z", images: 10, wavelength: 0.0251, distance: 500,
            beamCentre: (512, 512), countTime: 0.1, frameTime: 0.1, dataFilePrefix: "ed")
        c.probe = "electron"
        try NXmxMasterWriter.write(c, to: path)
        let beam = try NexusMasterReader.read(path: path).metadata.beam
        XCTAssertEqual(beam.probe, "electron")
        // pc = hc/λ = 493.96 keV; E = √((pc)² + (m₀c²)²) − m₀c² = 199.7 keV (a 200 kV microscope).
        let energy = try XCTUnwrap(beam.energy)
        XCTAssertEqual(energy.value / 1000, 199.72, accuracy: 0.01)
        XCTAssertTrue(energy.derivedFrom?.contains("electron") ?? false, "\(energy)")
        // The x-ray file of the same wavelength: the photon formula (493.96 keV).
        c.probe = nil
        try NXmxMasterWriter.write(c, to: path)
        let xray = try NexusMasterReader.read(path: path).metadata.beam
        XCTAssertNil(xray.probe)
        XCTAssertEqual((xray.energy?.value ?? 0) / 1000, 493.96, accuracy: 0.01)
    }

    func testExampleExperimentWritesMasterFiles() throws {
        let folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: 900, seed: 3).write(to: folder.path)
        XCTAssertEqual(written.masters.count, 3)
        for (master, counts) in zip(written.masters, written.counts) {
            let m = try NexusMasterReader.read(path: master).metadata
            XCTAssertEqual(m.images?.count, counts.images)
        }
        let pumped = try NexusMasterReader.read(path: written.masters[2]).metadata
        XCTAssertNotNil(pumped.pumpProbe)
        XCTAssertNotNil(pumped.frameTimes)
        XCTAssertNil(try NexusMasterReader.read(path: written.masters[0]).metadata.pumpProbe)
    }

    /// Unit spellings from real files all land in one convention.
    func testUnitsConvertToOneConvention() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("units.h5").path
        try UnitFixture.write(path)
        let m = try NexusMasterReader.read(path: path).metadata
        XCTAssertEqual(m.detector.sensorThickness?.value ?? 0, 0.32, accuracy: 1e-12)  // 320 microns
        XCTAssertEqual(m.detector.countTime?.value ?? 0, 10e-6, accuracy: 1e-18)  // 10 us
        XCTAssertEqual(m.detector.frameTime?.value ?? 0, 0.04, accuracy: 1e-15)  // 40 ms
        XCTAssertEqual(m.detector.distance?.value, 250)  // det_z 250 mm when no distance
        XCTAssertEqual(m.beam.energy?.value, 12400)  // 12.4 keV
        XCTAssertEqual(m.beam.wavelength?.derivedFrom, "hc / energy")
        XCTAssertEqual(m.beam.wavelength?.value ?? 0, 12.398419843320026 / 12.4, accuracy: 1e-12)
        XCTAssertEqual(m.startTime?.utc, "2024-02-29T23:30:00.5Z")  // 00:30 at +01:00, leap day
    }
}

/// A hand-made master with the non-SI spellings of SwissFEL/cctbx files and an offset zone.
enum UnitFixture {
    static func write(_ path: String) throws {
        let f = try HDF5OutputFile(creatingAt: path)
        try f.group("/entry", nxClass: "NXentry")
        try f.string("/entry/definition", "NXmx")
        try f.string("/entry/start_time", "2024-03-01T00:30:00.5+01:00")
        try f.group("/entry/instrument", nxClass: "NXinstrument")
        try f.group("/entry/instrument/beam", nxClass: "NXbeam")
        try f.doubles("/entry/instrument/beam/incident_energy", [12.4], units: "keV")
        let d = "/entry/instrument/detector"
        try f.group(d, nxClass: "NXdetector")
        try f.doubles(d + "/sensor_thickness", [320], units: "microns")
        try f.doubles(d + "/count_time", [10], units: "us")
        try f.doubles(d + "/frame_time", [40], units: "ms")
        try f.group(d + "/transformations", nxClass: "NXtransformations")
        try f.doubles(d + "/transformations/det_z", [250], scalar: false, units: "mm", attributes: ["transformation_type": "translation"])
        try f.close()
    }
}
