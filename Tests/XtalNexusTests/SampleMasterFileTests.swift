import XCTest
import XtalCore
import XtalNexus
import XtalTestSupport

/// Every master file in shared/samples/nexus: the values a scientist checks, against the
/// values `h5dump -d PATH FILE` prints (float32 values to their printed precision, float64
/// exactly). Skips, naming the path, when shared/ is absent.
final class SampleMasterFileTests: XCTestCase {
    func master(_ relative: String) throws -> NexusMasterFile {
        let (path, reason) = SharedSamples.path("samples/nexus/" + relative)
        guard let path else { throw XCTSkip(reason) }
        return try NexusMasterReader.read(path: path)
    }

    /// Real DECTRIS FileWriter 1.6.4 master: "nearly NeXus", float32 values, no definition.
    func testDectrisLegacyMaster() throws {
        let m = try master("real/dectris_eiger_master.h5").metadata
        XCTAssertEqual(m.producer, "DECTRIS FileWriter (legacy, nearly NeXus)")
        XCTAssertNil(m.definition)
        XCTAssertTrue(m.missing.contains("definition (/entry/definition)"))
        // float32 values arrive as the decimals h5dump/numpy print (0.9801122, 1607.415 …).
        XCTAssertEqual(m.beam.wavelength?.value, 0.9801122)
        XCTAssertEqual(m.beam.wavelength?.unit, "Å")
        XCTAssertEqual(m.beam.energy?.value, 12650)  // detectorSpecific/photon_energy eV
        XCTAssertEqual(m.detector.distance?.value ?? 0, 134.255, accuracy: 1e-4)  // detector_distance 0.134255 m
        XCTAssertEqual(m.detector.distance?.fileUnit, "m")
        XCTAssertEqual(m.detector.beamCentreX?.value, 1607.415)
        XCTAssertEqual(m.detector.beamCentreY?.value, 1586.4314)
        XCTAssertEqual(m.detector.pixelSizeX?.value ?? 0, 0.075, accuracy: 1e-15)  // 7.5e-05 m
        XCTAssertEqual(m.detector.countTime?.value, 0.00499)
        XCTAssertEqual(m.detector.frameTime?.value, 0.005)
        XCTAssertEqual(m.detector.sensorMaterial, "Si")
        XCTAssertEqual(m.detector.sensorThickness?.value ?? 0, 0.45, accuracy: 1e-6)
        XCTAssertEqual(m.detector.description, "Dectris Eiger 9M")
        XCTAssertEqual(m.detector.saturationValue, 12440)  // countrate_correction_count_cutoff
        XCTAssertEqual(m.detector.bitDepthImage, 16)
        XCTAssertEqual(m.detector.firmware, "eiger-1.6.4-199.git97ffde5.release")
        // nimages (per trigger) 1 × ntrigger 1.
        XCTAssertEqual(m.images?.count, 1)
        XCTAssertEqual(m.images?.triggerMode, "exts")
        XCTAssertEqual(m.startTime?.text, "2016-12-16T07:06:17.852051")
        XCTAssertEqual(m.startTime?.hasZone, false)
        XCTAssertEqual(m.startTime?.utc, "2016-12-16T07:06:17.852051Z")
        XCTAssertEqual(m.sample.rotation?.axis, "omega")
        XCTAssertEqual(m.sample.rotation?.increment, 0.5)
        XCTAssertNil(m.pumpProbe)
        XCTAssertEqual(
            m.externalLinks,
            [ExternalLinkStatus(path: "/entry/data/data_000001", file: "dectris_eiger_data_000001.h5", object: "entry/data/data", resolved: false)])
    }

    /// Real DLS i03 grid scan by nexgen: VDS over absent files, per-image sam_x/sam_y, @u typo.
    func testDLSi03GridScan() throws {
        let file = try master("real/dls_i03_xrc_209_master.h5")
        let m = file.metadata
        XCTAssertEqual(m.producer, "Diamond Light Source NXmx (nexgen or its predecessors)")
        XCTAssertEqual(m.definition, "NXmx")
        XCTAssertEqual(m.images?.count, 240)
        XCTAssertEqual(m.images?.source, "shape of /entry/data/data (virtual dataset)")
        XCTAssertEqual(m.beam.wavelength?.value, 0.9762535307519975)
        XCTAssertEqual(m.detector.distance?.value ?? 0, 391.228416716, accuracy: 1e-9)  // 0.391228416716 m
        XCTAssertEqual(m.detector.beamCentreX?.value, 1005.4534100738988)
        XCTAssertEqual(m.detector.beamCentreY?.value, 1050.7523981426666)
        XCTAssertEqual(m.detector.beamCentreX?.fileUnit, "pixels")
        XCTAssertEqual(m.detector.countTime?.value, 0.004)
        XCTAssertEqual(m.detector.saturationValue, 46051)
        XCTAssertEqual(m.startTime?.utc, "2024-07-24T10:09:13Z")
        XCTAssertEqual(m.endTimeEstimated?.utc, "2024-07-24T10:09:15Z")
        // total_flux carries @u="Hz" instead of @units: read, and the typo reported.
        XCTAssertEqual(m.beam.flux?.value, 270474363385.19055)
        XCTAssertTrue(m.warnings.contains { $0.contains("@u=\"Hz\"") })
        XCTAssertEqual(m.beam.transmission?.value, 1.0)
        XCTAssertEqual(m.sample.isStill, true)
        XCTAssertEqual(m.sample.positions?.images, 240)
        XCTAssertEqual(m.sample.positions?.yRange[0] ?? 0, -0.3751945, accuracy: 1e-12)
        XCTAssertEqual(file.perImage.sampleY?.count, 240)
        XCTAssertEqual(file.perImage.sampleX?.first ?? 0, 0.0694439, accuracy: 1e-12)
        // 1 data link and 11 links into the absent xrc_209_meta.h5 dangle; none is fatal.
        let dangling = m.externalLinks.filter { !$0.resolved }
        XCTAssertEqual(dangling.filter { $0.file == "xrc_209_meta.h5" }.count, 11)
        XCTAssertTrue(dangling.contains { $0.file == "xrc_209_000001.h5" })
        XCTAssertNil(m.detector.bitDepthImage)  // behind a dangling link: missing, not invented
    }

    /// Real DLS I04 rotation scan (2019): S1024 strings, detector_distance of shape (1,),
    /// count_time without units, times without a zone, source under instrument.
    func testDLSi04RotationScan() throws {
        let m = try master("real/dls_i04_Therm_6_2.nxs").metadata
        XCTAssertEqual(m.images?.count, 488)
        XCTAssertEqual(m.detector.distance?.value ?? 0, 213.95897, accuracy: 1e-5)
        XCTAssertEqual(m.detector.distance?.path, "/entry/instrument/detector/detector_distance")
        XCTAssertEqual(m.detector.countTime?.value, 0.008)
        XCTAssertNil(m.detector.countTime?.fileUnit)  // NXmx default (s) applied
        XCTAssertEqual(m.detector.sensorMaterial, "Silicon")
        XCTAssertEqual(m.detector.description, "Eiger 16M")
        XCTAssertEqual(m.beam.wavelength?.value, 0.9802735610373182)
        XCTAssertEqual(m.beam.transmission?.value ?? 0, 0.011187, accuracy: 1e-12)
        XCTAssertEqual(m.detector.beamCentreX?.value, 2216.055470799965)
        XCTAssertEqual(m.startTime?.hasZone, false)
        XCTAssertEqual(m.startTime?.utc, "2019-02-14T14:25:57Z")
        XCTAssertEqual(m.endTime?.utc, "2019-02-14T14:26:24Z")
        XCTAssertEqual(m.source, "Diamond Light Source")
        let rotation = try XCTUnwrap(m.sample.rotation)
        XCTAssertEqual(rotation.axis, "omega")
        XCTAssertEqual(rotation.start, 174)
        XCTAssertEqual(rotation.increment, 0.25)
        XCTAssertEqual(rotation.range, 122)  // 488 × 0.25°
        XCTAssertEqual(m.sample.isStill, false)
    }

    /// The NXmx skeleton: every string variable-length UTF-8, placeholder units.
    func testAutogeneratedSkeletonReadsVariableLengthStrings() throws {
        let m = try master("real/nexusformat_NXmx_autogenerated.hdf5").metadata
        XCTAssertEqual(m.producer, "NXmx skeleton (autogenerated from the NXDL)")
        XCTAssertEqual(m.definition, "NXmx")
        XCTAssertEqual(m.sample.name, "SAMPLE-CHAR-DATA")
        XCTAssertEqual(m.startTime?.text, "2021-03-29T15:51:40.027458")
        XCTAssertNil(m.images)
        XCTAssertTrue(m.missing.contains("image count"))
        // "NX_LENGTH" is a unit category, not a unit: the value is left out and said so.
        XCTAssertNil(m.detector.distance)
        XCTAssertTrue(m.warnings.contains { $0.contains("\"NX_LENGTH\" not recognised") })
    }

    /// nexgen I24 fixed target, pump-probe: NXnote, per-image chip positions, odin meta file.
    func testI24FixedTargetPumpProbe() throws {
        let file = try master("generated/i24_fixed_target_pump_probe/i24_ft_pp_01.nxs")
        let m = file.metadata
        XCTAssertEqual(m.images?.count, 800)
        // nexgen: nimages is the total; ntrigger (from the meta file) is 800 too, and
        // nimages × ntrigger = 640000 would be wrong.
        XCTAssertEqual(m.images?.nimages, 800)
        XCTAssertEqual(m.images?.ntrigger, 800)
        XCTAssertEqual(m.beam.wavelength?.value, 0.6199)
        XCTAssertEqual(m.detector.distance?.value, 500)
        XCTAssertEqual(m.detector.beamCentreX?.value, 1590.7)
        XCTAssertEqual(m.detector.beamCentreY?.value, 1643.7)
        XCTAssertEqual(m.detector.countTime?.value, 0.01)
        XCTAssertEqual(m.detector.sensorMaterial, "CdTe")
        XCTAssertEqual(m.detector.bitDepthImage, 32)  // through the external link into _meta.h5
        XCTAssertEqual(m.startTime?.utc, "2024-11-20T14:03:12Z")
        let note = try XCTUnwrap(m.pumpProbe)
        XCTAssertEqual(note.path, "/entry/source/notes")
        XCTAssertEqual(note.status, true)
        XCTAssertEqual(note.exposure?.value, 0.005)
        XCTAssertEqual(note.delay?.value, 0.005)
        XCTAssertTrue(note.delayEqualsExposure)  // nexgen defect flagged
        XCTAssertTrue(m.warnings.contains { $0.contains("pump_delay equals pump_exposure") })
        XCTAssertEqual(note.repeatSetting, 3)
        XCTAssertEqual(note.exposuresPerPosition, 1)
        XCTAssertEqual(m.sample.positions?.distinctPositions, 800)
        XCTAssertEqual(m.sample.positions?.yRange[1], 5.55)
        XCTAssertEqual(file.perImage.sampleX?.count, 800)
        // odin meta start_time: 0, 10 ms, … ns.
        let times = try XCTUnwrap(m.frameTimes)
        XCTAssertEqual(times.frames, 800)
        XCTAssertEqual(times.last, 7.99, accuracy: 1e-12)
        XCTAssertEqual(times.meanInterval ?? 0, 0.01, accuracy: 1e-12)
        XCTAssertEqual(file.perImage.frameStart?[1], 0.01)
    }

    func testI24ExtruderPumpProbe() throws {
        let m = try master("generated/i24_extruder_pump_probe/i24_ext_pp_01.nxs").metadata
        XCTAssertEqual(m.images?.count, 1000)
        XCTAssertEqual(m.beam.wavelength?.value, 0.9686)
        XCTAssertEqual(m.beam.transmission?.value, 0.5)
        XCTAssertEqual(m.detector.distance?.value, 300)
        XCTAssertEqual(m.sample.isStill, true)
        XCTAssertNil(m.sample.positions)
        let note = try XCTUnwrap(m.pumpProbe)
        XCTAssertEqual(note.exposure?.value, 0.002)
        XCTAssertEqual(note.delay?.value, 0.002)
        XCTAssertTrue(note.delayEqualsExposure)
        XCTAssertNil(note.repeatSetting)  // extruder notes hold only status, exposure, delay
        XCTAssertEqual(m.frameTimes?.frames, 1000)
    }

    func testI24Jungfrau1MStills() throws {
        let m = try master("generated/i24_jungfrau1m_stills_pump_probe/i24_jf1m_pp_01.nxs").metadata
        XCTAssertEqual(m.images?.count, 500)
        XCTAssertEqual(m.detector.description, "Jungfrau 1M")
        XCTAssertEqual(m.detector.distance?.value, 250)
        XCTAssertEqual(m.detector.sensorThickness?.value ?? 0, 0.32, accuracy: 1e-12)
        XCTAssertEqual(m.detector.saturationValue, 1_000_000)
        XCTAssertEqual(m.detector.underloadValue, -10)
        XCTAssertEqual(m.detector.countTime?.value, 0.0001)
        XCTAssertEqual(m.detector.beamCentreX?.value, 515.2)
        let note = try XCTUnwrap(m.pumpProbe)
        XCTAssertEqual(note.exposure?.value, 0.001)
        XCTAssertEqual(note.delay?.value, 0.002)
        XCTAssertFalse(note.delayEqualsExposure)
        XCTAssertNil(m.frameTimes)  // no meta file, no per-frame times
        XCTAssertEqual(Set(m.externalLinks.filter { !$0.resolved }.map(\.file)), ["i24_jf1m_pp_01_d0.h5", "i24_jf1m_pp_01_d1.h5"])
    }

    func testPandACaptureFiles() throws {
        let (path, reason) = SharedSamples.path("samples/nexus/real/dls_panda_pcap_00001.h5")
        guard let path else { throw XCTSkip(reason) }
        XCTAssertTrue(PandACaptureReader.isPandACapture(path: path))
        let capture = try PandACaptureReader.read(path: path)
        XCTAssertEqual(capture.triggers, 100)
        XCTAssertEqual(capture.timestampColumn, "PCAP.TS_START.Value")
        XCTAssertEqual(capture.timestamps.first ?? 0, 0.53377433, accuracy: 1e-8)
        XCTAssertEqual(capture.armTime?.utc, "2024-07-26T07:18:47.912Z")
        XCTAssertEqual(capture.gateDurations?.count, 100)

        let grid = try PandACaptureReader.read(path: SharedSamples.path("samples/nexus/real/dls_panda_pcap_grid.h5").path!)
        XCTAssertEqual(grid.triggers, 870)
        XCTAssertEqual(grid.timestampColumn, "PCAP.TS_TRIG.Value")
        XCTAssertEqual(grid.timestamps.first ?? 0, 2.25330611, accuracy: 1e-8)
        XCTAssertFalse(PandACaptureReader.isPandACapture(path: SharedSamples.path("samples/nexus/real/dls_i03_xrc_209_master.h5").path!))
    }
}
