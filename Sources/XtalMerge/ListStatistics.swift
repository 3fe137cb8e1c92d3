import Foundation

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

    /// Computes the figures of `list` (asymmetric-unit indices of `group`) with `cell`;
    /// `lowResolution`/`highResolution` in Å fix the range as `--lowres`/`--highres` do,
    /// otherwise it is the data's own.
    public init(list: MergedReflections, cell: UnitCell, group: PointGroup, shellCount: Int = 10,
                lowResolution: Double? = nil, highResolution: Double? = nil) {
        let rminFix = lowResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
        let rmaxFix = highResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
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
        let possible = PossibleReflections.count(shells: shells, cell: cell, group: group)

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

/// Reflections possible in each shell: every index within the highest shell's reach,
/// less those the centering forbids, counted once per asymmetric-unit representative by
/// the representative's resolution (libcrystfel's `calculate_possible`).
public enum PossibleReflections {
    public static func count(shells: ResolutionShells, cell: UnitCell, group: PointGroup) -> [Int] {
        var possible = [Int](repeating: 0, count: shells.count)
        let rmax = shells.maximum[shells.count - 1]
        let (la, lb, lc) = cell.axisLengthsInMetres
        let hmax = Int32(clamping: Int((rmax * la).rounded(.towardZero)))
        let kmax = Int32(clamping: Int((rmax * lb).rounded(.towardZero)))
        let lmax = Int32(clamping: Int((rmax * lc).rounded(.towardZero)))
        var counted = Set<Int64>()
        guard hmax < 2000, kmax < 2000, lmax < 2000 else { return possible }
        for h in -hmax...hmax {
            for k in -kmax...kmax {
                for l in -lmax...lmax {
                    let x = MillerIndex(h, k, l)
                    if cell.isForbidden(x) { continue }
                    let rep = group.asymmetricUnit(of: x)
                    guard let bin = shells.strictShell(of: cell.oneOverD(rep)) else { continue }
                    if counted.insert(rep.packed).inserted { possible[bin] += 1 }
                }
            }
        }
        return possible
    }
}
