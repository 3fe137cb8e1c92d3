/// What a run's per-image quality file says, summarised for summary.json and the report:
/// counts, the spot-finding hit rate with its cut-off, distributions of spots, resolution
/// estimate and score, and means along the scan. The per-image rows themselves go to the
/// store (ImageQualityIndicators), not into the summary.
public struct ImageQualitySummary: Sendable, Codable, Equatable {
    public var file: String
    public var format: ImageQualityFormat
    public var program: String?
    public var images: Int
    /// Dozor rows without a powder-Wilson fit ("no results").
    public var imagesWithoutResults: Int
    /// A hit is an image with more spots than this (DLS's SSX rule `n_spots_total >
    /// spot_count_cutoff`, default 16; mx-results.md §6).
    public var hitSpotCutoff: Int
    public var hits: Int
    public var hitRate: Double?
    public var spots: DistributionSummary
    /// Å: Dozor's visible resolution, or DIALS's estimated d_min.
    public var resolution: DistributionSummary
    /// Dozor's main score (absent for DIALS).
    public var dozorScore: DistributionSummary?
    public var alongScan: ImageQualitySequence
    public var halfDoseTimes: [Double]?
    /// Rows that could not be read (all of them counted in `issuesTotal`).
    public var issues: [IngestIssue]
    public var issuesTotal: Int

    /// The default hit cut-off: more than 16 spots.
    public static let defaultHitSpotCutoff = 16

    public init(_ series: ImageQualitySeries, hitSpotCutoff: Int = defaultHitSpotCutoff, maxIssuesListed: Int = 50) {
        file = series.file
        format = series.format
        program = series.program
        images = series.images.count
        imagesWithoutResults = series.imagesWithoutResults
        self.hitSpotCutoff = hitSpotCutoff
        hits = series.images.count { ($0.spots ?? 0) > hitSpotCutoff }
        hitRate = images > 0 ? Double(hits) / Double(images) : nil
        func finite(_ values: [Double?]) -> [Float32] { values.compactMap { $0 }.filter(\.isFinite).map(Float32.init) }
        spots = DistributionSummary(values: finite(series.images.map { $0.spots.map(Double.init) }), binning: .numpy(bins: 50))
        resolution = DistributionSummary(
            values: finite(series.images.map { $0.resolutionEstimate }), binning: .numpy(bins: 50))
        let scores = finite(series.images.map(\.dozorScore))
        dozorScore = scores.isEmpty ? nil : DistributionSummary(values: scores, binning: .numpy(bins: 50))
        alongScan = ImageQualitySequence(series.images, hitSpotCutoff: hitSpotCutoff)
        halfDoseTimes = series.halfDoseTimes
        issues = Array(series.issues.prefix(maxIssuesListed))
        issuesTotal = series.issues.count
    }
}

/// Means over consecutive windows of images, in image-number order: what the report plots
/// along the scan (spots, hit rate, resolution estimate, score).
public struct ImageQualitySequence: Sendable, Codable, Equatable {
    /// Images per window (the last may hold fewer).
    public var window: Int
    /// The first image number of each window.
    public var start: [Int]
    public var meanSpots: [Double?]
    public var hitRate: [Double]
    /// Mean of the finite resolution estimates in the window (Å), nil when none.
    public var meanResolution: [Double?]
    public var meanDozorScore: [Double?]

    public init(_ images: [ImageQuality], hitSpotCutoff: Int, windows: Int = 100) {
        let ordered = images.sorted { $0.imageNumber < $1.imageNumber }
        window = max(1, (ordered.count + windows - 1) / max(1, windows))
        start = []
        meanSpots = []
        hitRate = []
        meanResolution = []
        meanDozorScore = []
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        var from = 0
        while from < ordered.count {
            let part = ordered[from..<min(from + window, ordered.count)]
            start.append(part.first!.imageNumber)
            meanSpots.append(mean(part.compactMap { $0.spots.map(Double.init) }))
            hitRate.append(Double(part.count { ($0.spots ?? 0) > hitSpotCutoff }) / Double(part.count))
            meanResolution.append(mean(part.compactMap { $0.resolutionEstimate }.filter(\.isFinite)))
            meanDozorScore.append(mean(part.compactMap(\.dozorScore).filter(\.isFinite)))
            from += window
        }
    }
}
