/// What went into one merged dataset, step by step: images of the selection, hits,
/// indexed frames, crystals, crystals merged and crystals rejected, for the whole dataset
/// and for each run and time point it draws on. The totals are the sums of the parts
/// (`MergeLineage.init(parts:…)` makes them so); a part with no images is listed, never
/// dropped.
public struct MergeLineage: Sendable, Codable, Equatable {
    /// One run's share (and one time point of it, for a timed run).
    public struct Part: Sendable, Codable, Equatable {
        public var run: String
        /// nil for a run without time points.
        public var timePoint: String?
        public var images: Int
        public var hits: Int
        public var indexedFrames: Int
        public var crystals: Int

        public init(run: String, timePoint: String?, images: Int, hits: Int, indexedFrames: Int, crystals: Int) {
            self.run = run
            self.timePoint = timePoint
            self.images = images
            self.hits = hits
            self.indexedFrames = indexedFrames
            self.crystals = crystals
        }
    }

    public var images: Int
    public var hits: Int
    public var indexedFrames: Int
    public var crystals: Int
    /// Crystals in the merged list (xtalreport's merge keeps every crystal; a peer's may not).
    public var crystalsMerged: Int
    /// Crystals left out, by reason (a peer's rejection flags, as it names them).
    public var crystalsRejected: [String: Int]
    public var parts: [Part]

    /// The totals as the sums of `parts`.
    public init(parts: [Part], crystalsMerged: Int, crystalsRejected: [String: Int] = [:]) {
        self.parts = parts
        images = parts.reduce(0) { $0 + $1.images }
        hits = parts.reduce(0) { $0 + $1.hits }
        indexedFrames = parts.reduce(0) { $0 + $1.indexedFrames }
        crystals = parts.reduce(0) { $0 + $1.crystals }
        self.crystalsMerged = crystalsMerged
        self.crystalsRejected = crystalsRejected
    }
}
