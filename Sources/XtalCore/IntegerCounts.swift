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
        // Counted into a table covering the whole dense range (one pass, no growth check),
        // then folded in up to the largest value seen.
        var table = [Int](repeating: 0, count: Int(Self.denseLimit))
        var counted = 0
        table.withUnsafeMutableBufferPointer { counts in
            for v in column {
                if v < Self.denseLimit {
                    counts[Int(v)] += 1
                    counted += 1
                } else if v != missing {
                    sparse[v, default: 0] += 1
                    counted += 1
                }
            }
        }
        let used = (table.lastIndex { $0 > 0 } ?? -1) + 1
        if used > dense.count { dense += [Int](repeating: 0, count: used - dense.count) }
        for i in 0..<used where table[i] > 0 { dense[i] += table[i] }
        total += counted
    }

    /// Σ value × occurrences, wrapping like the UInt64 sum of the column it replaces.
    public var weightedSum: UInt64 {
        var sum: UInt64 = 0
        for (v, n) in dense.enumerated() { sum &+= UInt64(v) &* UInt64(n) }
        for (v, n) in sparse { sum &+= UInt64(v) &* UInt64(n) }
        return sum
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
