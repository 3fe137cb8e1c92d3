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
    /// Count, running mean and sum of squared deviations of each slot, side by side (one
    /// cache line holds a slot: the merge's inner loop touches slots in random order).
    private var slots: [SlotSums] = []

    struct SlotSums: Sendable, Equatable {
        var count: Double = 0
        var mean: Double = 0
        var squaredDeviations: Double = 0
    }

    public var count: [Int32] { slots.map { Int32($0.count) } }
    public var mean: [Double] { slots.map(\.mean) }
    public var squaredDeviations: [Double] { slots.map(\.squaredDeviations) }
    /// Slot of each key, for `combine` and `slot(forPacked:)`: built on demand, since a
    /// merger that numbers the slots itself (`add(values:slots:highestSlot:keys:)`) never
    /// needs it.
    private var slotOfKey: [Int64: Int32] = [:]

    public init() {}

    /// Unique reflections with at least one measurement.
    public var uniqueCount: Int { slots.reduce(0) { $0 + ($1.count > 0 ? 1 : 0) } }
    /// All measurements added.
    public var measurements: Int { slots.reduce(0) { $0 + Int($1.count) } }

    /// The slot of `packed`, made if new.
    @inline(__always)
    public mutating func slot(forPacked packed: Int64) -> Int {
        if slotOfKey.count < keys.count {
            for i in slotOfKey.count..<keys.count { slotOfKey[keys[i]] = Int32(i) }
        }
        if let s = slotOfKey[packed] { return Int(s) }
        let s = keys.count
        slotOfKey[packed] = Int32(s)
        keys.append(packed)
        slots.append(SlotSums())
        return s
    }

    /// Adds one measurement of the reflection in `slot`.
    @inline(__always)
    public mutating func add(_ value: Double, toSlot s: Int) {
        slots.withUnsafeMutableBufferPointer { b in Self.update(&b[s], with: value) }
    }

    /// Welford's update with weight 1, as process_hkl's `merge_crystal` makes it.
    @inline(__always)
    static func update(_ slot: inout SlotSums, with value: Double) {
        let sumWeight = slot.count
        let delta = value - slot.mean
        let r = delta / (sumWeight + 1)
        slot.mean += r
        slot.squaredDeviations += sumWeight * delta * r
        slot.count = sumWeight + 1
    }

    /// Adds a crystal's measurements at once: `values[i]` to slot `slots[i]` of the shared
    /// numbering `shared` (one growth check and one exclusive access per crystal, not per
    /// measurement). `highestSlot` is the largest of `slots`.
    @inline(__always)
    public mutating func add(values: UnsafeBufferPointer<Double>, slots indices: UnsafeBufferPointer<Int>,
                             highestSlot: Int, keys shared: [Int64]) {
        if highestSlot >= keys.count { grow(to: highestSlot + 1, keys: shared) }
        slots.withUnsafeMutableBufferPointer { b in
            for i in 0..<values.count { Self.update(&b[indices[i]], with: values[i]) }
        }
    }

    private mutating func grow(to n: Int, keys shared: [Int64]) {
        keys += shared[keys.count..<n]
        slots += repeatElement(SlotSums(), count: n - slots.count)
    }

    public mutating func add(_ value: Double, to index: MillerIndex) {
        add(value, toSlot: slot(forPacked: index.packed))
    }

    /// Adds `other`'s measurements (Chan et al.'s pairwise update).
    public mutating func combine(_ other: UniqueReflectionSums) {
        for j in 0..<other.keys.count {
            let o = other.slots[j]
            guard o.count > 0 else { continue }
            let s = slot(forPacked: other.keys[j])
            let na = slots[s].count, nb = o.count
            if na == 0 {
                slots[s] = o
            } else {
                let n = na + nb
                let delta = o.mean - slots[s].mean
                slots[s].mean += delta * nb / n
                slots[s].squaredDeviations += o.squaredDeviations + delta * delta * na * nb / n
                slots[s].count = n
            }
        }
    }

    /// The merged list as `process_hkl` writes it: mean I, σ(I) = √(M₂/n)/√n, and the
    /// number of measurements; reflections with fewer than `minimumMeasurements` are left
    /// out (process_hkl's `--min-measurements`, default 2). Sorted as CrystFEL sorts, or,
    /// with `sorted: false`, in slot order (for a caller that sorts later).
    public func merged(symmetry: String, minimumMeasurements: Int = 2, sorted: Bool = true) -> MergedReflections {
        var out = MergedReflections(symmetry: symmetry)
        let order = sorted ? sortedSlots : Array(0..<Int32(keys.count))
        out.indices.reserveCapacity(order.count)
        forEachMerged(in: order, minimumMeasurements: minimumMeasurements) { s, intensity, sigma, n in
            out.append(MillerIndex(packed: keys[s]), intensity: intensity, sigma: sigma, measurements: n)
        }
        return out
    }

    /// How many slots `merged` lists: those measured at least `minimumMeasurements` times.
    func mergedCount(minimumMeasurements: Int) -> Int {
        let minimum = Double(minimumMeasurements)
        var n = 0
        for s in slots where s.count >= minimum { n += 1 }
        return n
    }

    /// `body(slot, I, σ(I), measurements)` of each slot of `order` that `merged` lists.
    @inline(__always)
    func forEachMerged(in order: [Int32]? = nil, minimumMeasurements: Int, _ body: (Int, Double, Double, Int32) -> Void) {
        let minimum = Double(minimumMeasurements)
        func take(_ s: Int) {
            guard s < slots.count, slots[s].count >= minimum else { return }
            let n = slots[s].count
            let variance = slots[s].squaredDeviations / n
            body(s, slots[s].mean, variance.squareRoot() / n.squareRoot(), Int32(n))
        }
        if let order {
            for o in order { take(Int(o)) }
        } else {
            for s in slots.indices { take(s) }
        }
    }

    /// The slots in the order of their keys (CrystFEL's list order).
    public var sortedSlots: [Int32] {
        var pairs = keys.enumerated().map { (key: $0.element, slot: Int32($0.offset)) }
        pairs.sort { $0.key < $1.key }
        return pairs.map(\.slot)
    }

    private enum CodingKeys: String, CodingKey { case keys, count, mean, squaredDeviations }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keys = try c.decode([Int64].self, forKey: .keys)
        let count = try c.decode([Int32].self, forKey: .count)
        let mean = try c.decode([Double].self, forKey: .mean)
        let squaredDeviations = try c.decode([Double].self, forKey: .squaredDeviations)
        guard count.count == keys.count, mean.count == keys.count, squaredDeviations.count == keys.count,
              count.allSatisfy({ $0 >= 0 })
        else {
            throw DecodingError.dataCorruptedError(forKey: .keys, in: c, debugDescription: "columns of unequal length or negative counts")
        }
        slots = (0..<keys.count).map { SlotSums(count: Double(count[$0]), mean: mean[$0], squaredDeviations: squaredDeviations[$0]) }
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
