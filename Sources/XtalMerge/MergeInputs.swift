import XtalCore

/// One run as the merge stage sees it: its crystals' reflections, which image each crystal
/// is on, and (for a timed run) which time point each image belongs to.
public struct MergeRun: Sendable {
    public var name: String
    /// The crystals' reflections, in stream order (in memory or spilled).
    public var reflections: ReflectionStore
    /// Image row of each crystal (`CrystalTable.imageIndex`).
    public var crystalImage: [UInt32]
    /// Time point of each image row, an index into `timePoints`, −1 for none; nil for a
    /// run without time points.
    public var timePointOfImage: [Int32]?
    public var timePoints: [MergeTimePoint]

    public init(name: String, reflections: ReflectionStore, crystalImage: [UInt32], timePointOfImage: [Int32]? = nil,
                timePoints: [MergeTimePoint] = []) {
        self.name = name
        self.reflections = reflections
        self.crystalImage = crystalImage
        self.timePointOfImage = timePointOfImage
        self.timePoints = timePoints
    }
}

/// A time point's label and laser state (`light`, `dark`, or nil when not known).
public struct MergeTimePoint: Sendable, Equatable {
    public var label: String
    public var laser: String?

    public init(label: String, laser: String?) {
        self.label = label
        self.laser = laser
    }
}

/// A merged dataset to make: which runs, and optionally which time points or laser state.
public struct MergeDatasetSpec: Sendable, Equatable {
    public var name: String
    public var kind: MergedDatasetResults.Kind
    public var runs: [String]
    public var timePoints: [String]?
    /// `light` or `dark`.
    public var laser: String?
    /// CrystFEL point group name; nil = the stage's default.
    public var pointGroup: String?

    public init(name: String, kind: MergedDatasetResults.Kind, runs: [String], timePoints: [String]? = nil,
                laser: String? = nil, pointGroup: String? = nil) {
        self.name = name
        self.kind = kind
        self.runs = runs
        self.timePoints = timePoints
        self.laser = laser
        self.pointGroup = pointGroup
    }

    /// Whether a crystal of `run` on an image of time point `tp` belongs here.
    public func selects(run: String, timePoint tp: MergeTimePoint?) -> Bool {
        guard runs.contains(run) else { return false }
        if let wanted = timePoints {
            guard let tp, wanted.contains(tp.label) else { return false }
        }
        if let laser {
            guard let tp, tp.laser == laser else { return false }
        }
        return true
    }
}

/// How to merge and which figures to give.
public struct MergeOptions: Sendable {
    /// Shells of equal reciprocal volume for the figures (check_hkl's and compare_hkl's
    /// `--nshells`).
    public var shells = 10
    /// Fixed resolution range in Å (`--lowres` / `--highres`); nil = the data's own.
    public var lowResolution: Double?
    public var highResolution: Double?
    /// Reflections measured fewer times are not in the merged list (process_hkl's default 2).
    public var minimumMeasurements = 2
    public var polarisation = PolarisationCorrection.processHKLDefault
    /// Points of the accumulation curve (after each 1/n of the crystals).
    public var accumulationSteps = 20
    /// The point group for datasets that name none; nil = the Laue class of the cell.
    public var pointGroup: String?

    public init() {}
}

/// The unit cell the figures use, and where it came from.
public struct MergeCell: Sendable {
    public var cell: UnitCell
    public var source: String

    public init(cell: UnitCell, source: String) {
        self.cell = cell
        self.source = source
    }
}

/// A merged dataset's three reflection lists, ready to be written.
public struct MergedDatasetLists: Sendable {
    public var name: String
    public var all: MergedReflections
    public var half1: MergedReflections
    public var half2: MergedReflections
}
