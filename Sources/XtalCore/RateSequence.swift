/// Hit and indexing rate along a run's image sequence (in stream order), in consecutive
/// windows of `window` images: the report's "rates along the run" plot, kept in the results
/// so the report can be re-rendered without the inputs.
public struct RateSequence: Sendable, Codable, Equatable {
    /// Images per window (the last window may be shorter).
    public var window: Int
    /// Index of the first image of each window (0-based, stream order).
    public var start: [Int]
    /// Hits / images per window.
    public var hitRate: [Double]
    /// Indexed frames / images per window.
    public var indexedRate: [Double]

    /// About `windows` windows over `table`.
    public init(table: ImageTable, windows: Int = 100) {
        let n = table.count
        window = max(1, (n + windows - 1) / max(1, windows))
        start = []
        hitRate = []
        indexedRate = []
        let indexed = table.indexed
        var first = 0
        while first < n {
            let last = min(n, first + window)
            var hits = 0
            var indexedCount = 0
            for i in first..<last {
                if table.hit[i] { hits += 1 }
                if indexed[i] { indexedCount += 1 }
            }
            let size = Double(last - first)
            start.append(first)
            hitRate.append(Double(hits) / size)
            indexedRate.append(Double(indexedCount) / size)
            first = last
        }
    }
}
