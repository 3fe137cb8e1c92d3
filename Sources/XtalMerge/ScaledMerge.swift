import XtalCore

/// `process_hkl --scale` (CrystFEL 0.11.1): a first unity merge of the crystals gives a
/// reference; in a second pass each crystal's polarisation-corrected intensities are
/// scaled by the least-squares factor s = Σ I_ref·I / Σ I² over its reflections the
/// reference holds, and merged; a crystal whose factor is not a positive number is left
/// out. Half-sets are made the same way from their own crystals (`--even-only --scale`
/// scales the even crystals against a merge of the even crystals).
public enum ScaledMerge {
    /// The merged sums of `crystals` of `table` (in the order given).
    public static func merge(table: ReflectionTable, crystals: [Int], group: PointGroup,
                             polarisation: PolarisationCorrection = .processHKLDefault) -> UniqueReflectionSums {
        var first = UnityMerger(pointGroup: group, polarisation: polarisation)
        var reference = [MergedDatasetSums()]
        for c in crystals { first.add(crystal: c, of: table, to: [0], in: &reference) }
        // Every reflection of the first pass is a reference, however often measured.
        var referenceIntensity: [Int64: Double] = [:]
        let keys = reference[0].all.keys, means = reference[0].all.mean
        for (k, m) in zip(keys, means) { referenceIntensity[k] = m }

        var second = UnityMerger(pointGroup: group, polarisation: polarisation)
        var sums = [MergedDatasetSums()]
        for c in crystals {
            var top = 0.0, bottom = 0.0
            for (key, value) in second.corrected(crystal: c, of: table) {
                guard let i1 = referenceIntensity[key] else { continue }
                top += i1 * value
                bottom += value * value
            }
            let scale = top / bottom
            guard !scale.isNaN, scale > 0 else { continue }
            second.add(crystal: c, of: table, to: [0], in: &sums, scale: scale)
        }
        return sums[0].all
    }
}
