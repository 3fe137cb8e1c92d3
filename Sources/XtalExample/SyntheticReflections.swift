import XtalCore

/// A reflection table made directly, without writing a stream: the input of the merge
/// core's benchmark (a million crystals of a hundred reflections each). Crystals of the
/// example's tetragonal cell in random orientations, indices within 1.9 Å, intensities
/// from the example's intensity table with noise, printed to two decimals.
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
            for _ in 0..<reflectionsPerCrystal {
                let h = random.int(-41...41), k = random.int(-41...41), l = random.int(-20...20)
                let inverseD = ((Double(h * h) + Double(k * k)) / (79.1 * 79.1) + Double(l * l) / (38.0 * 38.0)).squareRoot()
                let mean = inverseD <= qmax ? ExampleIntensities.intensity(h, k, l, inverseD: inverseD, light: false) : 0
                let sigma = (36 + mean).squareRoot()
                table.h.append(Int16(h))
                table.k.append(Int16(k))
                table.l.append(Int16(l))
                table.intensity.append(Float32(((mean + random.normal(mean: 0, sd: sigma)) * 100).rounded() / 100))
                table.sigma.append(Float32((sigma * 100).rounded() / 100))
            }
            table.start.append(table.h.count)
        }
        return table
    }
}
