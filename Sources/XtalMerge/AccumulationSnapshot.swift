import XtalCore

/// A merged dataset's state at one point of its accumulation curve, kept as compactly as
/// its figures allow: the three lists as a CrystFEL program would read them back from
/// the written files (I and σ as 32-bit floats, which is all that reading keeps), about
/// 12 bytes per merged reflection instead of the 96 of the running sums
/// (`MergedDatasetSums`). A dataset keeps 20 of them until its end, so they are the bulk
/// of the merge stage's memory: each array is allocated at its final size (grown by
/// appending, they held up to twice that: 88 of the stage's 136 MB, massif).
struct AccumulationSnapshot: Sendable {
    /// One merged list: which slots it lists, and the I, σ(I) and measurements of each,
    /// in slot order. A slot's key is the final sums' (slots are only ever appended), so
    /// the snapshot keeps no keys and is put in CrystFEL's order by the final sums' order,
    /// not sorted on its own.
    struct List: Sendable {
        /// Bit `slot`: the slot is listed (measured at least the minimum number of times).
        var listed = Bitset()
        var intensity: [Float32] = []
        var sigma: [Float32] = []
        var measurements: [Int32] = []

        init(_ sums: UniqueReflectionSums, minimumMeasurements: Int) {
            let n = sums.mergedCount(minimumMeasurements: minimumMeasurements)
            intensity.reserveCapacity(n)
            sigma.reserveCapacity(n)
            measurements.reserveCapacity(n)
            listed = Bitset(count: sums.keys.count, value: false)
            // In slot order (the order comes from the final sums when the figures are made),
            // in one pass: the values `merged(sorted: false).roundTripped()` gives, as 32-bit
            // floats, which they are exactly (or NaN).
            sums.forEachMerged(minimumMeasurements: minimumMeasurements) { slot, i, s, n in
                listed[slot] = true
                intensity.append(Float32(MergedReflections.printedAndRead(i)))
                sigma.append(Float32(MergedReflections.printedAndRead(s)))
                measurements.append(n)
            }
        }

        /// The list as `MergedReflections.roundTripped()` gave it, in CrystFEL's order:
        /// `final` is the dataset's list at its end, whose slots extend these.
        func merged(symmetry: String, final: SlotOrder) -> MergedReflections {
            var position = [Int32](repeating: -1, count: final.keys.count)
            var j: Int32 = 0
            for slot in 0..<min(listed.count, position.count) where listed[slot] {
                position[slot] = j
                j += 1
            }
            var out = MergedReflections(symmetry: symmetry)
            out.indices.reserveCapacity(intensity.count)
            out.intensity.reserveCapacity(intensity.count)
            out.sigma.reserveCapacity(intensity.count)
            out.measurements.reserveCapacity(intensity.count)
            for slot in final.sorted {
                let j = Int(position[Int(slot)])
                guard j >= 0 else { continue }
                out.indices.append(MillerIndex(packed: final.keys[Int(slot)]))
                out.intensity.append(Double(intensity[j]))
                out.sigma.append(Double(sigma[j]))
                out.measurements.append(measurements[j])
            }
            return out
        }
    }

    /// The keys of a list's sums at the dataset's end and its slots in key order: what
    /// every snapshot of that list is put in order by.
    struct SlotOrder: Sendable {
        let keys: [Int64]
        let sorted: [Int32]

        init(_ sums: UniqueReflectionSums) {
            keys = sums.keys
            sorted = sums.sortedSlots
        }
    }

    let crystals: Int
    let all: List
    let half1: List
    let half2: List

    init(_ sums: MergedDatasetSums, minimumMeasurements: Int) {
        crystals = sums.crystals
        all = List(sums.all, minimumMeasurements: minimumMeasurements)
        half1 = List(sums.half1, minimumMeasurements: minimumMeasurements)
        half2 = List(sums.half2, minimumMeasurements: minimumMeasurements)
    }
}
