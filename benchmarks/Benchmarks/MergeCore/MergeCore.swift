import Benchmark
import Foundation
import XtalCore
import XtalExample
import XtalMerge

/// The merge core at a million crystals of a hundred reflections (100 M observations, made
/// by `SyntheticReflections`): every measurement polarisation-corrected, put into the
/// asymmetric unit and added to the merged list and its half-sets, then the lists made.
/// The baseline in the same run is one plain pass over the same columns.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 5)
    let table = SyntheticReflections.make(crystals: 1_000_000)

    Benchmark("baseline: one pass over the 100M observations") { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for i in 0..<table.count {
                total += Double(table.intensity[i]) / Double(table.sigma[i]) + Double(table.h[i] &+ table.k[i] &+ table.l[i])
            }
            blackHole(total)
        }
    }

    Benchmark("merge core, 100M observations: all + half-sets") { benchmark in
        for _ in benchmark.scaledIterations {
            var merger = UnityMerger(pointGroup: PointGroup(named: "4/mmm")!)
            var sums = [MergedDatasetSums()]
            for c in 0..<table.crystalCount { merger.add(crystal: c, of: table, to: [0], in: &sums) }
            blackHole(sums[0].all.merged(symmetry: "4/mmm").count)
        }
    }
}
