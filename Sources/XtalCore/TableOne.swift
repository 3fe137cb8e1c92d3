/// Table 1 of a merged dataset as ISPyB holds it (`AutoProcScalingStatistics`: overall,
/// inner and outer shell) from check_hkl's shells and overall figures and compare_hkl's
/// half-set CC½ — the same for xtalreport's own merges and a peer's.
///
/// check_hkl and compare_hkl make their shells over different ranges (compare_hkl over the
/// pairs it accepted), so a shell's CC½ is taken only where compare_hkl's shell has the
/// same limits (to the 0.001 nm⁻¹ its shell files print); otherwise the shell's CC½ stays
/// nil, and every compare_hkl shell is still in summary.json and xtalreport's tables.
public enum TableOne {
    /// A compare_hkl shell: its 1/d limits (nm⁻¹) and CC.
    public struct HalfSetShell: Sendable {
        public var minInverseNm: Double
        public var maxInverseNm: Double
        public var cc: Double

        public init(minInverseNm: Double, maxInverseNm: Double, cc: Double) {
            self.minInverseNm = minInverseNm
            self.maxInverseNm = maxInverseNm
            self.cc = cc
        }
    }

    public static func shells(
        overall: MergeShellStatistics?, overallCCHalf: Double?, shells: [MergeShellStatistics], halfSetShells: [HalfSetShell]
    ) -> ScalingShells {
        ScalingShells(
            overall: overall.map { row($0, ccHalf: overallCCHalf) },
            innerShell: shells.first.map { row($0, ccHalf: ccHalf(of: $0, in: halfSetShells)) },
            outerShell: shells.count > 1 ? shells.last.map { row($0, ccHalf: ccHalf(of: $0, in: halfSetShells)) } : nil)
    }

    /// The CC of the compare_hkl shell with the same limits as `shell`, if there is one.
    public static func ccHalf(of shell: MergeShellStatistics, in halfSetShells: [HalfSetShell]) -> Double? {
        halfSetShells.first {
            abs($0.minInverseNm - shell.minInverseNm) < 0.0015 && abs($0.maxInverseNm - shell.maxInverseNm) < 0.0015
        }?.cc
    }

    /// One check_hkl row as an ISPyB row: resolution limits in Å, completeness in %,
    /// observations = measurements, unique observations = measured reflections.
    public static func row(_ s: MergeShellStatistics, ccHalf: Double?) -> ShellStatistics {
        var r = ShellStatistics()
        r.resolutionLimitLow = finite(s.dMaxAngstrom)
        r.resolutionLimitHigh = finite(s.dMinAngstrom)
        r.nTotalObservations = s.measurements
        r.nTotalUniqueObservations = s.measured
        r.completeness = finite(s.completenessPercent)
        r.multiplicity = finite(s.redundancy)
        r.meanIOverSigI = finite(s.meanSignalToNoise)
        r.ccHalf = ccHalf.flatMap(finite)
        return r
    }

    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
}

extension MergedDatasetResults {
    /// Table 1 of xtalreport's own merge.
    public var tableOne: ScalingShells {
        TableOne.shells(
            overall: crystals > 0 ? overall : nil, overallCCHalf: halfSetOverall.cc, shells: crystals > 0 ? shells : [],
            halfSetShells: halfSetShells.map { .init(minInverseNm: $0.minInverseNm, maxInverseNm: $0.maxInverseNm, cc: $0.cc) })
    }
}
