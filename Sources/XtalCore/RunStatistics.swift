/// The finished statistics of one run or of several combined: what `stats`, `summary.json`,
/// the store and the report all read. Counts follow CrystFEL's definitions (see
/// shared/docs/crystfel-stream.md §6); rates are nil when their denominator is 0.
public struct RunStatistics: Sendable, Equatable, Codable {
    /// Images processed: chunks seen, or the indexamajig `Final:` count when larger
    /// (non-hits left out of the stream with `--no-non-hits-in-stream`).
    public var images: Int
    /// Images collected: from the run's master file when it has one, else `images`.
    public var imagesCollected: Int
    /// Good chunks read from the stream(s).
    public var chunks: Int
    /// Images judged hits (see `ImageTable.hit`).
    public var hits: Int
    /// Hits with no crystal.
    public var nonIndexedHits: Int
    /// Images with at least one crystal (CrystFEL's "indexable").
    public var indexedFrames: Int
    /// Images whose `indexed_by` is not `none` (normally equal to `indexedFrames`).
    public var indexedByMethod: Int
    /// Crystal blocks.
    public var crystals: Int
    /// Images with two or more crystals.
    public var multiLatticeFrames: Int
    /// Images that were not hits: `imagesCollected − hits` (py-ISPyB: numberOfImages − nbHits).
    public var skippedImages: Int
    public var hitRate: Double?
    /// Indexed frames / hits.
    public var indexingRateOfHits: Double?
    /// Indexed frames / images.
    public var indexingRateOverall: Double?
    /// Chunks with `hit = 1`, `hit = 0`, and no `hit` line.
    public var hitLines: HitLineCounts
    /// Σ `num_peaks` over all chunks.
    public var sumNumPeaks: UInt64
    /// Crystals per lattice type name (`tetragonal` …).
    public var latticeTypes: [String: Int]
    /// Crystals per centering letter.
    public var centerings: [String: Int]
    /// Crystals per "lattice centering" pair, e.g. `tetragonal P`.
    public var latticeCenterings: [String: Int]
    /// Unit cell: a, b, c in Å, α, β, γ in degrees, histograms by py-ISPyB's rule.
    public var cell: CellStatistics
    /// Per-crystal `diffraction_resolution_limit` (Å, finite values).
    public var resolutionLimit: ResolutionStatistics
    /// `num_peaks` per image, all images.
    public var peaksPerFrame: DistributionSummary
    /// Per-image `peak_resolution` (Å) of hits with a finite estimate.
    public var peakResolution: DistributionSummary

    /// Chunk counts by their `hit =` line.
    public struct HitLineCounts: Sendable, Equatable, Codable {
        public var hit1: Int
        public var hit0: Int
        public var absent: Int
    }

    /// The six cell parameter distributions.
    public struct CellStatistics: Sendable, Equatable, Codable {
        public var a: DistributionSummary
        public var b: DistributionSummary
        public var c: DistributionSummary
        public var alpha: DistributionSummary
        public var beta: DistributionSummary
        public var gamma: DistributionSummary

        public var all: [(name: String, summary: DistributionSummary)] {
            [("a", a), ("b", b), ("c", c), ("alpha", alpha), ("beta", beta), ("gamma", gamma)]
        }
    }

    /// Resolution limits: distribution of finite values plus what had none.
    public struct ResolutionStatistics: Sendable, Equatable, Codable {
        public var distribution: DistributionSummary
        /// Best (smallest) limit in Å.
        public var best: Double?
        /// Crystals whose limit read `inf A` (fewer than three peaks near lattice points).
        public var noEstimate: Int
        /// Crystals without a limit line (`--no-refls-in-stream`).
        public var absent: Int
    }
}
