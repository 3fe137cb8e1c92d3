/// Merged datasets and their figures of merit, as summary.json carries them: what each
/// dataset selected, the symmetry and cell its figures were computed with, `check_hkl`'s
/// shells and `compare_hkl`'s half-set shells, the overall figures, the accumulation curve,
/// and light against dark.
public struct MergingResults: Sendable, Codable, Equatable {
    /// How the merge was made (the model, the options), for the report and the store.
    public var method: String
    public var datasets: [MergedDatasetResults]
    /// Each light time point against the dark one (compare_hkl light.hkl dark.hkl).
    public var lightDark: [MergedListComparison]
    /// Reflection lines that could not be read, over all runs (each listed as an issue).
    public var malformedReflectionLines: Int
    /// The peers' merges of manifest datasets (`merges[].files`), read and checked.
    public var peerMerges: [PeerMergeResults] = []

    public init(method: String, datasets: [MergedDatasetResults], lightDark: [MergedListComparison],
                malformedReflectionLines: Int) {
        self.method = method
        self.datasets = datasets
        self.lightDark = lightDark
        self.malformedReflectionLines = malformedReflectionLines
    }

    enum CodingKeys: String, CodingKey { case method, datasets, lightDark, malformedReflectionLines, peerMerges }

    /// A summary.json written before peer merges were read has none (`xtalreport report`
    /// re-renders such folders).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(String.self, forKey: .method)
        datasets = try c.decode([MergedDatasetResults].self, forKey: .datasets)
        lightDark = try c.decode([MergedListComparison].self, forKey: .lightDark)
        malformedReflectionLines = try c.decode(Int.self, forKey: .malformedReflectionLines)
        peerMerges = try c.decodeIfPresent([PeerMergeResults].self, forKey: .peerMerges) ?? []
    }
}

/// One merged dataset.
public struct MergedDatasetResults: Sendable, Codable, Equatable {
    /// What a dataset is: one run, all runs, a manifest `merges[]` entry, or a time point
    /// across the timed runs.
    public enum Kind: String, Sendable, Codable { case run, allRuns, manifest, timePoint }

    public var name: String
    public var kind: Kind
    /// The runs it draws on, and the time points / laser state it keeps (nil = all).
    public var runs: [String]
    public var timePoints: [String]?
    public var laser: String?
    /// Crystals merged (and the images they came from).
    public var crystals: Int
    public var images: Int
    /// Point group name (CrystFEL's), and where it came from (`manifest` or the Laue class
    /// of the target cell's lattice).
    public var pointGroup: String
    public var pointGroupSource: String
    /// The cell the figures use (Å, degrees) and its source (`target cell` or `median cell`).
    public var cell: [Double]
    public var cellSource: String
    /// `check_hkl` figures of the merged list: shells and overall.
    public var shells: [MergeShellStatistics]
    public var overall: MergeShellStatistics
    /// `compare_hkl` figures of the two half-sets (CC½, CC*, Rsplit): shells and overall.
    public var halfSetShells: [HalfSetShellStatistics]
    public var halfSetOverall: HalfSetShellStatistics
    /// Reflection pairs common to the half-sets.
    public var halfSetPairs: Int
    /// Figures as crystals accumulate, in stream order.
    public var accumulation: [AccumulationPoint]
    /// The reflection lists written, relative to the output folder.
    public var files: [String]
    /// Images → hits → indexed frames → crystals → merged, per run and time point.
    public var lineage: MergeLineage?

    public init(name: String, kind: Kind, runs: [String], timePoints: [String]?, laser: String?, crystals: Int,
                images: Int, pointGroup: String, pointGroupSource: String, cell: [Double], cellSource: String,
                shells: [MergeShellStatistics], overall: MergeShellStatistics, halfSetShells: [HalfSetShellStatistics],
                halfSetOverall: HalfSetShellStatistics, halfSetPairs: Int, accumulation: [AccumulationPoint],
                files: [String]) {
        self.name = name
        self.kind = kind
        self.runs = runs
        self.timePoints = timePoints
        self.laser = laser
        self.crystals = crystals
        self.images = images
        self.pointGroup = pointGroup
        self.pointGroupSource = pointGroupSource
        self.cell = cell
        self.cellSource = cellSource
        self.shells = shells
        self.overall = overall
        self.halfSetShells = halfSetShells
        self.halfSetOverall = halfSetOverall
        self.halfSetPairs = halfSetPairs
        self.accumulation = accumulation
        self.files = files
    }
}

/// One `check_hkl` shell (or the overall row): 1/d in nm⁻¹, d in Å, completeness in %.
public struct MergeShellStatistics: Sendable, Codable, Equatable {
    public var minInverseNm: Double
    public var maxInverseNm: Double
    public var dMaxAngstrom: Double
    public var dMinAngstrom: Double
    public var measured: Int
    public var possible: Int
    public var completenessPercent: Double
    public var measurements: Int
    public var redundancy: Double
    public var meanSignalToNoise: Double
    public var meanIntensity: Double

    public init(minInverseNm: Double, maxInverseNm: Double, measured: Int, possible: Int, completenessPercent: Double,
                measurements: Int, redundancy: Double, meanSignalToNoise: Double, meanIntensity: Double) {
        self.minInverseNm = minInverseNm
        self.maxInverseNm = maxInverseNm
        dMaxAngstrom = 10 / minInverseNm
        dMinAngstrom = 10 / maxInverseNm
        self.measured = measured
        self.possible = possible
        self.completenessPercent = completenessPercent
        self.measurements = measurements
        self.redundancy = redundancy
        self.meanSignalToNoise = meanSignalToNoise
        self.meanIntensity = meanIntensity
    }
}

/// One `compare_hkl` shell of two lists (or the overall row); Rsplit and R1(I) in %.
public struct HalfSetShellStatistics: Sendable, Codable, Equatable {
    public var minInverseNm: Double
    public var maxInverseNm: Double
    public var dMaxAngstrom: Double
    public var dMinAngstrom: Double
    public var pairs: Int
    public var cc: Double
    public var ccStar: Double
    public var rSplitPercent: Double
    public var r1IPercent: Double

    public init(minInverseNm: Double, maxInverseNm: Double, pairs: Int, cc: Double, ccStar: Double,
                rSplitPercent: Double, r1IPercent: Double) {
        self.minInverseNm = minInverseNm
        self.maxInverseNm = maxInverseNm
        dMaxAngstrom = 10 / minInverseNm
        dMinAngstrom = 10 / maxInverseNm
        self.pairs = pairs
        self.cc = cc
        self.ccStar = ccStar
        self.rSplitPercent = rSplitPercent
        self.r1IPercent = r1IPercent
    }
}

/// The figures of a dataset after its first `crystals` crystals, in the final dataset's
/// resolution range (so the highest shell is the same shell at every point).
public struct AccumulationPoint: Sendable, Codable, Equatable {
    public var crystals: Int
    public var ccHalf: Double
    public var ccHalfHighestShell: Double
    public var completenessPercent: Double
    public var meanSignalToNoise: Double

    public init(crystals: Int, ccHalf: Double, ccHalfHighestShell: Double, completenessPercent: Double,
                meanSignalToNoise: Double) {
        self.crystals = crystals
        self.ccHalf = ccHalf
        self.ccHalfHighestShell = ccHalfHighestShell
        self.completenessPercent = completenessPercent
        self.meanSignalToNoise = meanSignalToNoise
    }
}

/// Two merged datasets compared as `compare_hkl first.hkl second.hkl` does (second scaled
/// onto first): CC, R1(I) and the Rsplit formula, overall and per shell, beside the two
/// datasets' own half-set Rsplit, so a user sees whether the difference exceeds the noise.
public struct MergedListComparison: Sendable, Codable, Equatable {
    public var first: String
    public var second: String
    public var pairs: Int
    public var relativeScale: Double?
    public var relativeBSquareAngstrom: Double?
    public var overall: HalfSetShellStatistics
    public var shells: [HalfSetShellStatistics]
    /// The half-set CC½ and Rsplit of each dataset, for comparison.
    public var firstCCHalf: Double
    public var secondCCHalf: Double
    public var firstRSplitPercent: Double
    public var secondRSplitPercent: Double

    public init(first: String, second: String, pairs: Int, relativeScale: Double?, relativeBSquareAngstrom: Double?,
                overall: HalfSetShellStatistics, shells: [HalfSetShellStatistics], firstCCHalf: Double,
                secondCCHalf: Double, firstRSplitPercent: Double, secondRSplitPercent: Double) {
        self.first = first
        self.second = second
        self.pairs = pairs
        self.relativeScale = relativeScale
        self.relativeBSquareAngstrom = relativeBSquareAngstrom
        self.overall = overall
        self.shells = shells
        self.firstCCHalf = firstCCHalf
        self.secondCCHalf = secondCCHalf
        self.firstRSplitPercent = firstRSplitPercent
        self.secondRSplitPercent = secondRSplitPercent
    }
}
