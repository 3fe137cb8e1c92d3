/// Hit and indexing rate along a run's image sequence, in consecutive windows of `window`
/// images: the report's "rates along the run" plot, kept in the results so the report can be
/// re-rendered without the inputs.
///
/// When non-hits were left out of the stream, the chunks alone would show a hit rate of
/// 100 %; then the windows run over the collected image index taken from each chunk's event
/// (`//N`, 0-based in CrystFEL), images without a chunk counting as non-hits.
public struct RateSequence: Sendable, Codable, Equatable {
    /// Images per window (the last window may be shorter).
    public var window: Int
    /// What the windows run over: "image index (event //N)" or "stream order".
    public var axis: String
    /// Index of the first image of each window (0-based).
    public var start: [Int]
    /// Hits / images per window.
    public var hitRate: [Double]
    /// Indexed frames / images per window.
    public var indexedRate: [Double]

    /// About `windows` windows over the `collected` images of `table`'s run.
    public init(table: ImageTable, collected: Int, windows: Int = 100) {
        let indexed = table.indexed
        // Position of each chunk on the axis.
        var positions = Array(0..<table.count)
        var n = table.count
        axis = "stream order"
        if collected > table.count, let fromEvents = FrameIndices.eventIndices(table, limit: collected) {
            positions = fromEvents
            n = collected
            axis = "image index (event //N)"
        }
        let window = max(1, (n + windows - 1) / max(1, windows))
        self.window = window
        let bins = n == 0 ? 0 : (n + window - 1) / window
        var hits = [Int](repeating: 0, count: bins)
        var indexedCounts = [Int](repeating: 0, count: bins)
        for (chunk, position) in positions.enumerated() {
            if table.hit[chunk] { hits[position / window] += 1 }
            if indexed[chunk] { indexedCounts[position / window] += 1 }
        }
        start = (0..<bins).map { $0 * window }
        hitRate = []
        indexedRate = []
        for bin in 0..<bins {
            let size = Double(min(n, (bin + 1) * window) - bin * window)
            hitRate.append(Double(hits[bin]) / size)
            indexedRate.append(Double(indexedCounts[bin]) / size)
        }
    }
}
