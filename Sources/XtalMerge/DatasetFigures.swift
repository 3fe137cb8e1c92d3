import XtalCore

/// The figures of one merged dataset: check_hkl's on the whole list, compare_hkl's on the
/// half-sets, and the same figures for an earlier state of the dataset (the accumulation
/// curve), in the final dataset's resolution range.
struct DatasetFigures: Sendable {
    let check: ListStatistics
    let halves: ListComparison
    let cell: UnitCell
    let group: PointGroup
    let options: MergeOptions
    let sphere: ReflectionSphere?

    init(all: MergedReflections, half1: MergedReflections, half2: MergedReflections, cell: UnitCell,
         group: PointGroup, options: MergeOptions, sphere: ReflectionSphere?) {
        self.cell = cell
        self.group = group
        self.options = options
        self.sphere = sphere
        check = ListStatistics(list: all, cell: cell, group: group, shellCount: options.shells,
                               lowResolution: options.lowResolution, highResolution: options.highResolution,
                               sphere: sphere)
        halves = ListComparison(half1, half2, cell: cell, group: group, shellCount: options.shells,
                                lowResolution: options.lowResolution, highResolution: options.highResolution,
                                inAsymmetricUnit: true)
    }

    /// The figures of `snapshot` (the lists after its first crystals).
    /// `final`: the order of the dataset's three lists at its end (all, half 1, half 2).
    func accumulationPoint(_ snapshot: AccumulationSnapshot, final: [AccumulationSnapshot.SlotOrder]) -> AccumulationPoint {
        let range = (check.rangeMinimum, check.rangeMaximum)
        let all = snapshot.all.merged(symmetry: group.name, final: final[0])
        let h1 = snapshot.half1.merged(symmetry: group.name, final: final[1])
        let h2 = snapshot.half2.merged(symmetry: group.name, final: final[2])
        let s = ListStatistics(list: all, cell: cell, group: group, shellCount: options.shells, range: range, sphere: sphere)
        let c = ListComparison(h1, h2, cell: cell, group: group, shellCount: options.shells, range: range,
                               inAsymmetricUnit: true)
        return AccumulationPoint(
            crystals: snapshot.crystals, ccHalf: c.overall.cc, ccHalfHighestShell: c.shells.last?.cc ?? .nan,
            completenessPercent: 100 * s.overall.completeness, meanSignalToNoise: s.overall.meanSignalToNoise)
    }
}

extension ListStatistics.Shell {
    var model: MergeShellStatistics {
        MergeShellStatistics(
            minInverseNm: minInverseNm, maxInverseNm: maxInverseNm, measured: measured, possible: possible,
            completenessPercent: 100 * completeness, measurements: measurements, redundancy: redundancy,
            meanSignalToNoise: meanSignalToNoise, meanIntensity: meanIntensity)
    }
}

extension ListComparison.Shell {
    var model: HalfSetShellStatistics {
        HalfSetShellStatistics(
            minInverseNm: minInverseNm, maxInverseNm: maxInverseNm, pairs: pairs, cc: cc, ccStar: ccStar,
            rSplitPercent: 100 * rSplit, r1IPercent: 100 * r1I)
    }
}
