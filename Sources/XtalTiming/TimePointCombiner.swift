import XtalCore

/// Experiment-wide time points: the runs' time points combined by label (exactly, by
/// combining their accumulators), in the engine's order — dark, no-laser points, light;
/// then by delay and dose point.
public struct TimePointCombiner {
    public private(set) var timePoints: [TimePointStatistics] = []
    public private(set) var lightDark: LightDarkComparison?
    /// Collected images per label over all runs.
    public private(set) var imagesPerLabel: [String: Int] = [:]

    public init(_ runs: [TimedRun]) {
        var order: [String] = []
        var accumulators: [String: StatisticsAccumulator] = [:]
        var first: [String: TimePointStatistics] = [:]
        var light = StatisticsAccumulator()
        var dark = StatisticsAccumulator()
        var haveLight = false
        var haveDark = false
        for run in runs {
            for (point, accumulator) in zip(run.results.timePoints, run.timePointAccumulators) {
                if var known = first[point.label] {
                    if known.dosePoint != point.dosePoint { known.dosePoint = nil }
                    if known.delaySource != point.delaySource { known.delaySource = "differs between runs" }
                    known.imagesCollected += point.imagesCollected
                    first[point.label] = known
                } else {
                    order.append(point.label)
                    first[point.label] = point
                }
                accumulators[point.label, default: StatisticsAccumulator()].combine(accumulator)
            }
            if let l = run.light {
                light.combine(l)
                haveLight = true
            }
            if let d = run.dark {
                dark.combine(d)
                haveDark = true
            }
        }
        var points = order.map { label -> TimePointStatistics in
            var p = first[label]!
            p.statistics = accumulators[label]!.finalize()
            return p
        }
        points.sort { Self.precedes($0, $1) }
        timePoints = points
        for p in points { imagesPerLabel[p.label] = p.imagesCollected }
        if haveLight, haveDark { lightDark = LightDarkComparator.compare(light: light, dark: dark) }
    }

    /// The engine's order of time points.
    public static func precedes(_ p: TimePointStatistics, _ q: TimePointStatistics) -> Bool {
        func rank(_ on: Bool?) -> Int { on == false ? 0 : on == nil ? 1 : 2 }
        if rank(p.laserOn) != rank(q.laserOn) { return rank(p.laserOn) < rank(q.laserOn) }
        let dp = p.delay ?? -.infinity
        let dq = q.delay ?? -.infinity
        if dp != dq { return dp < dq }
        if (p.dosePoint ?? -1) != (q.dosePoint ?? -1) { return (p.dosePoint ?? -1) < (q.dosePoint ?? -1) }
        return p.label < q.label
    }
}
