import Foundation
import XtalCore

/// The figures `check_hkl` gives for one merged list, per resolution shell and overall:
/// unique reflections measured, possible, completeness, measurements, redundancy,
/// ⟨I/σ(I)⟩ and mean I (`check_hkl.c`'s `plot_shells` and libcrystfel's `fom.c`, 0.11.1;
/// `../shared/docs/merging.md` §1.7).
public struct ListStatistics: Sendable, Equatable, Codable {
    /// One row of the shell table (1/d in nm⁻¹, d in Å).
    public struct Shell: Sendable, Equatable, Codable {
        public var centreInverseNm: Double
        public var minInverseNm: Double
        public var maxInverseNm: Double
        public var dCentreAngstrom: Double
        public var measured: Int
        public var possible: Int
        /// 0–1 (check_hkl prints ×100; it can exceed 1).
        public var completeness: Double
        public var measurements: Int
        public var redundancy: Double
        public var meanSignalToNoise: Double
        public var meanIntensity: Double
    }

    public var shells: [Shell]
    public var overall: Shell
    /// Reflections left out: outside the resolution range, or with I or σ not finite.
    public var outsideRange: Int
    public var notFinite: Int
    /// The shells' range, 1/d in m⁻¹ (exactly as used).
    public var rangeMinimum: Double
    public var rangeMaximum: Double

    /// Computes the figures of `list` (asymmetric-unit indices of `group`) with `cell`;
    /// `lowResolution`/`highResolution` in Å fix the range as `--lowres`/`--highres` do,
    /// otherwise it is the data's own.
    /// `range` (1/d in m⁻¹) fixes the range directly instead; `sphere` is reused for the
    /// possible reflections when it reaches far enough.
    public init(list: MergedReflections, cell: UnitCell, group: PointGroup, shellCount: Int = 10,
                lowResolution: Double? = nil, highResolution: Double? = nil,
                range: (Double, Double)? = nil, sphere: ReflectionSphere? = nil) {
        let rminFix = range?.0 ?? lowResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
        let rmaxFix = range?.1 ?? highResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
        // fom_select_reflections: drop non-finite values and reflections outside a fixed range.
        var kept: [Int] = []
        var outside = 0, notFinite = 0
        for i in 0..<list.count {
            guard list.intensity[i].isFinite, list.sigma[i].isFinite else { notFinite += 1; continue }
            let r = cell.oneOverD(list.indices[i])
            if rminFix > 0, r < rminFix { outside += 1; continue }
            if rmaxFix > 0, r > rmaxFix { outside += 1; continue }
            kept.append(i)
        }
        var rmin = Double.infinity, rmax = 0.0
        for i in kept {
            let r = cell.oneOverD(list.indices[i])
            if r > rmax { rmax = r }
            if r < rmin { rmin = r }
        }
        if rminFix > 0 { rmin = rminFix }
        if rmaxFix > 0 { rmax = rmaxFix }
        let n = max(1, shellCount)
        let shells = ResolutionShells(rmin: rmin.isFinite ? rmin : 0, rmax: rmax, count: n)

        var counts = [Int](repeating: 0, count: n)
        var measurements = [Int](repeating: 0, count: n)
        var snrSum = [Double](repeating: 0, count: n), snrCount = [Double](repeating: 0, count: n)
        var intensitySum = [Double](repeating: 0, count: n)
        for i in kept {
            let bin = shells.shell(of: cell.oneOverD(list.indices[i]))
            counts[bin] += 1
            measurements[bin] += Int(list.measurements[i])
            intensitySum[bin] += list.intensity[i]
            let snr = list.intensity[i] / list.sigma[i]
            if snr.isFinite {
                snrSum[bin] += snr
                snrCount[bin] += 1
            }
        }
        let top = shells.maximum[n - 1]
        let sphere = sphere.flatMap { $0.reach >= top && $0.cell == cell && $0.group == group ? $0 : nil }
            ?? ReflectionSphere(cell: cell, group: group, reach: top)
        let possible = sphere.count(in: shells)

        func row(_ c: Int, _ p: Int, _ m: Int, _ snr: Double, _ snrN: Double, _ iSum: Double, centre: Double,
                 lo: Double, hi: Double) -> Shell {
            Shell(centreInverseNm: centre * 1e-9, minInverseNm: lo * 1e-9, maxInverseNm: hi * 1e-9,
                  dCentreAngstrom: (1.0 / centre) * 1e10, measured: c, possible: p,
                  completeness: Double(c) / Double(p), measurements: m, redundancy: Double(m) / Double(c),
                  meanSignalToNoise: snr / snrN, meanIntensity: iSum / Double(c))
        }
        self.shells = (0..<n).map { i in
            row(counts[i], possible[i], measurements[i], snrSum[i], snrCount[i], intensitySum[i],
                centre: shells.centre(i), lo: shells.minimum[i], hi: shells.maximum[i])
        }
        // Overall values add the shells' numerators and denominators in shell order.
        var snrAll = 0.0, snrNAll = 0.0, iAll = 0.0
        for i in 0..<n {
            snrAll += snrSum[i]
            snrNAll += snrCount[i]
            iAll += intensitySum[i]
        }
        let lo = shells.minimum[0], hi = shells.maximum[n - 1]
        overall = row(counts.reduce(0, +), possible.reduce(0, +), measurements.reduce(0, +), snrAll, snrNAll, iAll,
                      centre: lo + (hi - lo) / 2, lo: lo, hi: hi)
        outsideRange = outside
        self.notFinite = notFinite
        rangeMinimum = lo
        rangeMaximum = hi
    }

    /// The shell file check_hkl writes (`--shell-file`), byte for byte.
    public var shellFileText: String {
        var out = "Center 1/nm  # refs Possible  Compl       Meas   Red   SNR     Mean I     d(A)    Min 1/nm   Max 1/nm\n"
        for s in shells {
            out += String(format: "%10.3f %8ld %8ld %6.2f %10.0f %5.1f %5.2f %10.2f %8.2f  %10.3f %10.3f\n",
                          s.centreInverseNm, s.measured, s.possible, 100 * s.completeness, Double(s.measurements),
                          s.redundancy, s.meanSignalToNoise, s.meanIntensity, s.dCentreAngstrom, s.minInverseNm,
                          s.maxInverseNm)
        }
        return out
    }
}

/// The reflections possible up to a resolution: every index within reach, less those
/// the centering forbids, once per asymmetric-unit representative, with the
/// representative's 1/d (libcrystfel's `calculate_possible`). Kept sorted, so the count in
/// any shell is two binary searches and one sphere serves every dataset and checkpoint
/// with the same cell and point group.
public struct ReflectionSphere: Sendable {
    public let cell: UnitCell
    public let group: PointGroup
    /// 1/d limit (m⁻¹) the sphere was enumerated to.
    public let reach: Double
    /// 1/d of every representative, ascending.
    public let inverseD: [Double]

    public init(cell: UnitCell, group: PointGroup, reach rmax: Double) {
        self.cell = cell
        self.group = group
        reach = rmax
        let (la, lb, lc) = cell.axisLengthsInMetres
        // CrystFEL's index range: (int)(rmax × |a|) and so on.
        let hmax = Int32(clamping: Int((rmax * la).rounded(.towardZero)))
        let kmax = Int32(clamping: Int((rmax * lb).rounded(.towardZero)))
        let lmax = Int32(clamping: Int((rmax * lc).rounded(.towardZero)))
        var values: [Double] = []
        if hmax < 1024, kmax < 1024, lmax < 1024 {
            // Planes of h on all cores (the list is sorted, so the order they come back in
            // does not matter); the cheap test of 1/d before the point group's.
            let planes = Int(2 * hmax + 1), parts = min(planes, 4 * ProcessInfo.processInfo.activeProcessorCount)
            let found = ParallelMap.map(parts) { part in
                var out: [Double] = []
                for plane in stride(from: part, to: planes, by: parts) {
                    let h = Int32(plane) - hmax
                    for k in -kmax...kmax {
                        for l in -lmax...lmax {
                            let x = MillerIndex(h, k, l)
                            let r = cell.oneOverD(x)
                            // Each orbit counted once: at its representative.
                            guard r <= rmax, group.asymmetricUnit(of: x) == x, !cell.isForbidden(x) else { continue }
                            out.append(r)
                        }
                    }
                }
                return out
            }
            values = found.flatMap { $0 }
        }
        values.sort()
        inverseD = values
    }

    /// Representatives with min < 1/d ≤ max in each shell.
    public func count(in shells: ResolutionShells) -> [Int] {
        func countAtMost(_ v: Double) -> Int {
            var lo = 0, hi = inverseD.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if inverseD[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return (0..<shells.count).map { countAtMost(shells.maximum[$0]) - countAtMost(shells.minimum[$0]) }
    }
}
