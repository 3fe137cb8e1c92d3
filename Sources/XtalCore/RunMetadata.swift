/// What a run's NXmx master file says about the collection, in one unit convention:
/// lengths in mm, wavelength in Å, energy in eV, times in s, angles in degrees, beam centre
/// in pixels, flux in photons/s, transmission as a fraction. Fields the file does not hold
/// are nil and named in `missing`; nothing is invented.
public struct RunMetadata: Sendable, Codable, Equatable {
    /// The master file read.
    public var file: String
    /// Who wrote it, as recognised from its layout (see `producerRule`).
    public var producer: String
    /// `/entry/definition` (`NXmx`), nil for "nearly NeXus" files.
    public var definition: String?
    public var startTime: MetadataTime?
    public var endTime: MetadataTime?
    public var endTimeEstimated: MetadataTime?
    /// The number of images collected and where the number came from.
    public var images: ImageCountInfo?
    public var instrument: String?
    public var source: String?
    public var beam = BeamMetadata()
    public var detector = DetectorMetadata()
    public var sample = SampleMetadata()
    /// The pump-probe note (DLS I24: `/entry/source/notes`); nil when the file has none,
    /// which means "unknown", not "no pump".
    public var pumpProbe: PumpProbeNote?
    /// Per-frame start times, when the producer writes them.
    public var frameTimes: FrameTimesSummary?
    /// External links in the file and whether their targets were found.
    public var externalLinks: [ExternalLinkStatus] = []
    /// Required or recommended fields that were looked for and not found.
    public var missing: [String] = []
    /// Quirks and defects noticed while reading (unit typos, known producer bugs …).
    public var warnings: [String] = []

    public init(file: String, producer: String) {
        self.file = file
        self.producer = producer
    }
}

/// A number from a master file converted to xtalreport's unit for its quantity.
public struct MeasuredValue: Sendable, Codable, Equatable {
    /// The value in `unit`.
    public var value: Double
    /// xtalreport's unit: `mm`, `Å`, `eV`, `s`, `deg`, `px`, `Hz`, `1`.
    public var unit: String
    /// The dataset it came from (or how it was derived).
    public var path: String
    /// The unit as the file wrote it; nil when the file wrote none and NXmx's default applied.
    public var fileUnit: String?
    /// Set when the value was computed from another (e.g. `hc/λ` for an energy).
    public var derivedFrom: String?

    public init(value: Double, unit: String, path: String, fileUnit: String?, derivedFrom: String? = nil) {
        self.value = value
        self.unit = unit
        self.path = path
        self.fileUnit = fileUnit
        self.derivedFrom = derivedFrom
    }
}

/// An ISO 8601 time as written, and normalised.
public struct MetadataTime: Sendable, Codable, Equatable {
    /// The text in the file.
    public var text: String
    /// The same instant as `YYYY-MM-DDThh:mm:ss[.ffffff]Z`; a time without a zone is taken as UTC.
    public var utc: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Double
    /// False when the file gave no zone (then `utc` assumes UTC).
    public var hasZone: Bool
    public var path: String

    public init(text: String, utc: String, epochSeconds: Double, hasZone: Bool, path: String) {
        self.text = text
        self.utc = utc
        self.epochSeconds = epochSeconds
        self.hasZone = hasZone
        self.path = path
    }
}

/// How many images the collection has, and which rule gave the number.
public struct ImageCountInfo: Sendable, Codable, Equatable {
    public var count: Int
    /// E.g. "shape of /entry/data/data (virtual dataset)", "nimages × ntrigger".
    public var source: String
    /// `detectorSpecific/nimages` as written (its meaning depends on the producer).
    public var nimages: Int?
    /// `detectorSpecific/ntrigger` as written.
    public var ntrigger: Int?
    public var triggerMode: String?

    public init(count: Int, source: String, nimages: Int?, ntrigger: Int?, triggerMode: String?) {
        self.count = count
        self.source = source
        self.nimages = nimages
        self.ntrigger = ntrigger
        self.triggerMode = triggerMode
    }
}

/// NXbeam and NXattenuator values.
public struct BeamMetadata: Sendable, Codable, Equatable {
    /// `/entry/source/probe` (NXsource: `x-ray`, `electron`, …) as written; nil when absent
    /// (taken as x-ray).
    public var probe: String?
    public var wavelength: MeasuredValue?
    public var energy: MeasuredValue?
    public var flux: MeasuredValue?
    public var beamSizeX: MeasuredValue?
    public var beamSizeY: MeasuredValue?
    /// Attenuator transmission as a fraction (1 = no attenuation).
    public var transmission: MeasuredValue?

    public init() {}
}

/// NXdetector values.
public struct DetectorMetadata: Sendable, Codable, Equatable {
    public var description: String?
    public var type: String?
    public var serialNumber: String?
    public var firmware: String?
    public var sensorMaterial: String?
    public var sensorThickness: MeasuredValue?
    /// Sample–detector distance.
    public var distance: MeasuredValue?
    public var beamCentreX: MeasuredValue?
    public var beamCentreY: MeasuredValue?
    public var pixelSizeX: MeasuredValue?
    public var pixelSizeY: MeasuredValue?
    /// Exposure time per image.
    public var countTime: MeasuredValue?
    /// Time from one image's start to the next.
    public var frameTime: MeasuredValue?
    public var readoutTime: MeasuredValue?
    public var saturationValue: Double?
    public var underloadValue: Double?
    public var bitDepthReadout: Int?
    public var bitDepthImage: Int?
    public var pixelsX: Int?
    public var pixelsY: Int?

    public init() {}
}

/// NXsample and goniometer values.
public struct SampleMetadata: Sendable, Codable, Equatable {
    public var name: String?
    /// The head of the goniometer chain (`.` = none).
    public var dependsOn: String?
    /// The rotation scan, when an axis rotates between images.
    public var rotation: RotationScan?
    /// True when no rotation axis moves between images (serial stills, grid scans).
    public var isStill: Bool?
    /// Per-image sample positions (fixed-target chips, grid scans), summarised.
    public var positions: PositionSummary?

    public init() {}
}

/// A rotation scan: axis, start, increment per image, total range (degrees).
public struct RotationScan: Sendable, Codable, Equatable {
    public var axis: String
    public var start: Double
    /// Degrees per image; 0 for an event-mode scan, which has no images.
    public var increment: Double
    public var range: Double
    public var path: String
    /// True for one continuous scan recorded as events (DLS Tristan, written by nexgen):
    /// the axis holds the start and end angle, not one angle per image.
    public var continuous: Bool?

    public init(axis: String, start: Double, increment: Double, range: Double, path: String) {
        self.axis = axis
        self.start = start
        self.increment = increment
        self.range = range
        self.path = path
    }
}

/// Per-image x/y sample positions (mm), summarised; the values are in `PerImageMetadata`.
public struct PositionSummary: Sendable, Codable, Equatable {
    public var axes: [String]
    public var images: Int
    public var distinctPositions: Int
    public var xRange: [Double]
    public var yRange: [Double]

    public init(axes: [String], images: Int, distinctPositions: Int, xRange: [Double], yRange: [Double]) {
        self.axes = axes
        self.images = images
        self.distinctPositions = distinctPositions
        self.xRange = xRange
        self.yRange = yRange
    }
}

/// The DLS I24 pump-probe NXnote (nexgen `ssx_eiger_writer`). nexgen leaves out false and
/// zero values (`if v:`), so an absent field means "not written", not false or 0.
public struct PumpProbeNote: Sendable, Codable, Equatable {
    public var path: String
    public var status: Bool?
    /// Laser (pump) exposure.
    public var exposure: MeasuredValue?
    /// Pump–probe delay as written; see `delayEqualsExposure`.
    public var delay: MeasuredValue?
    /// The PUMP_REPEAT PMAC variable (fixed target only).
    public var repeatSetting: Int?
    /// X-ray exposures per chip position (fixed target only).
    public var exposuresPerPosition: Int?
    /// True when `delay == exposure`: the nexgen ≤ 0.11.2 defect that copies pump_exp
    /// into pump_delay, so the written delay must not be trusted.
    public var delayEqualsExposure: Bool

    public init(
        path: String, status: Bool?, exposure: MeasuredValue?, delay: MeasuredValue?, repeatSetting: Int?,
        exposuresPerPosition: Int?, delayEqualsExposure: Bool
    ) {
        self.path = path
        self.status = status
        self.exposure = exposure
        self.delay = delay
        self.repeatSetting = repeatSetting
        self.exposuresPerPosition = exposuresPerPosition
        self.delayEqualsExposure = delayEqualsExposure
    }
}

/// Per-frame start times (s from the first frame), summarised.
public struct FrameTimesSummary: Sendable, Codable, Equatable {
    /// E.g. "odin meta file start_time (ns, detector clock)".
    public var source: String
    public var path: String
    public var frames: Int
    public var first: Double
    public var last: Double
    /// Mean spacing between consecutive frames.
    public var meanInterval: Double?

    public init(source: String, path: String, frames: Int, first: Double, last: Double, meanInterval: Double?) {
        self.source = source
        self.path = path
        self.frames = frames
        self.first = first
        self.last = last
        self.meanInterval = meanInterval
    }
}

/// An external link (or VDS source file) and whether its target was found.
public struct ExternalLinkStatus: Sendable, Codable, Equatable {
    public var path: String
    public var file: String
    public var object: String
    public var resolved: Bool

    public init(path: String, file: String, object: String, resolved: Bool) {
        self.path = path
        self.file = file
        self.object = object
        self.resolved = resolved
    }
}

/// Per-image values from the metadata, index = 0-based frame index (HDF5 order). Kept out
/// of `RunMetadata` so that summaries stay small.
public struct PerImageMetadata: Sendable, Codable, Equatable {
    /// sam_x per image (mm).
    public var sampleX: [Double]?
    /// sam_y per image (mm).
    public var sampleY: [Double]?
    /// Rotation angle at the start of each image (deg).
    public var rotationStart: [Double]?
    /// Start time of each frame, s from the first frame; NaN where the file has none (a
    /// flat array: 8 bytes a frame, not an optional's 16, for 1.8 M frames a run).
    public var frameStart: [Double]?

    public init() {}
}
