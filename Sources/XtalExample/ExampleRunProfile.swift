/// What one synthetic run looks like: its size and rates, and how it was "processed".
struct ExampleRunProfile {
    var name: String
    var images: Int
    /// Fraction of images that are hits.
    var hitRate: Double
    /// Fraction of hits that index.
    var indexingRate: Double
    /// Interleaved pump-probe: `laser_on` = 1 on even images, 0 on odd ones.
    var pumpProbe: Bool
    /// Written with `--no-non-hits-in-stream`.
    var nonHitsLeftOut: Bool

    /// CrystFEL's hit threshold in the example's command lines.
    static let minPeaks = 10
}

/// Counts kept while writing a run, for its indexamajig log and for tests.
public struct ExampleRunCounts: Sendable, Equatable {
    public var images = 0
    public var hits = 0
    public var indexed = 0
    public var crystals = 0
    public var chunksWritten = 0
}
