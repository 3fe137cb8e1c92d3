/// One time point of a run (or of all runs with the same label): the images assigned to
/// it and all the core statistics over them.
public struct TimePointStatistics: Sendable, Codable, Equatable {
    /// Dataset name used in the split files (`dark`, `light_10us`, `dose_2` …; no spaces).
    public var label: String
    /// Laser on (true), off (false), or not applicable (nil: no pump, or a reaction trigger).
    public var laserOn: Bool?
    /// Nominal delay in seconds (probe − pump), nil for dark images or an unknown delay.
    public var delay: Double?
    /// Dose point index (image index mod shots per position), nil when it varies.
    public var dosePoint: Int?
    /// How the delay is known: `nominal (event chain)`, `measured (…)`, `unknown (…)`.
    public var delaySource: String
    /// Images of the run assigned to this time point, including images left out of the
    /// stream when their index is known (their state follows from the pattern).
    public var imagesCollected: Int
    /// Statistics over the images in the results (`statistics.imagesCollected` equals
    /// `imagesCollected` above).
    public var statistics: RunStatistics

    public init(
        label: String, laserOn: Bool?, delay: Double?, dosePoint: Int?, delaySource: String, imagesCollected: Int,
        statistics: RunStatistics
    ) {
        self.label = label
        self.laserOn = laserOn
        self.delay = delay
        self.dosePoint = dosePoint
        self.delaySource = delaySource
        self.imagesCollected = imagesCollected
        self.statistics = statistics
    }
}

/// One quantity compared between light and dark images: the difference (light − dark),
/// its standard uncertainty and whether the difference exceeds it.
public struct TimedDifference: Sendable, Codable, Equatable {
    /// `hit rate`, `indexing rate`, `a` … `gamma`.
    public var quantity: String
    public var unit: String
    public var light: Double?
    public var dark: Double?
    /// light − dark.
    public var difference: Double?
    /// Standard uncertainty of the difference: binomial for rates, standard errors of the
    /// means for cell parameters, combined in quadrature.
    public var uncertainty: Double?
    /// |difference| / uncertainty.
    public var sigmas: Double?
    /// |difference| > uncertainty.
    public var exceedsUncertainty: Bool

    public init(
        quantity: String, unit: String, light: Double?, dark: Double?, difference: Double?, uncertainty: Double?
    ) {
        self.quantity = quantity
        self.unit = unit
        self.light = light
        self.dark = dark
        self.difference = difference
        self.uncertainty = uncertainty
        if let d = difference, let u = uncertainty, u > 0 {
            sigmas = abs(d) / u
            exceedsUncertainty = abs(d) > u
        } else {
            sigmas = nil
            exceedsUncertainty = false
        }
    }
}

/// All light images against all dark images.
public struct LightDarkComparison: Sendable, Codable, Equatable {
    public var light: RunStatistics
    public var dark: RunStatistics
    public var differences: [TimedDifference]

    public init(light: RunStatistics, dark: RunStatistics, differences: [TimedDifference]) {
        self.light = light
        self.dark = dark
        self.differences = differences
    }
}

/// The checks that make a split trustworthy (shared/docs/time-resolved.md §7): the time
/// points partition the run, and each export assigns what the table assigns.
public struct TimingInvariants: Sendable, Codable, Equatable {
    /// Images collected in the run.
    public var imagesCollected: Int
    /// Images with a time point.
    public var imagesAssigned: Int
    /// Images without one (state unknown: left out of the stream and no pattern).
    public var imagesUnassigned: Int
    /// Σ hits over the time points equals the run's hits (and likewise images, crystals).
    public var sumsMatchRun: Bool
    /// Chunks in the stream whose frame index came from `how` (`event //N`, …).
    public var frameIndexBasis: String
    /// Images whose header laser flag disagreed with the declared pattern (header wins).
    public var headerPatternDisagreements: Int
    /// Time points with no image.
    public var emptyTimePoints: [String]
    /// Human-readable problems; empty when every check passed.
    public var problems: [String]

    public init(
        imagesCollected: Int, imagesAssigned: Int, imagesUnassigned: Int, sumsMatchRun: Bool, frameIndexBasis: String,
        headerPatternDisagreements: Int, emptyTimePoints: [String], problems: [String]
    ) {
        self.imagesCollected = imagesCollected
        self.imagesAssigned = imagesAssigned
        self.imagesUnassigned = imagesUnassigned
        self.sumsMatchRun = sumsMatchRun
        self.frameIndexBasis = frameIndexBasis
        self.headerPatternDisagreements = headerPatternDisagreements
        self.emptyTimePoints = emptyTimePoints
        self.problems = problems
    }
}

/// A run's time-resolved results: its chain, per-time-point statistics, light vs dark.
public struct TimeResolvedResults: Sendable, Codable, Equatable {
    /// The chain applied (from the manifest or derived from the master file's note).
    public var chain: EventChain
    /// Shots per sample position (dose points).
    public var shotsPerPosition: Int
    public var timePoints: [TimePointStatistics]
    /// Present when the run has both light and dark images.
    public var lightDark: LightDarkComparison?
    public var invariants: TimingInvariants
    /// Notes on the timing sources (e.g. the master file's untrusted delay).
    public var notes: [String]

    public init(
        chain: EventChain, shotsPerPosition: Int, timePoints: [TimePointStatistics], lightDark: LightDarkComparison?,
        invariants: TimingInvariants, notes: [String]
    ) {
        self.chain = chain
        self.shotsPerPosition = shotsPerPosition
        self.timePoints = timePoints
        self.lightDark = lightDark
        self.invariants = invariants
        self.notes = notes
    }
}

/// What the split files hold and whether their group sizes match the per-image table.
public struct SplitFilesSummary: Sendable, Codable, Equatable {
    /// partialator `--custom-split` file.
    public var customSplit: String
    /// Lines in it (one per image in the streams of the timed runs).
    public var customSplitLines: Int
    /// Hits of the timed runs that the custom split lists (must be all of them).
    public var hitsListed: Int
    public var hitsInRuns: Int
    /// DIALS/xia2 grouping YAML, nil when no run has an h5/nxs image file to key on.
    public var groupingYAML: String?
    /// HDF5 file with per-image group values, when a pattern needed one.
    public var groupingArrays: String?
    /// DIALS group name → time point label and image count, as DIALS would form them.
    public var dialsGroups: [DIALSGroup]
    /// Problems found while checking the exports (runs left out, hits without a time point,
    /// disagreements); empty when all is well.
    public var problems: [String]
    /// False when an export disagrees with the per-image table (a DIALS group of the wrong
    /// size, a custom split that reads back differently): the files must not be used.
    public var consistent: Bool

    /// One group as DIALS's grouping would form it from the YAML.
    public struct DIALSGroup: Sendable, Codable, Equatable {
        public var name: String
        public var value: Int
        public var label: String
        public var images: Int
        public var expectedImages: Int

        public init(name: String, value: Int, label: String, images: Int, expectedImages: Int) {
            self.name = name
            self.value = value
            self.label = label
            self.images = images
            self.expectedImages = expectedImages
        }
    }

    public init(
        customSplit: String, customSplitLines: Int, hitsListed: Int, hitsInRuns: Int, groupingYAML: String?,
        groupingArrays: String?, dialsGroups: [DIALSGroup], problems: [String], consistent: Bool
    ) {
        self.consistent = consistent
        self.customSplit = customSplit
        self.customSplitLines = customSplitLines
        self.hitsListed = hitsListed
        self.hitsInRuns = hitsInRuns
        self.groupingYAML = groupingYAML
        self.groupingArrays = groupingArrays
        self.dialsGroups = dialsGroups
        self.problems = problems
    }
}
