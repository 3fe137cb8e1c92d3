import XtalCore

/// Per-image tables made directly, without writing a stream: the input of the statistics
/// core's benchmark at sizes (ten million images) whose streams would take minutes to
/// write. Values are shaped like the example's: hits with 10–300 peaks, a tetragonal
/// lysozyme-like cell printed to 5 decimals in nm, resolutions to 6 decimals.
public enum SyntheticTables {
    public static func make(
        images: Int, hitRate: Double = 0.27, indexingRate: Double = 0.6, seed: UInt64 = 7
    ) -> (images: ImageTable, crystals: CrystalTable) {
        var random = ExampleRandom(seed: seed)
        var table = ImageTable()
        var crystals = CrystalTable()
        table.serial.reserveCapacity(images)
        table.numPeaks.reserveCapacity(images)
        table.peakResolution.reserveCapacity(images)
        table.crystalCount.reserveCapacity(images)
        table.photonEnergy.reserveCapacity(images)
        /// A value as the stream prints it: `digits` decimals, then stored as Float32.
        func printed(_ value: Double, _ digits: Double) -> Float32 { Float32((value * digits).rounded() / digits) }
        for i in 0..<images {
            let hit = random.chance(hitRate)
            let indexed = hit && random.chance(indexingRate)
            table.serial.append(UInt32(i + 1))
            table.hit.append(hit)
            table.hitLineAbsent.append(false)
            table.indexedByMethod.append(indexed)
            table.numPeaks.append(UInt32(hit ? random.int(10...300) : random.int(0...9)))
            table.peakResolution.append(hit ? printed(random.normal(mean: 2.4, sd: 0.5), 1e6) : .nan)
            table.photonEnergy.append(12400)
            let count = indexed ? (random.chance(0.1) ? 2 : 1) : 0
            table.crystalCount.append(UInt8(count))
            for _ in 0..<count {
                crystals.imageIndex.append(UInt32(i))
                crystals.a.append(printed(random.normal(mean: 7.91, sd: 0.02), 1e5) * 10)
                crystals.b.append(printed(random.normal(mean: 7.91, sd: 0.02), 1e5) * 10)
                crystals.c.append(printed(random.normal(mean: 3.80, sd: 0.02), 1e5) * 10)
                crystals.alpha.append(printed(random.normal(mean: 90, sd: 0.1), 1e5))
                crystals.beta.append(printed(random.normal(mean: 90, sd: 0.1), 1e5))
                crystals.gamma.append(printed(random.normal(mean: 90, sd: 0.1), 1e5))
                crystals.latticeType.append(.tetragonal)
                crystals.centering.append(UInt8(ascii: "P"))
                crystals.uniqueAxis.append(UInt8(ascii: "c"))
                crystals.resolutionLimit.append(printed(random.normal(mean: 2.2, sd: 0.5), 1e6))
                crystals.numReflections.append(Int32(random.int(200...3000)))
                crystals.profileRadius.append(0.001)
                crystals.detShiftX.append(0)
                crystals.detShiftY.append(0)
            }
        }
        return (table, crystals)
    }
}
