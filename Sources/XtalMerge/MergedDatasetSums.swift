/// Everything a merged dataset accumulates: the sums over all its crystals and over the
/// two half-sets, and how many crystals went in.
///
/// Half-sets alternate crystals in acquisition order within the dataset, as
/// `process_hkl --even-only / --odd-only` and partialator's `.hkl1` / `.hkl2` do
/// (`../shared/samples/merge/README.md`, item 4): counting the dataset's crystals from 1,
/// even-numbered crystals go into `.hkl1`, odd-numbered into `.hkl2`.
public struct MergedDatasetSums: Sendable, Codable, Equatable {
    public var all = UniqueReflectionSums()
    public var half1 = UniqueReflectionSums()
    public var half2 = UniqueReflectionSums()
    /// Crystals merged, in order.
    public var crystals = 0

    public init() {}

    /// Whether the next crystal goes into `half1` (it is even-numbered).
    public var nextGoesToHalf1: Bool { (crystals + 1) % 2 == 0 }

    /// Adds `other`'s crystals after these. When this set holds an odd number of crystals,
    /// `other`'s first crystal is even-numbered here, so its half-sets swap.
    public mutating func append(_ other: MergedDatasetSums) {
        all.combine(other.all)
        if crystals % 2 == 0 {
            half1.combine(other.half1)
            half2.combine(other.half2)
        } else {
            half1.combine(other.half2)
            half2.combine(other.half1)
        }
        crystals += other.crystals
    }
}
