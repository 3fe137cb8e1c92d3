import XtalCore

/// Merges crystals' reflections the way `process_hkl` does with its defaults (unity
/// partiality model, no scaling, polarisation correction, every crystal and reflection):
/// each measurement is divided by the polarisation factor, mapped to the asymmetric unit
/// of the point group, and added to the per-unique-reflection sums of every dataset the
/// crystal belongs to (`process_hkl.c`'s `merge_crystal`, CrystFEL 0.11.1).
public struct UnityMerger: Sendable {
    public let pointGroup: PointGroup
    public let polarisation: PolarisationCorrection
    /// The dense numbering of unique reflections shared by every dataset of this merger.
    private var slots: AsymmetricUnitSlots

    public init(pointGroup: PointGroup, polarisation: PolarisationCorrection = .processHKLDefault) {
        self.pointGroup = pointGroup
        self.polarisation = polarisation
        slots = AsymmetricUnitSlots(group: pointGroup)
    }

    /// h·c/e in J·m/C, CrystFEL's constants (`utils.h`): λ = PLANCK·C_VACUO / (E·e).
    static let planckTimesC = 6.62606896e-34 * 299_792_458.0
    static let electronCharge = 1.6021773e-19

    /// Adds crystal `c` of `table` to each dataset in `datasets` (indices into `sums`).
    public mutating func add(crystal c: Int, of table: ReflectionTable, to datasets: [Int],
                             in sums: inout [MergedDatasetSums]) {
        guard !datasets.isEmpty else { return }
        var axes = [Double](repeating: 0, count: 9)
        for i in 0..<9 { axes[i] = Double(table.reciprocalAxes[9 * c + i]) * 1e9 }
        let lambda = UnityMerger.planckTimesC / (table.photonEnergy[c] * UnityMerger.electronCharge)
        let kpred = 1.0 / lambda
        let toHalf1 = datasets.map { sums[$0].nextGoesToHalf1 }
        let rows = table.rows(ofCrystal: c)
        // Each measurement: polarisation-corrected value and its slot, then every dataset.
        var values = [Double](repeating: 0, count: rows.count)
        var slotOf = [Int](repeating: 0, count: rows.count)
        axes.withUnsafeBufferPointer { r in
            for (j, row) in rows.enumerated() {
                let x = MillerIndex(Int32(table.h[row]), Int32(table.k[row]), Int32(table.l[row]))
                values[j] = Double(table.intensity[row]) / polarisation.factor(x, axes: r, kpred: kpred)
                slotOf[j] = slots.slot(x.h, x.k, x.l)
            }
        }
        let keys = slots.keys
        for (j, d) in datasets.enumerated() {
            for i in 0..<rows.count {
                sums[d].all.add(values[i], toSlot: slotOf[i], keys: keys)
                if toHalf1[j] {
                    sums[d].half1.add(values[i], toSlot: slotOf[i], keys: keys)
                } else {
                    sums[d].half2.add(values[i], toSlot: slotOf[i], keys: keys)
                }
            }
        }
        for d in datasets { sums[d].crystals += 1 }
    }
}
