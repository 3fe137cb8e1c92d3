import Foundation

/// The figures `compare_hkl` gives for two merged lists, per resolution shell and overall
/// (`compare_hkl.c` and libcrystfel's `fom.c`, 0.11.1; `../shared/docs/merging.md` §1.8).
///
/// As compare_hkl does: both lists are put into the asymmetric unit, the reflections
/// common to both (finite I and σ) are kept, the shells span the accepted reflections'
/// range, and — unless `noScale` — the second list is scaled onto the first with a
/// Wilson fit (ln(I₁/I₂) against (sinθ/λ)² over reflections positive in both) before any
/// figure is computed. CC is Pearson's (GSL's recurrence); CC* = √(2CC/(1+CC));
/// Rsplit = 2 Σ|I₁−I₂| / Σ(I₁+I₂) / √2; R1(I) = Σ|I₁−I₂| / ΣI₁.
public struct ListComparison: Sendable, Equatable, Codable {
    public enum Figure: String, Sendable, Codable, CaseIterable {
        case cc = "CC", ccStar = "CC*", rSplit = "Rsplit", r1I = "R1(I)"

        /// Whether compare_hkl prints the figure as a percentage.
        public var isPercentage: Bool { self == .rSplit || self == .r1I }
        var columnTitle: String {
            switch self {
            case .cc: return "       CC"
            case .ccStar: return "      CC*"
            case .rSplit: return " Rsplit/%"
            case .r1I: return "  R1(I)/%"
            }
        }
    }

    public struct Shell: Sendable, Equatable, Codable {
        public var centreInverseNm: Double
        public var minInverseNm: Double
        public var maxInverseNm: Double
        public var dCentreAngstrom: Double
        public var pairs: Int
        /// CC and CC* as fractions, Rsplit and R1(I) as fractions (×100 when printed).
        public var cc: Double
        public var ccStar: Double
        public var rSplit: Double
        public var r1I: Double

        public func value(_ f: Figure) -> Double {
            switch f {
            case .cc: return cc
            case .ccStar: return ccStar
            case .rSplit: return rSplit
            case .r1I: return r1I
            }
        }
    }

    public var shells: [Shell]
    public var overall: Shell
    /// Reflection pairs accepted (common to both lists, finite).
    public var acceptedPairs: Int
    /// The Wilson scale of list 2 onto list 1: G and B (Å²), as compare_hkl prints them.
    public var relativeScale: Double?
    public var relativeB: Double?

    public init(_ first: MergedReflections, _ second: MergedReflections, cell: UnitCell, group: PointGroup,
                shellCount: Int = 10, lowResolution: Double? = nil, highResolution: Double? = nil,
                range: (Double, Double)? = nil, noScale: Bool = false, inAsymmetricUnit: Bool = false) {
        let rminFix = range?.0 ?? lowResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
        let rmaxFix = range?.1 ?? highResolution.map { crystFELInverseResolution(angstrom: $0) } ?? -1
        // Lists merged here are in the asymmetric unit and sorted already; files may not be.
        let list1 = inAsymmetricUnit ? first : ListComparison.asymmetric(first, group)
        let list2 = inAsymmetricUnit ? second : ListComparison.asymmetric(second, group)
        // fom_select_reflection_pairs, in list 1's order.
        var indices: [MillerIndex] = []
        var i1: [Double] = [], i2: [Double] = []
        for i in 0..<list1.count {
            guard let j = list2.position(of: list1.indices[i]) else { continue }
            let v1 = list1.intensity[i], v2 = list2.intensity[j]
            guard v1.isFinite, v2.isFinite, list1.sigma[i].isFinite, list2.sigma[j].isFinite else { continue }
            let r = cell.oneOverD(list1.indices[i])
            if rminFix > 0, r < rminFix { continue }
            if rmaxFix > 0, r > rmaxFix { continue }
            indices.append(list1.indices[i])
            i1.append(v1)
            i2.append(v2)
        }
        acceptedPairs = indices.count
        let oneOverD = indices.map { cell.oneOverD($0) }
        var rmin = oneOverD.min() ?? 0, rmax = oneOverD.max() ?? 0
        if rminFix >= 0 { rmin = rminFix }
        if rmaxFix >= 0 { rmax = rmaxFix }
        let n = max(1, shellCount)
        let shells = ResolutionShells(rmin: rmin, rmax: rmax, count: n)

        // Wilson scaling of list 2 onto list 1 (fom.c's wilson_scale); res = sinθ/λ = 1/2d.
        if !noScale {
            var x: [Double] = [], y: [Double] = []
            for (k, r) in oneOverD.enumerated() {
                let a = i1[k], b = i2[k]
                guard a > 0, b > 0, a.isFinite, b.isFinite else { continue }
                let res = r / 2
                x.append(res * res)
                y.append(log(a / b))
            }
            if x.count >= 2 {
                let (c0, c1) = StatisticsAlgorithms.linearFit(x, y)
                let g = exp(c0), b = c1 / 2
                relativeScale = g
                relativeB = b * 1e20
                for (k, r) in oneOverD.enumerated() {
                    let res = r / 2
                    i2[k] *= g * exp(2 * b * res * res)
                }
            }
        }

        var v1 = [[Double]](repeating: [], count: n), v2 = [[Double]](repeating: [], count: n)
        var absDiff = [Double](repeating: 0, count: n), sum12 = [Double](repeating: 0, count: n)
        var sum1 = [Double](repeating: 0, count: n)
        for (k, r) in oneOverD.enumerated() {
            let bin = shells.shell(of: r)
            v1[bin].append(i1[k])
            v2[bin].append(i2[k])
            absDiff[bin] += abs(i1[k] - i2[k])
            sum12[bin] += i1[k] + i2[k]
            sum1[bin] += i1[k]
        }
        func row(_ a: [Double], _ b: [Double], _ d: Double, _ s12: Double, _ s1: Double, centre: Double, lo: Double,
                 hi: Double) -> Shell {
            let cc = StatisticsAlgorithms.correlation(a, b)
            return Shell(centreInverseNm: centre * 1e-9, minInverseNm: lo * 1e-9, maxInverseNm: hi * 1e-9,
                         dCentreAngstrom: (1.0 / centre) * 1e10, pairs: a.count, cc: cc,
                         ccStar: ((2.0 * cc) / (1.0 + cc)).squareRoot(), rSplit: 2.0 * (d / s12) / 2.0.squareRoot(),
                         r1I: d / s1)
        }
        self.shells = (0..<n).map { i in
            row(v1[i], v2[i], absDiff[i], sum12[i], sum1[i], centre: shells.centre(i), lo: shells.minimum[i],
                hi: shells.maximum[i])
        }
        var d = 0.0, s12 = 0.0, s1 = 0.0
        for i in 0..<n {
            d += absDiff[i]
            s12 += sum12[i]
            s1 += sum1[i]
        }
        let lo = shells.minimum[0], hi = shells.maximum[n - 1]
        overall = row(v1.flatMap { $0 }, v2.flatMap { $0 }, d, s12, s1, centre: lo + (hi - lo) / 2, lo: lo, hi: hi)
    }

    /// The shell file compare_hkl writes for `figure` (`--shell-file`), byte for byte.
    public func shellFileText(_ figure: Figure) -> String {
        var out = "  1/d centre\(figure.columnTitle)       nref      d / A   Min 1/nm    Max 1/nm\n"
        for s in shells {
            let v = s.value(figure)
            out += String(format: figure.isPercentage ? "%10.3f %10.2f %10d %10.2f %10.3f  %10.3f\n"
                                                      : "%10.3f %10.7f %10d %10.2f %10.3f  %10.3f\n",
                          s.centreInverseNm, figure.isPercentage ? v * 100 : v, s.pairs, s.dCentreAngstrom,
                          s.minInverseNm, s.maxInverseNm)
        }
        return out
    }

    /// `list` with every index mapped into the asymmetric unit (compare_hkl's
    /// `asymmetric_indices`), sorted; a later duplicate of a representative is dropped.
    static func asymmetric(_ list: MergedReflections, _ group: PointGroup) -> MergedReflections {
        var rows = (0..<list.count).map { (group.asymmetricUnit(of: list.indices[$0]), $0) }
        rows.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var out = MergedReflections(symmetry: list.symmetry)
        var last: MillerIndex?
        for (x, i) in rows where x != last {
            out.append(x, intensity: list.intensity[i], sigma: list.sigma[i], measurements: list.measurements[i])
            last = x
        }
        return out
    }
}
