/// The per-unique-reflection sums of a unity-model merge, indexed by a dense slot per
/// asymmetric-unit index: the number of measurements, their running mean and the sum of
/// squared deviations (Welford's update with weight 1, the update `process_hkl` makes in
/// `merge_crystal`).
///
/// Mergeable: `combine` adds another set with Chan's pairwise formula, so segment or run
/// sums combine into the sums of one pass (counts exactly, means and deviations to
/// rounding). `Codable`, so a cluster task can hand its sums over.
public struct UniqueReflectionSums: Sendable, Codable, Equatable {
    /// Packed asymmetric-unit index of each slot (`MillerIndex.packed`).
    public private(set) var keys: [Int64] = []
    public private(set) var count: [Int32] = []
    public private(set) var mean: [Double] = []
    public private(set) var squaredDeviations: [Double] = []
    private var slotOfKey: [Int64: Int32] = [:]

    public init() {}

    /// Unique reflections with at least one measurement.
    public var uniqueCount: Int { keys.count }
    /// All measurements added.
    public var measurements: Int { count.reduce(0) { $0 + Int($1) } }

    /// The slot of `packed`, made if new.
    @inline(__always)
    public mutating func slot(forPacked packed: Int64) -> Int {
        if let s = slotOfKey[packed] { return Int(s) }
        let s = keys.count
        slotOfKey[packed] = Int32(s)
        keys.append(packed)
        count.append(0)
        mean.append(0)
        squaredDeviations.append(0)
        return s
    }

    /// Adds one measurement of the reflection in `slot`.
    @inline(__always)
    public mutating func add(_ value: Double, toSlot s: Int) {
        let n = count[s]
        let sumWeight = Double(n)
        let total = sumWeight + 1
        let delta = value - mean[s]
        let r = delta / total
        mean[s] += r
        squaredDeviations[s] += sumWeight * delta * r
        count[s] = n + 1
    }

    public mutating func add(_ value: Double, to index: MillerIndex) {
        add(value, toSlot: slot(forPacked: index.packed))
    }

    /// Adds `other`'s measurements (Chan et al.'s pairwise update).
    public mutating func combine(_ other: UniqueReflectionSums) {
        for j in 0..<other.keys.count {
            let s = slot(forPacked: other.keys[j])
            let na = Double(count[s]), nb = Double(other.count[j])
            guard nb > 0 else { continue }
            if na == 0 {
                mean[s] = other.mean[j]
                squaredDeviations[s] = other.squaredDeviations[j]
            } else {
                let n = na + nb
                let delta = other.mean[j] - mean[s]
                mean[s] += delta * nb / n
                squaredDeviations[s] += other.squaredDeviations[j] + delta * delta * na * nb / n
            }
            count[s] += other.count[j]
        }
    }

    /// The merged list as `process_hkl` writes it: mean I, σ(I) = √(M₂/n)/√n, and the
    /// number of measurements; reflections with fewer than `minimumMeasurements` are left
    /// out (process_hkl's `--min-measurements`, default 2). Sorted as CrystFEL sorts.
    public func merged(symmetry: String, minimumMeasurements: Int = 2) -> MergedReflections {
        var out = MergedReflections(symmetry: symmetry)
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        for s in order where Int(count[s]) >= minimumMeasurements {
            let n = Double(count[s])
            let variance = squaredDeviations[s] / n
            out.append(MillerIndex(packed: keys[s]), intensity: mean[s], sigma: variance.squareRoot() / n.squareRoot(),
                       measurements: count[s])
        }
        return out
    }

    private enum CodingKeys: String, CodingKey { case keys, count, mean, squaredDeviations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keys = try c.decode([Int64].self, forKey: .keys)
        count = try c.decode([Int32].self, forKey: .count)
        mean = try c.decode([Double].self, forKey: .mean)
        squaredDeviations = try c.decode([Double].self, forKey: .squaredDeviations)
        guard count.count == keys.count, mean.count == keys.count, squaredDeviations.count == keys.count else {
            throw DecodingError.dataCorruptedError(forKey: .keys, in: c, debugDescription: "columns of unequal length")
        }
        for (i, k) in keys.enumerated() { slotOfKey[k] = Int32(i) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keys, forKey: .keys)
        try c.encode(count, forKey: .count)
        try c.encode(mean, forKey: .mean)
        try c.encode(squaredDeviations, forKey: .squaredDeviations)
    }

    public static func == (a: UniqueReflectionSums, b: UniqueReflectionSums) -> Bool {
        a.merged(symmetry: "", minimumMeasurements: 1) == b.merged(symmetry: "", minimumMeasurements: 1)
    }
}
