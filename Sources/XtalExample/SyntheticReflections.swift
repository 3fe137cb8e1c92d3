import XtalCore

/// A reflection table made directly, without writing a stream: the input of the merge
/// core's benchmark (a million crystals of a hundred reflections each). Crystals of the
/// example's tetragonal cell in random orientations, indices within 1.9 Å, intensities
/// from the example's intensity table with noise, printed to two decimals. Each crystal's
/// list is in the order indexamajig writes it: by h, then k, then l (libcrystfel's
/// `RefList` is a tree ordered by the index, and streams list it in that order; see any
/// stream in ../shared/samples/ssx), which is what makes a merge's index lookups walk
/// memory forwards rather than at random.
public enum SyntheticReflections {
    public static func make(crystals: Int, reflectionsPerCrystal: Int = 100, seed: UInt64 = 11) -> ReflectionTable {
        var random = ExampleRandom(seed: seed)
        var table = ReflectionTable()
        let total = crystals * reflectionsPerCrystal
        table.h.reserveCapacity(total)
        table.k.reserveCapacity(total)
        table.l.reserveCapacity(total)
        table.intensity.reserveCapacity(total)
        table.sigma.reserveCapacity(total)
        table.start.reserveCapacity(crystals + 1)
        let qmax = 1 / 1.9
        for _ in 0..<crystals {
            let model = ExampleCrystalModel.random(a: 79.1, b: 79.1, c: 38.0, using: &random)
            for v in model.reciprocalAxes { table.reciprocalAxes += [Float32(v.0), Float32(v.1), Float32(v.2)] }
            table.photonEnergy.append(12400)
            var rows: [(h: Int16, k: Int16, l: Int16, intensity: Float32, sigma: Float32)] = []
            rows.reserveCapacity(reflectionsPerCrystal)
            for _ in 0..<reflectionsPerCrystal {
                let h = random.int(-41...41), k = random.int(-41...41), l = random.int(-20...20)
                let inverseD = ((Double(h * h) + Double(k * k)) / (79.1 * 79.1) + Double(l * l) / (38.0 * 38.0)).squareRoot()
                let mean = inverseD <= qmax ? ExampleIntensities.intensity(h, k, l, inverseD: inverseD, light: false) : 0
                let sigma = (36 + mean).squareRoot()
                rows.append((Int16(h), Int16(k), Int16(l),
                             Float32(((mean + random.normal(mean: 0, sd: sigma)) * 100).rounded() / 100),
                             Float32((sigma * 100).rounded() / 100)))
            }
            // Stable, so an index drawn twice keeps its draws in order.
            for row in rows.enumerated().sorted(by: { ($0.element.h, $0.element.k, $0.element.l, $0.offset)
                                                        < ($1.element.h, $1.element.k, $1.element.l, $1.offset) }).map(\.element) {
                table.h.append(row.h)
                table.k.append(row.k)
                table.l.append(row.l)
                table.intensity.append(row.intensity)
                table.sigma.append(row.sigma)
            }
            table.start.append(table.h.count)
        }
        return table
    }
}
