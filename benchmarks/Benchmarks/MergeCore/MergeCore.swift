import Benchmark
import Foundation
import XtalCore
import XtalExample
import XtalMerge

/// The merge core at a million crystals of a hundred reflections (100 M observations, made
/// by `SyntheticReflections`): every measurement polarisation-corrected, put into the
/// asymmetric unit and added to the merged list and its half-sets, then the lists made.
/// Twice: on one thread (`UnityMerger.add` crystal by crystal), and as the merge stage runs
/// it (`MergeStage.mergeAll`, the merge pass of a job): the observations in blocks of 2^18
/// rows, as the reader spills them, each block polarisation-corrected ahead on a second
/// thread (`ReflectionStore.forEachBlock(preparingAhead:)`) while the current one is added.
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

    // The same observations as in-memory blocks of about 2^18 rows (2621 crystals of 100).
    let blockCrystals = (1 << 18) / 100
    var store = ReflectionStore()
    var made = 0
    while made < 1_000_000 {
        var block = ReflectionStore()
        block.tail = SyntheticReflections.make(crystals: min(blockCrystals, 1_000_000 - made), seed: 11 + UInt64(made))
        made += block.tail.crystalCount
        store.append(contentsOf: block)
    }
    let blocks = store

    Benchmark("merge core, 100M observations: all + half-sets, as the merge stage (blocks prepared ahead)") { benchmark in
        for _ in benchmark.scaledIterations {
            let sums = try MergeStage.mergeAll(blocks, pointGroup: PointGroup(named: "4/mmm")!)
            blackHole(sums.all.merged(symmetry: "4/mmm").count)
        }
    }
}
