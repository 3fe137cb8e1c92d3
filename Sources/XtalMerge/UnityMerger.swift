import XtalCore

/// Merges crystals' reflections the way `process_hkl` does with its defaults (unity
/// partiality model, no scaling, polarisation correction, every crystal and reflection):
/// each measurement is divided by the polarisation factor, mapped to the asymmetric unit
/// of the point group, and added to the per-unique-reflection sums of every dataset the
/// crystal belongs to (`process_hkl.c`'s `merge_crystal`, CrystFEL 0.11.1).
public struct UnityMerger: Sendable {
    public let pointGroup: PointGroup
    public let polarisation: PolarisationCorrection
    /// Asymmetric-unit representatives already computed (packed index → packed rep.).
    private var representative: [Int64: Int64] = [:]

    public init(pointGroup: PointGroup, polarisation: PolarisationCorrection = .processHKLDefault) {
        self.pointGroup = pointGroup
        self.polarisation = polarisation
    }

    /// h·c/e in J·m/C, CrystFEL's constants (`utils.h`): λ = PLANCK·C_VACUO / (E·e).
    static let planckTimesC = 6.62606896e-34 * 299_792_458.0
    static let electronCharge = 1.6021773e-19

    @inline(__always)
    mutating func asymmetric(_ x: MillerIndex) -> Int64 {
        let key = x.packed
        if let r = representative[key] { return r }
        let r = pointGroup.asymmetricUnit(of: x).packed
        representative[key] = r
        return r
    }

    /// Adds crystal `c` of `table` to each dataset in `datasets` (indices into `sums`).
    public mutating func add(crystal c: Int, of table: ReflectionTable, to datasets: [Int],
                             in sums: inout [MergedDatasetSums]) {
        guard !datasets.isEmpty else { return }
        var axes = [Double](repeating: 0, count: 9)
        for i in 0..<9 { axes[i] = Double(table.reciprocalAxes[9 * c + i]) * 1e9 }
        let lambda = UnityMerger.planckTimesC / (table.photonEnergy[c] * UnityMerger.electronCharge)
        let kpred = 1.0 / lambda
        let toHalf1 = datasets.map { sums[$0].nextGoesToHalf1 }
        axes.withUnsafeBufferPointer { r in
            for row in table.rows(ofCrystal: c) {
                let x = MillerIndex(Int32(table.h[row]), Int32(table.k[row]), Int32(table.l[row]))
                let p = polarisation.factor(x, axes: r, kpred: kpred)
                let value = Double(table.intensity[row]) / p
                let key = asymmetric(x)
                for (j, d) in datasets.enumerated() {
                    sums[d].all.add(value, toSlot: sums[d].all.slot(forPacked: key))
                    if toHalf1[j] {
                        sums[d].half1.add(value, toSlot: sums[d].half1.slot(forPacked: key))
                    } else {
                        sums[d].half2.add(value, toSlot: sums[d].half2.slot(forPacked: key))
                    }
                }
            }
        }
        for d in datasets { sums[d].crystals += 1 }
    }
}
