import XtalCore

/// Merges crystals' reflections the way `process_hkl` does with its defaults (unity
/// partiality model, no scaling, polarisation correction, every crystal and reflection):
/// each measurement is divided by the polarisation factor, mapped to the asymmetric unit
/// of the point group, and added to the per-unique-reflection sums of every dataset the
/// crystal belongs to (`process_hkl.c`'s `merge_crystal`, CrystFEL 0.11.1).
///
/// Where the time goes, and why it is not SIMD: per measurement the work is a handful of
/// multiplies (the polarisation factor, written without trigonometry), one table lookup
/// for the asymmetric-unit slot (the representative is computed once per distinct index),
/// and a Welford update of that slot in every dataset. The lookup and the update are a
/// gather and a scatter to slots in no particular order, so the loop is bound by memory
/// latency, not arithmetic; vector lanes would wait on the same cache misses. What pays is
/// locality: a slot's count, mean and deviations share a cache line, and a crystal's
/// measurements are added to one dataset at a time.
public struct UnityMerger: Sendable {
    public let pointGroup: PointGroup
    public let polarisation: PolarisationCorrection
    /// The dense numbering of unique reflections shared by every dataset of this merger.
    private var slots: AsymmetricUnitSlots
    /// Scratch columns for one crystal's measurements, reused.
    private var values: [Double] = []
    private var slotOf: [Int] = []

    public init(pointGroup: PointGroup, polarisation: PolarisationCorrection = .processHKLDefault) {
        self.pointGroup = pointGroup
        self.polarisation = polarisation
        slots = AsymmetricUnitSlots(group: pointGroup)
    }

    /// Crystal `c`'s measurements as merging sees them: each polarisation-corrected
    /// intensity with the packed asymmetric-unit index it is merged into.
    public mutating func corrected(crystal c: Int, of table: ReflectionTable) -> [(key: Int64, value: Double)] {
        let (n, _) = prepare(crystal: c, of: table, scale: 1)
        let keys = slots.keys
        return (0..<n).map { (keys[slotOf[$0]], values[$0]) }
    }

    /// h·c/e in J·m/C, CrystFEL's constants (`utils.h`): λ = PLANCK·C_VACUO / (E·e).
    static let planckTimesC = 6.62606896e-34 * 299_792_458.0
    static let electronCharge = 1.6021773e-19

    /// Adds crystal `c` of `table` to each dataset in `datasets` (indices into `sums`).
    /// `scale` multiplies every measurement (process_hkl `--scale`'s per-crystal factor).
    public mutating func add(crystal c: Int, of table: ReflectionTable, to datasets: [Int],
                             in sums: inout [MergedDatasetSums], scale: Double = 1) {
        guard !datasets.isEmpty else { return }
        let (n, highest) = prepare(crystal: c, of: table, scale: scale)
        values.withUnsafeBufferPointer { v in
            accumulate(UnsafeBufferPointer(rebasing: v[0..<n]), highestSlot: highest, to: datasets, in: &sums)
        }
    }

    /// The same with the measurements already corrected (`correctedIntensities`, made for
    /// a whole block ahead of the merge, on another thread): `corrected` holds the whole
    /// table's values, of which crystal `c`'s rows are taken.
    public mutating func add(crystal c: Int, of table: ReflectionTable, corrected: UnsafeBufferPointer<Double>,
                             to datasets: [Int], in sums: inout [MergedDatasetSums]) {
        guard !datasets.isEmpty else { return }
        let rows = table.rows(ofCrystal: c)
        let highest = fillSlots(rows: rows, of: table).highest
        accumulate(UnsafeBufferPointer(rebasing: corrected[rows]), highestSlot: highest, to: datasets, in: &sums)
    }

    /// Every measurement of `table` polarisation-corrected, in row order, into `out` (its
    /// buffer reused): what `add` adds (bit for bit), computed once per block for every
    /// point group and dataset.
    public static func correctedIntensities(of table: ReflectionTable, polarisation: PolarisationCorrection,
                                            into out: inout [Double]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: repeatElement(0, count: table.count))
        out.withUnsafeMutableBufferPointer { v in
            for c in 0..<table.crystalCount {
                let rows = table.rows(ofCrystal: c)
                correct(crystal: c, of: table, polarisation: polarisation, scale: 1,
                        into: UnsafeMutableBufferPointer(rebasing: v[rows]))
            }
        }
    }

    /// One crystal's values (slots in `slotOf`) into each dataset: the full set, and the
    /// half-set whose turn it is.
    private func accumulate(_ v: UnsafeBufferPointer<Double>, highestSlot highest: Int, to datasets: [Int],
                            in sums: inout [MergedDatasetSums]) {
        let keys = slots.keys
        slotOf.withUnsafeBufferPointer { s in
            let s = UnsafeBufferPointer(rebasing: s[0..<v.count])
            for d in datasets {
                sums[d].all.add(values: v, slots: s, highestSlot: highest, keys: keys)
                if sums[d].nextGoesToHalf1 {
                    sums[d].half1.add(values: v, slots: s, highestSlot: highest, keys: keys)
                } else {
                    sums[d].half2.add(values: v, slots: s, highestSlot: highest, keys: keys)
                }
            }
        }
        for d in datasets { sums[d].crystals += 1 }
    }

    /// Fills the scratch columns with crystal `c`'s measurements in row order: each
    /// polarisation-corrected intensity times `scale`, and its slot. Returns how many, and
    /// the highest slot.
    private mutating func prepare(crystal c: Int, of table: ReflectionTable, scale: Double) -> (count: Int, highest: Int) {
        let rows = table.rows(ofCrystal: c)
        if values.count < rows.count { values = [Double](repeating: 0, count: rows.count) }
        values.withUnsafeMutableBufferPointer { v in
            Self.correct(crystal: c, of: table, polarisation: polarisation, scale: scale,
                         into: UnsafeMutableBufferPointer(rebasing: v[0..<rows.count]))
        }
        return fillSlots(rows: rows, of: table)
    }

    /// The slot of each of `rows` into `slotOf`; how many, and the highest slot.
    private mutating func fillSlots(rows: Range<Int>, of table: ReflectionTable) -> (count: Int, highest: Int) {
        let n = rows.count
        if slotOf.count < n { slotOf = [Int](repeating: 0, count: n) }
        var highest = -1
        // Raw pointers: the loop runs once per measurement, without bounds or uniqueness
        // checks on the columns it reads and the scratch it fills.
        table.h.withUnsafeBufferPointer { hs in
            table.k.withUnsafeBufferPointer { ks in
                table.l.withUnsafeBufferPointer { ls in
                    slotOf.withUnsafeMutableBufferPointer { so in
                        let first = rows.lowerBound
                        for j in 0..<n {
                            let s = slots.slot(Int32(hs[first + j]), Int32(ks[first + j]), Int32(ls[first + j]))
                            so[j] = s
                            if s > highest { highest = s }
                        }
                    }
                }
            }
        }
        return (n, highest)
    }

    /// Crystal `c`'s polarisation-corrected intensities times `scale` into `v`, in row order.
    @inline(__always)
    private static func correct(crystal c: Int, of table: ReflectionTable, polarisation: PolarisationCorrection,
                                scale: Double, into v: UnsafeMutableBufferPointer<Double>) {
        var axes = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        let a = table.reciprocalAxes, b = 9 * c
        axes = (Double(a[b]) * 1e9, Double(a[b + 1]) * 1e9, Double(a[b + 2]) * 1e9, Double(a[b + 3]) * 1e9,
                Double(a[b + 4]) * 1e9, Double(a[b + 5]) * 1e9, Double(a[b + 6]) * 1e9, Double(a[b + 7]) * 1e9,
                Double(a[b + 8]) * 1e9)
        let lambda = UnityMerger.planckTimesC / (table.photonEnergy[c] * UnityMerger.electronCharge)
        let kpred = 1.0 / lambda
        let first = table.rows(ofCrystal: c).lowerBound
        withUnsafeBytes(of: &axes) { raw in
            let r = raw.bindMemory(to: Double.self)
            table.h.withUnsafeBufferPointer { hs in
                table.k.withUnsafeBufferPointer { ks in
                    table.l.withUnsafeBufferPointer { ls in
                        table.intensity.withUnsafeBufferPointer { intensities in
                            // Two measurements at a time (bit for bit the scalar values),
                            // then the last one if the count is odd.
                            var j = 0
                            while j + 1 < v.count {
                                let a = first + j, b = a + 1
                                let corrected = polarisation.corrected(
                                    SIMD2(Double(intensities[a]), Double(intensities[b])),
                                    h: SIMD2(Double(hs[a]), Double(hs[b])), k: SIMD2(Double(ks[a]), Double(ks[b])),
                                    l: SIMD2(Double(ls[a]), Double(ls[b])), axes: r, kpred: kpred)
                                let scaled = scale * corrected
                                v[j] = scaled[0]
                                v[j + 1] = scaled[1]
                                j += 2
                            }
                            if j < v.count {
                                let x = MillerIndex(Int32(hs[first + j]), Int32(ks[first + j]), Int32(ls[first + j]))
                                v[j] = scale * polarisation.corrected(Double(intensities[first + j]), x, axes: r, kpred: kpred)
                            }
                        }
                    }
                }
            }
        }
    }
}
