import Foundation
import XtalCore

/// The merge stage: every dataset of a job merged from one pass over the runs' reflection
/// tables, then its figures of merit, its accumulation curve, and light against dark.
///
/// Crystals are taken in run order, each run's in stream order (the order `process_hkl`
/// reads them), so a dataset of one whole stream gives process_hkl's lists exactly and
/// half-sets alternate as its `--even-only` / `--odd-only` do. Figures are computed on the
/// lists as written and read back (two decimals, 32-bit floats), so they are what
/// check_hkl and compare_hkl print for the written files.
public enum MergeStage {
    public struct Output: Sendable {
        public var results: MergingResults
        public var lists: [MergedDatasetLists]
    }

    public static func run(runs: [MergeRun], datasets specs: [MergeDatasetSpec], cell mergeCell: MergeCell,
                           options: MergeOptions = MergeOptions(), malformedReflectionLines: Int = 0) throws -> Output {
        let cell = mergeCell.cell
        // The point group of each dataset.
        var groups: [PointGroup] = []
        var groupOf: [Int] = []
        var groupSource: [String] = []
        for spec in specs {
            let (group, source) = try resolveGroup(spec.pointGroup ?? options.pointGroup, cell: cell,
                                                   fromManifest: spec.pointGroup != nil || options.pointGroup != nil)
            if let i = groups.firstIndex(of: group) { groupOf.append(i) } else {
                groups.append(group)
                groupOf.append(groups.count - 1)
            }
            groupSource.append(source)
        }

        // Crystals per dataset, for the accumulation checkpoints.
        let membership = runs.map { run in membershipTable(run: run, specs: specs) }
        var totals = [Int](repeating: 0, count: specs.count)
        for (r, run) in runs.enumerated() {
            for c in 0..<run.reflections.crystalCount {
                for d in membership[r][slot(run, crystal: c)] { totals[d] += 1 }
            }
        }
        let steps = max(1, options.accumulationSteps)
        let checkpoints: [[Int]] = totals.map { n in
            n == 0 ? [] : Array(Set((1...steps).map { ($0 * n + steps - 1) / steps })).sorted()
        }

        // One pass over the crystals per share of the datasets, the shares on all cores.
        // Each dataset is merged by exactly one pass, in crystal order, so the result is the
        // same however the datasets are shared out.
        let shares = shareOut(totals, parts: min(specs.count, ProcessInfo.processInfo.activeProcessorCount))
        let (fixedGroups, fixedGroupOf, polarisation) = (groups, groupOf, options.polarisation)
        let minimum = options.minimumMeasurements
        let passes = try ParallelMap.map(shares.count) { k in
            Result { try mergePass(runs: runs, membership: membership.map { $0.map { $0.filter(shares[k].contains) } },
                      groups: fixedGroups, groupOf: fixedGroupOf, datasets: specs.count, checkpoints: checkpoints,
                      polarisation: polarisation, minimumMeasurements: minimum) }
        }.map { try $0.get() }
        var sums = [MergedDatasetSums](repeating: MergedDatasetSums(), count: specs.count)
        var snapshots = [[AccumulationSnapshot]](repeating: [], count: specs.count)
        var images = [Int](repeating: 0, count: specs.count)
        for (k, pass) in passes.enumerated() {
            for d in shares[k] {
                sums[d] = pass.sums[d]
                snapshots[d] = pass.snapshots[d]
                images[d] = pass.images[d]
            }
        }

        // Lists, as written and read back.
        var lists: [MergedDatasetLists] = []
        for (d, spec) in specs.enumerated() {
            let symmetry = groups[groupOf[d]].name
            lists.append(MergedDatasetLists(
                name: spec.name, all: sums[d].all.merged(symmetry: symmetry, minimumMeasurements: options.minimumMeasurements),
                half1: sums[d].half1.merged(symmetry: symmetry, minimumMeasurements: options.minimumMeasurements),
                half2: sums[d].half2.merged(symmetry: symmetry, minimumMeasurements: options.minimumMeasurements)))
        }
        // One sphere of possible reflections per point group, reaching the farthest dataset.
        var spheres: [ReflectionSphere?] = groups.map { _ in nil }
        for g in groups.indices {
            var reach = options.highResolution.map { crystFELInverseResolution(angstrom: $0) } ?? 0
            for d in specs.indices where groupOf[d] == g {
                for x in lists[d].all.indices { reach = max(reach, cell.oneOverD(x)) }
            }
            spheres[g] = ReflectionSphere(cell: cell, group: groups[g], reach: reach)
        }

        // The merged lists as a CrystFEL program reads them back from the files.
        let written = lists.map { $0.all.roundTripped() }
        var results: [MergedDatasetResults] = []
        for (d, spec) in specs.enumerated() {
            let group = groups[groupOf[d]]
            let figures = DatasetFigures(
                all: written[d], half1: lists[d].half1.roundTripped(),
                half2: lists[d].half2.roundTripped(), cell: cell, group: group, options: options, sphere: spheres[groupOf[d]])
            // The checkpoints are independent: computed on all cores.
            let points = snapshots[d]
            let final = [sums[d].all, sums[d].half1, sums[d].half2].map(AccumulationSnapshot.SlotOrder.init)
            let accumulation = ParallelMap.map(points.count) { figures.accumulationPoint(points[$0], final: final) }
            results.append(MergedDatasetResults(
                name: spec.name, kind: spec.kind, runs: spec.runs, timePoints: spec.timePoints, laser: spec.laser,
                crystals: sums[d].crystals, images: images[d], pointGroup: group.name, pointGroupSource: groupSource[d],
                cell: [cell.a, cell.b, cell.c, cell.alpha, cell.beta, cell.gamma], cellSource: mergeCell.source,
                shells: figures.check.shells.map(\.model), overall: figures.check.overall.model,
                halfSetShells: figures.halves.shells.map(\.model), halfSetOverall: figures.halves.overall.model,
                halfSetPairs: figures.halves.acceptedPairs, accumulation: accumulation, files: []))
        }

        // Light against dark: each laser-on time point against the dark one.
        var lightDark: [MergedListComparison] = []
        let timePointSets = specs.indices.filter { specs[$0].kind == .timePoint }
        if let dark = timePointSets.first(where: { specs[$0].laser == "dark" }) {
            for light in timePointSets where specs[light].laser == "light" {
                let a = written[light], b = written[dark]
                let group = groups[groupOf[light]]
                let c = ListComparison(a, b, cell: cell, group: group, shellCount: options.shells,
                                       lowResolution: options.lowResolution, highResolution: options.highResolution,
                                       inAsymmetricUnit: true)
                lightDark.append(MergedListComparison(
                    first: specs[light].name, second: specs[dark].name, pairs: c.acceptedPairs,
                    relativeScale: c.relativeScale, relativeBSquareAngstrom: c.relativeB, overall: c.overall.model,
                    shells: c.shells.map(\.model), firstCCHalf: results[light].halfSetOverall.cc,
                    secondCCHalf: results[dark].halfSetOverall.cc,
                    firstRSplitPercent: results[light].halfSetOverall.rSplitPercent,
                    secondRSplitPercent: results[dark].halfSetOverall.rSplitPercent))
            }
        }
        let method = "unity model as process_hkl's defaults (no scaling or partiality, polarisation correction "
            + "\(options.polarisation.disabled ? "off" : "fraction \(options.polarisation.fraction)"), reflections measured at "
            + "least \(options.minimumMeasurements) times); half-sets alternate crystals in stream order; figures as "
            + "check_hkl and compare_hkl compute them (\(options.shells) shells of equal reciprocal volume, second "
            + "half-set Wilson-scaled onto the first)"
        return Output(
            results: MergingResults(method: method, datasets: results, lightDark: lightDark,
                                    malformedReflectionLines: malformedReflectionLines),
            lists: lists)
    }

    /// Every crystal of `store` merged into one dataset by the merge pass itself (blocks
    /// read back and polarisation-corrected ahead on another thread), without figures
    /// or checkpoints: what the merge core's benchmark times.
    public static func mergeAll(_ store: ReflectionStore, pointGroup: PointGroup,
                                polarisation: PolarisationCorrection = .processHKLDefault) throws -> MergedDatasetSums {
        let run = MergeRun(name: "", reflections: store, crystalImage: (0..<store.crystalCount).map { UInt32($0) })
        return try mergePass(runs: [run], membership: [[[0]]], groups: [pointGroup], groupOf: [0], datasets: 1,
                             checkpoints: [[]], polarisation: polarisation, minimumMeasurements: 2).sums[0]
    }

    /// What one pass over the crystals makes for the datasets it was given.
    struct Pass: Sendable {
        var sums: [MergedDatasetSums]
        var snapshots: [[AccumulationSnapshot]]
        var images: [Int]
    }

    /// Every crystal, in run order and stream order, into the datasets `membership` names
    /// (per run, per time-point slot), with each dataset's state at its checkpoints.
    static func mergePass(runs: [MergeRun], membership: [[[Int]]], groups: [PointGroup], groupOf: [Int], datasets: Int,
                          checkpoints: [[Int]], polarisation: PolarisationCorrection, minimumMeasurements: Int) throws -> Pass {
        var pass = Pass(sums: [MergedDatasetSums](repeating: MergedDatasetSums(), count: datasets),
                        snapshots: [[AccumulationSnapshot]](repeating: [], count: datasets),
                        images: [Int](repeating: 0, count: datasets))
        var nextCheckpoint = [Int](repeating: 0, count: datasets)
        var mergers = groups.map { UnityMerger(pointGroup: $0, polarisation: polarisation) }
        for (r, run) in runs.enumerated() {
            // The image each dataset last counted (crystals of one image are adjacent).
            var lastImage = [Int](repeating: -1, count: datasets)
            let byGroup = membership[r].map { list in groups.indices.map { g in list.filter { groupOf[$0] == g } } }
            func mergeBlock(_ table: ReflectionTable, _ first: Int, _ corrected: UnsafeBufferPointer<Double>) {
                for b in 0..<table.crystalCount {
                    let c = first + b
                    let slot = slot(run, crystal: c)
                    let members = membership[r][slot]
                    guard !members.isEmpty else { continue }
                    let image = Int(run.crystalImage[c])
                    for g in groups.indices where !byGroup[slot][g].isEmpty {
                        mergers[g].add(crystal: b, of: table, corrected: corrected, to: byGroup[slot][g], in: &pass.sums)
                    }
                    for d in members {
                        if image != lastImage[d] {
                            pass.images[d] += 1
                            lastImage[d] = image
                        }
                        if nextCheckpoint[d] < checkpoints[d].count, pass.sums[d].crystals == checkpoints[d][nextCheckpoint[d]] {
                            pass.snapshots[d].append(AccumulationSnapshot(pass.sums[d], minimumMeasurements: minimumMeasurements))
                            nextCheckpoint[d] += 1
                        }
                    }
                }
            }
            // The next block is read back and polarisation-corrected on another thread
            // while this one is added (the values are the bits `add` would make itself).
            try run.reflections.forEachBlock(preparingAhead: { table, corrected in
                UnityMerger.correctedIntensities(of: table, polarisation: polarisation, into: &corrected)
            }, empty: [Double]()) { table, first, corrected in
                corrected.withUnsafeBufferPointer { corrected in mergeBlock(table, first, corrected) }
            }
        }
        return pass
    }

    /// The datasets shared out into `parts` sets of about equal crystal counts (largest
    /// first, each to the lightest set); empty sets are dropped.
    static func shareOut(_ totals: [Int], parts: Int) -> [Set<Int>] {
        var sets = [Set<Int>](repeating: [], count: max(1, parts))
        var load = [Int](repeating: 0, count: sets.count)
        for d in totals.indices.sorted(by: { totals[$0] > totals[$1] }) {
            let k = load.indices.min { load[$0] < load[$1] }!
            sets[k].insert(d)
            load[k] += max(1, totals[d])
        }
        return sets.filter { !$0.isEmpty }
    }

    /// The group named, or the Laue class of the cell's lattice, with where it came from.
    static func resolveGroup(_ name: String?, cell: UnitCell, fromManifest: Bool) throws -> (PointGroup, String) {
        if let name {
            guard let g = PointGroup(named: name) else { throw MergeError.unknownPointGroup(name) }
            return (g, "manifest")
        }
        let lattice = cell.latticeType ?? "triclinic"
        guard let g = PointGroup.laueClass(latticeType: lattice, uniqueAxis: cell.uniqueAxis, centering: cell.centering)
        else { throw MergeError.badCell("lattice type '\(lattice)' has no Laue class; name a point group in merges[]") }
        return (g, "Laue class of the \(lattice) lattice (no point group in the manifest)")
    }

    /// For each time point of `run` (slot 0 = no time point), the datasets a crystal there
    /// belongs to.
    static func membershipTable(run: MergeRun, specs: [MergeDatasetSpec]) -> [[Int]] {
        membershipTable(run: run.name, timePoints: run.timePoints, specs: specs)
    }

    /// The same by the run's name and time points.
    static func membershipTable(run name: String, timePoints: [MergeTimePoint], specs: [MergeDatasetSpec]) -> [[Int]] {
        var table = [specs.indices.filter { specs[$0].selects(run: name, timePoint: nil) }]
        for tp in timePoints {
            table.append(specs.indices.filter { specs[$0].selects(run: name, timePoint: tp) })
        }
        return table
    }

    @inline(__always)
    static func slot(_ run: MergeRun, crystal c: Int) -> Int {
        guard let tps = run.timePointOfImage else { return 0 }
        let image = Int(run.crystalImage[c])
        guard image < tps.count else { return 0 }
        return Int(tps[image]) + 1
    }
}
