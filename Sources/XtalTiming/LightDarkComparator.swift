import XtalCore

/// Light against dark: the difference of each core statistic and its standard uncertainty.
///
/// Rates are binomial proportions, σ² = p(1 − p)/n per group; cell parameters and the
/// resolution limit compare means, σ² = s²/n per group (s the population standard
/// deviation). The two groups' variances add (independent images).
public enum LightDarkComparator {
    public static func compare(light: StatisticsAccumulator, dark: StatisticsAccumulator) -> LightDarkComparison {
        let l = light.finalize()
        let d = dark.finalize()
        var differences = [
            proportion("hit rate", successes: (light.hits, dark.hits), trials: (light.images, dark.images)),
            proportion("indexing rate (of hits)", successes: (light.indexedHits, dark.indexedHits), trials: (light.hits, dark.hits)),
        ]
        for ((name, ls), (_, ds)) in zip(l.cell.all, d.cell.all) {
            let unit = ["a", "b", "c"].contains(name) ? "Å" : "deg"
            differences.append(mean(name, unit: unit, ls, ds))
        }
        differences.append(mean("resolution limit", unit: "Å", l.resolutionLimit.distribution, d.resolutionLimit.distribution))
        return LightDarkComparison(light: l, dark: d, differences: differences)
    }

    static func proportion(_ name: String, successes: (Int, Int), trials: (Int, Int)) -> TimedDifference {
        func p(_ x: Int, _ n: Int) -> Double? { n > 0 ? Double(x) / Double(n) : nil }
        let pl = p(successes.0, trials.0)
        let pd = p(successes.1, trials.1)
        guard let pl, let pd else {
            return TimedDifference(quantity: name, unit: "fraction", light: pl, dark: pd, difference: nil, uncertainty: nil)
        }
        let variance = pl * (1 - pl) / Double(trials.0) + pd * (1 - pd) / Double(trials.1)
        return TimedDifference(
            quantity: name, unit: "fraction", light: pl, dark: pd, difference: pl - pd, uncertainty: variance.squareRoot())
    }

    static func mean(_ name: String, unit: String, _ l: DistributionSummary, _ d: DistributionSummary) -> TimedDifference {
        guard let ml = l.mean, let md = d.mean, let sl = l.standardDeviation, let sd = d.standardDeviation else {
            return TimedDifference(quantity: name, unit: unit, light: l.mean, dark: d.mean, difference: nil, uncertainty: nil)
        }
        let variance = sl * sl / Double(l.count) + sd * sd / Double(d.count)
        return TimedDifference(
            quantity: name, unit: unit, light: ml, dark: md, difference: ml - md, uncertainty: variance.squareRoot())
    }
}
