/// How often each whole number occurs in a column (peaks per frame): the exact sample of
/// an integer-valued statistic in memory proportional to its distinct values, not to the
/// number of images. Order statistics, moments and histograms computed from it are those
/// of the full list of values (see `SortedRuns`).
public struct IntegerCounts: Sendable, Equatable, Codable {
    /// Occurrences of each value below `denseLimit`, indexed by value (as long as the
    /// largest such value seen, plus one).
    public private(set) var dense: [Int] = []
    /// Occurrences of larger values.
    public private(set) var sparse: [UInt32: Int] = [:]
    /// Number of values counted.
    public private(set) var total = 0

    /// Values below this are counted in a flat array.
    public static let denseLimit: UInt32 = 1 << 16

    public init() {}

    /// Counts every value of `column` except `missing`.
    public mutating func add(_ column: UnsafeBufferPointer<UInt32>, skipping missing: UInt32) {
        precondition(missing >= Self.denseLimit, "the missing marker must lie outside the dense range")
        // First the largest dense value, so that the counting loop needs no growth check.
        var largest = -1
        for v in column where v < Self.denseLimit && Int(v) > largest { largest = Int(v) }
        if largest >= dense.count { dense += [Int](repeating: 0, count: largest + 1 - dense.count) }
        var counted = 0
        dense.withUnsafeMutableBufferPointer { counts in
            for v in column where v < Self.denseLimit {
                counts[Int(v)] += 1
                counted += 1
            }
        }
        for v in column where v >= Self.denseLimit && v != missing {
            sparse[v, default: 0] += 1
            counted += 1
        }
        total += counted
    }

    /// Adds the counts of `other`.
    public mutating func combine(_ other: IntegerCounts) {
        if other.dense.count > dense.count { dense += [Int](repeating: 0, count: other.dense.count - dense.count) }
        for (i, n) in other.dense.enumerated() where n > 0 { dense[i] += n }
        sparse.merge(other.sparse, uniquingKeysWith: +)
        total += other.total
    }

    /// The values in ascending order with their counts.
    public var runs: SortedRuns {
        var values: [Float32] = []
        var counts: [Int] = []
        for (v, n) in dense.enumerated() where n > 0 {
            values.append(Float32(v))
            counts.append(n)
        }
        for v in sparse.keys.sorted() {
            values.append(Float32(v))
            counts.append(sparse[v]!)
        }
        return SortedRuns(values: values, counts: counts)
    }
}
