/// A merged dataset's state at one point of its accumulation curve, kept as compactly as
/// its figures allow: the three lists as a CrystFEL program would read them back from
/// the written files (I and σ as 32-bit floats, which is all that reading keeps), 20 bytes
/// per merged reflection instead of the 96 of the running sums (`MergedDatasetSums`).
struct AccumulationSnapshot: Sendable {
    /// One merged list: packed index, I, σ(I) and measurements of each reflection, in
    /// CrystFEL's list order.
    struct List: Sendable {
        var keys: [Int64] = []
        var intensity: [Float32] = []
        var sigma: [Float32] = []
        var measurements: [Int32] = []

        init(_ sums: UniqueReflectionSums, symmetry: String, minimumMeasurements: Int) {
            // In slot order: sorting waits for `merged`, which runs on all cores.
            let list = sums.merged(symmetry: symmetry, minimumMeasurements: minimumMeasurements, sorted: false).roundTripped()
            keys = list.indices.map(\.packed)
            // Exact: a round-tripped value is a 32-bit float (or NaN).
            intensity = list.intensity.map { Float32($0) }
            sigma = list.sigma.map { Float32($0) }
            measurements = list.measurements
        }

        /// The list as `MergedReflections.roundTripped()` gave it, in CrystFEL's order.
        func merged(symmetry: String) -> MergedReflections {
            var out = MergedReflections(symmetry: symmetry)
            // Keys are unique in a list: sorting (key, position) pairs, which sit side by
            // side, orders them as sorting positions by key would, in about three quarters of the
            // time (17,000 keys, measured with swiftc -O).
            var pairs = keys.indices.map { (key: keys[$0], position: $0) }
            pairs.sort { $0.key < $1.key }
            let order = pairs.map(\.position)
            out.indices = order.map { MillerIndex(packed: keys[$0]) }
            out.intensity = order.map { Double(intensity[$0]) }
            out.sigma = order.map { Double(sigma[$0]) }
            out.measurements = order.map { measurements[$0] }
            return out
        }
    }

    let crystals: Int
    let all: List
    let half1: List
    let half2: List

    init(_ sums: MergedDatasetSums, symmetry: String, minimumMeasurements: Int) {
        crystals = sums.crystals
        all = List(sums.all, symmetry: symmetry, minimumMeasurements: minimumMeasurements)
        half1 = List(sums.half1, symmetry: symmetry, minimumMeasurements: minimumMeasurements)
        half2 = List(sums.half2, symmetry: symmetry, minimumMeasurements: minimumMeasurements)
    }
}
