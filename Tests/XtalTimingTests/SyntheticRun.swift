import XtalCore

/// A run built in memory: chunks for `frames` (0-based collected indices) of one
/// multi-image file, each with event `//N`, a hit on the frames in `hits`, one crystal on
/// every hit frame divisible by 3 (cell a = 79 Å, or 80 Å on laser frames), and an optional
/// per-image `laser_on` header value.
struct SyntheticRun {
    var images = ImageTable()
    var crystals = CrystalTable()
    var accumulator = StatisticsAccumulator()

    init(
        frames: [Int], hits: Set<Int>, laserOn: ((Int) -> Int?)? = nil, filename: String = "/data/chip1_master.h5",
        collected: Int? = nil
    ) {
        let column = laserOn == nil ? nil : images.headers.columnIndex(for: "header/int//entry/data/laser_on", kind: .int)
        for (row, frame) in frames.enumerated() {
            images.serial.append(UInt32(frame + 1))
            let hit = hits.contains(frame)
            images.hit.append(hit)
            images.hitLineAbsent.append(false)
            let crystal = hit && frame % 3 == 0
            images.crystalCount.append(crystal ? 1 : 0)
            images.indexedByMethod.append(crystal)
            images.numPeaks.append(hit ? 40 : 2)
            images.peakResolution.append(hit ? 2.5 : .nan)
            images.photonEnergy.append(12_800)
            images.filenames.append(filename)
            images.events.append("//\(frame)")
            var numeric: [(Int, Double)] = []
            if let column, let value = laserOn?(frame) { numeric.append((column, Double(value))) }
            images.headers.appendImage(numeric: numeric, text: [])
            if crystal {
                crystals.imageIndex.append(UInt32(row))
                crystals.a.append(laserOn?(frame) == 1 ? 80 : 79)
                crystals.b.append(79)
                crystals.c.append(38)
                crystals.alpha.append(90)
                crystals.beta.append(90)
                crystals.gamma.append(90)
                crystals.latticeType.append(.tetragonal)
                crystals.centering.append(UInt8(ascii: "P"))
                crystals.uniqueAxis.append(UInt8(ascii: "c"))
                crystals.resolutionLimit.append(2.0)
                crystals.numReflections.append(100)
                crystals.profileRadius.append(0.001)
                crystals.detShiftX.append(0)
                crystals.detShiftY.append(0)
            }
        }
        accumulator.add(images: images, crystals: crystals)
        if let collected {
            accumulator.declareProcessedImages(collected)
            accumulator.declareCollectedImages(collected)
        }
    }
}
