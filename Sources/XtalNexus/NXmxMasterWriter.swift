/// The values of a collection to be written as an NXmx master file.
public struct NXmxCollection: Sendable {
    public var startTime: String
    public var endTime: String?
    public var images: Int
    /// Å.
    public var wavelength: Double
    /// Fraction.
    public var transmission: Double?
    /// photons/s.
    public var flux: Double?
    public var instrumentName = "XTALREPORT EXAMPLE BEAMLINE"
    public var detectorDescription = "Eiger2 X 4M"
    public var sensorMaterial = "Si"
    /// mm.
    public var sensorThickness = 0.45
    /// mm.
    public var distance: Double
    /// Pixels.
    public var beamCentre: (x: Double, y: Double)
    /// mm.
    public var pixelSize = 0.075
    public var pixels: (x: Int, y: Int) = (2068, 2162)
    /// s.
    public var countTime: Double
    /// s.
    public var frameTime: Double
    public var saturationValue: Int64 = 65535
    public var bitDepth: Int64 = 16
    public var sampleName: String?
    /// `/entry/source/probe` (NXsource), written when set: `electron` for an electron
    /// diffraction collection; none for the usual x-ray one.
    public var probe: String?
    /// Per-image sample positions, mm (fixed-target chip); nil for a fixed sample.
    public var positions: (x: [Double], y: [Double])?
    /// Per-frame start times, s from `startTime` (written as DECTRIS v2024.2 does).
    public var frameStartTimes: [Double]?
    /// The DLS I24 pump-probe note, written correctly (delay ≠ exposure).
    public var pumpProbe: (exposure: Double, delay: Double)?
    /// A rotation scan: omega of the first image and the step per image (degrees); nil
    /// for stills (omega 0 throughout).
    public var rotation: (start: Double, increment: Double)?
    /// Image data files the virtual dataset maps (they need not exist): `<prefix>_NNNNNN.h5`.
    public var dataFilePrefix: String
    public var framesPerDataFile = 1000

    public init(
        startTime: String, images: Int, wavelength: Double, distance: Double, beamCentre: (x: Double, y: Double),
        countTime: Double, frameTime: Double, dataFilePrefix: String
    ) {
        self.startTime = startTime
        self.images = images
        self.wavelength = wavelength
        self.distance = distance
        self.beamCentre = beamCentre
        self.countTime = countTime
        self.frameTime = frameTime
        self.dataFilePrefix = dataFilePrefix
    }
}

/// Writes NXmx master files in the DLS/nexgen layout (VDS over absent data files, sample
/// transformations with per-image sam_x/sam_y, NXnote at /entry/source/notes), marked with
/// `/entry/program_name = xtalreport`. Used by the example generator and the tests.
public enum NXmxMasterWriter {
    public static func write(_ c: NXmxCollection, to path: String) throws(NexusError) {
        let f = try HDF5OutputFile(creatingAt: path)
        try f.attribute("default", "entry", at: "/")
        try f.group("/entry", nxClass: "NXentry")
        try f.string("/entry/definition", "NXmx")
        try f.string("/entry/program_name", "xtalreport example generator")
        try f.string("/entry/start_time", c.startTime)
        if let end = c.endTime { try f.string("/entry/end_time", end) }

        try f.group("/entry/source", nxClass: "NXsource")
        try f.string("/entry/source/name", "xtalreport synthetic source")
        if let probe = c.probe { try f.string("/entry/source/probe", probe) }
        if let pump = c.pumpProbe {
            try f.group("/entry/source/notes", nxClass: "NXnote")
            try f.boolean("/entry/source/notes/pump_status", true)
            try f.doubles("/entry/source/notes/pump_exposure", [pump.exposure], units: "s")
            try f.doubles("/entry/source/notes/pump_delay", [pump.delay], units: "s")
        }

        try f.group("/entry/instrument", nxClass: "NXinstrument")
        try f.string("/entry/instrument/name", c.instrumentName)
        try f.group("/entry/instrument/beam", nxClass: "NXbeam")
        try f.doubles("/entry/instrument/beam/incident_wavelength", [c.wavelength], units: "angstrom")
        if let flux = c.flux { try f.doubles("/entry/instrument/beam/total_flux", [flux], units: "Hz") }
        if let transmission = c.transmission {
            try f.group("/entry/instrument/attenuator", nxClass: "NXattenuator")
            try f.doubles("/entry/instrument/attenuator/attenuator_transmission", [transmission])
        }
        try writeDetector(c, f)
        try writeSample(c, f)

        try f.group("/entry/data", nxClass: "NXdata")
        var sources: [(file: String, dataset: String, frames: Int)] = []
        var remaining = c.images
        while remaining > 0 {
            let frames = min(remaining, c.framesPerDataFile)
            let name = c.dataFilePrefix + "_" + String(sources.count + 1).leftPadded(to: 6) + ".h5"
            sources.append((name, "/data", frames))
            remaining -= frames
        }
        try f.virtualImageStack("/entry/data/data", rows: c.pixels.y, columns: c.pixels.x, sources: sources)
        for (index, source) in sources.enumerated() {
            try f.externalLink(
                "/entry/data/data_" + String(index + 1).leftPadded(to: 6), file: source.file, object: source.dataset)
        }
        try f.close()
    }

    private static func writeDetector(_ c: NXmxCollection, _ f: HDF5OutputFile) throws(NexusError) {
        let d = "/entry/instrument/detector"
        try f.group(d, nxClass: "NXdetector")
        try f.string(d + "/description", c.detectorDescription)
        try f.string(d + "/sensor_material", c.sensorMaterial)
        try f.doubles(d + "/sensor_thickness", [c.sensorThickness / 1000], units: "m")
        try f.doubles(d + "/distance", [c.distance / 1000], units: "m")
        try f.doubles(d + "/beam_center_x", [c.beamCentre.x], units: "pixels")
        try f.doubles(d + "/beam_center_y", [c.beamCentre.y], units: "pixels")
        try f.doubles(d + "/x_pixel_size", [c.pixelSize / 1000], units: "m")
        try f.doubles(d + "/y_pixel_size", [c.pixelSize / 1000], units: "m")
        try f.doubles(d + "/count_time", [c.countTime], units: "s")
        try f.doubles(d + "/frame_time", [c.frameTime], units: "s")
        try f.integers(d + "/saturation_value", [c.saturationValue])
        try f.integers(d + "/bit_depth_readout", [c.bitDepth])
        if let times = c.frameStartTimes { try f.doubles(d + "/start_time", times, scalar: false, units: "s") }
        try f.group(d + "/detectorSpecific", nxClass: "NXcollection")
        try f.integers(d + "/detectorSpecific/nimages", [Int64(c.images)])
        try f.integers(d + "/detectorSpecific/x_pixels_in_detector", [Int64(c.pixels.x)])
        try f.integers(d + "/detectorSpecific/y_pixels_in_detector", [Int64(c.pixels.y)])
    }

    private static func writeSample(_ c: NXmxCollection, _ f: HDF5OutputFile) throws(NexusError) {
        let s = "/entry/sample"
        let t = s + "/transformations"
        try f.group(s, nxClass: "NXsample")
        if let name = c.sampleName { try f.string(s + "/name", name) }
        try f.group(t, nxClass: "NXtransformations")
        let scan = c.rotation ?? (0, 0)
        let omega = (0..<c.images).map { scan.start + Double($0) * scan.increment }
        try f.doubles(
            t + "/omega", omega, scalar: false, units: "deg",
            attributes: ["transformation_type": "rotation", "depends_on": "."], vector: [-1, 0, 0])
        try f.doubles(t + "/omega_increment_set", [scan.increment])
        if let positions = c.positions {
            try f.string(s + "/depends_on", t + "/sam_x")
            try f.doubles(
                t + "/sam_y", positions.y, scalar: false, units: "mm",
                attributes: ["transformation_type": "translation", "depends_on": t + "/omega"], vector: [0, 1, 0])
            try f.doubles(
                t + "/sam_x", positions.x, scalar: false, units: "mm",
                attributes: ["transformation_type": "translation", "depends_on": t + "/sam_y"], vector: [1, 0, 0])
        } else {
            try f.string(s + "/depends_on", t + "/omega")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
