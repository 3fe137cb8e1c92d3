/// The kinds of event in an ISPyB event chain (`EventType.name`; ids from ispyb-database
/// `lookups.sql`: 1 XrayDetection, 2 XrayExposure, 3 LaserExcitation, 4 ReactionTrigger).
public enum TimingEventType: String, Sendable, Codable, CaseIterable {
    case xrayDetection = "XrayDetection"
    case xrayExposure = "XrayExposure"
    case laserExcitation = "LaserExcitation"
    case reactionTrigger = "ReactionTrigger"

    /// `EventType.eventTypeId` in ISPyB.
    public var ispybID: Int {
        switch self {
        case .xrayDetection: 1
        case .xrayExposure: 2
        case .laserExcitation: 3
        case .reactionTrigger: 4
        }
    }

    /// Decodes the ISPyB name; an unknown one is an error that lists the known names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let type = TimingEventType(rawValue: name) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown event type '\(name)' (expected one of "
                    + Self.allCases.map(\.rawValue).sorted().joined(separator: ", ") + ")")
        }
        self = type
    }

    /// True for the events that start a reaction (the "pump").
    public var isPump: Bool { self == .laserExcitation || self == .reactionTrigger }
}

/// One event of a chain, with ISPyB's columns (`Event`: offset, duration, period in s,
/// repetition as a float; `componentId` by name for reaction triggers).
public struct TimingEvent: Sendable, Codable, Equatable {
    public var type: TimingEventType
    public var name: String?
    /// Start relative to the chain's origin, in seconds, as the source wrote it.
    public var offset: Double
    public var duration: Double?
    public var period: Double?
    public var repetition: Double?
    /// The substance a reaction trigger mixes in.
    public var component: String?

    public init(
        type: TimingEventType, name: String? = nil, offset: Double, duration: Double? = nil, period: Double? = nil,
        repetition: Double? = nil, component: String? = nil
    ) {
        self.type = type
        self.name = name
        self.offset = offset
        self.duration = duration
        self.period = period
        self.repetition = repetition
        self.component = component
    }
}

/// How a source signs the pump event's offset; the engine converts every one of them to
/// its own convention, `delay = t(probe start) − t(pump start)` (positive: probe after
/// pump). Facts from shared/docs/time-resolved.md §2.3 (mx-bluesky `serial/dcid.py`).
public enum DelayConvention: String, Sendable, Codable, CaseIterable {
    /// ISPyB as documented: every offset is a start time on one clock, so
    /// delay = probe offset − pump offset. DLS I24 fixed-target chains follow it (laser
    /// offset −laser_delay: pump before the first probe; +laser_delay for "Short 2", a pump
    /// during the exposure).
    case ispyb
    /// DLS I24 fixed target: identical to `ispyb`, named so the source is recorded.
    case i24FixedTarget = "i24-fixed-target"
    /// DLS I24 extruder: mx-bluesky writes +laser_delay as the laser's offset although the
    /// laser fires at t = 0 and the detector laser_delay later, so delay = +offset
    /// (the pump's real offset is −offset).
    case i24Extruder = "i24-extruder"

    /// The pump's start on the probe's clock, from the offset `written` by the source.
    public func pumpStart(written offset: Double) -> Double {
        switch self {
        case .ispyb, .i24FixedTarget: offset
        case .i24Extruder: -offset
        }
    }

    /// What the convention means, for reports.
    public var explanation: String {
        switch self {
        case .ispyb: "ISPyB offsets (delay = probe offset − pump offset)"
        case .i24FixedTarget: "DLS I24 fixed target (laser offset = −laser_delay; delay = −offset)"
        case .i24Extruder: "DLS I24 extruder (laser offset written as +laser_delay; delay = +offset)"
        }
    }
}

/// How a run's laser state is known per image, besides a copied header value.
public enum LaserPattern: Sendable, Codable, Equatable {
    /// Every image is pumped (a pump event and nothing else said).
    case allPumped
    /// Images alternate: image i is pumped when `i mod stride == 0` (I19-2 stream2 style
    /// excited/ground interleave; `stride` 2 = light, dark, light …).
    case interleave(stride: Int)
    /// Chip positions alternate: position `i div shotsPerPosition` is pumped when even.
    /// In a snake raster with an even row length this is the 2-D checkerboard (DLS I24
    /// "checker pattern", which no file records per image).
    case checker
}

/// Timing details real experiments need that ISPyB's chain has no column for
/// (DLS I24 PMAC variables and parameters, shared/docs/time-resolved.md §2.2).
public struct FacilityTiming: Sendable, Codable, Equatable {
    /// Pre-illumination before the pump (s), I24 `pre_pump_exposure_s`.
    public var prePumpExposure: Double?
    /// I24 pump mode, e.g. `Repeat3` (excite and visit again), `Short2`, `Medium1`.
    public var pumpMode: String?
    /// Trigger period of the extruder gate (s).
    public var gateStep: Double?
    /// Shutter behaviour, e.g. "closes every position".
    public var shutter: String?

    public init() {}

    /// True when nothing is set.
    public var isEmpty: Bool { prePumpExposure == nil && pumpMode == nil && gateStep == nil && shutter == nil }
}

/// A run's timing description: ISPyB's event chain plus what it cannot say. One chain
/// applies to every image of a run; its time origin is the first probe of each sample
/// position, and it repeats for every position (`repetition` of the X-ray event = shots
/// per position).
public struct EventChain: Sendable, Codable, Equatable {
    public var name: String
    public var events: [TimingEvent]
    /// How the source signed the pump offset.
    public var convention: DelayConvention
    /// Per-image laser state when no header says it (nil: from the pump event alone).
    public var laserPattern: LaserPattern?
    /// Stream header key with a per-image laser flag (non-zero = on); nil = look for a
    /// column named `laser_on` (or `pump_laser_on`, `optical_laser_active`).
    public var laserHeader: String?
    /// Stream header key with a measured per-image delay in seconds.
    public var delayHeader: String?
    /// True when the offsets were measured (scope, timing system), not requested values.
    public var measured: Bool
    public var facility: FacilityTiming
    /// Where the chain came from: `manifest`, or the master file's note.
    public var source: String

    public init(
        name: String, events: [TimingEvent], convention: DelayConvention = .ispyb, laserPattern: LaserPattern? = nil,
        laserHeader: String? = nil, delayHeader: String? = nil, measured: Bool = false,
        facility: FacilityTiming = FacilityTiming(), source: String = "manifest"
    ) {
        self.name = name
        self.events = events
        self.convention = convention
        self.laserPattern = laserPattern
        self.laserHeader = laserHeader
        self.delayHeader = delayHeader
        self.measured = measured
        self.facility = facility
        self.source = source
    }

    /// The probe: the first X-ray detection event, else the first X-ray exposure.
    public var probe: TimingEvent? {
        events.first { $0.type == .xrayDetection } ?? events.first { $0.type == .xrayExposure }
    }

    /// The pump: the first laser excitation, else the first reaction trigger.
    public var pump: TimingEvent? {
        events.first { $0.type == .laserExcitation } ?? events.first { $0.type == .reactionTrigger }
    }

    /// Images per sample position: the probe's repetition (≥ 1).
    public var shotsPerPosition: Int {
        guard let r = probe?.repetition, r.isFinite, r >= 1 else { return 1 }
        return Int(Swift.min(r, Self.maximumRepetition).rounded())
    }

    /// Repetitions beyond this are taken as this many (the manifest refuses them; a chain
    /// from elsewhere is bounded here): far more than any experiment uses.
    public static let maximumRepetition = 1_000_000.0
}
