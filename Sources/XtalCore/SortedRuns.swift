/// An ascending sample stored as its distinct values, each with how often it occurs.
///
/// Integer statistics are summarised from this form, made straight from `IntegerCounts`,
/// so a statistic of ten million peak counts costs as much as its few hundred distinct
/// values. Values are distinct by bit pattern (-0 and +0 stay apart, as in a sort).
public struct SortedRuns: AscendingSample, Sendable {
    /// Distinct values, ascending.
    public private(set) var values: [Float32]
    /// Number of elements in runs `0...r`.
    private var ends: [Int]

    /// Runs from values and their counts (`values` ascending and distinct, counts > 0).
    public init(values: [Float32], counts: [Int]) {
        self.values = values
        ends = []
        ends.reserveCapacity(counts.count)
        var total = 0
        for n in counts {
            total += n
            ends.append(total)
        }
    }

    /// Runs of an ascending column, equal neighbours grouped.
    public init(sorted: UnsafeBufferPointer<Float32>) {
        (values, ends) = Self.grouped(sorted)
    }

    /// Runs of a column whose keys span few values (`range.span` at most
    /// `countingSpanLimit`): each key is counted in a table over the span, a counting sort
    /// in one pass. Cell parameters printed to a fixed number of decimals take this path.
    init(counting column: UnsafeBufferPointer<Float32>, range: KeyRange) {
        precondition(range.span <= Self.countingSpanLimit, "key span too wide to count")
        var table = [UInt32](repeating: 0, count: column.isEmpty ? 0 : range.span)
        let low = range.minKey
        table.withUnsafeMutableBufferPointer { counts in
            for v in column { counts[Int(RadixSort.orderKey(v) &- low)] &+= 1 }
        }
        values = []
        ends = []
        var total = 0
        for (offset, n) in table.enumerated() where n > 0 {
            total += Int(n)
            values.append(RadixSort.value(low &+ UInt32(offset)))
            ends.append(total)
        }
    }

    /// The widest key span `init(counting:range:)` takes: a 2 MB table of counts.
    static let countingSpanLimit = 1 << 19

    /// Distinct values and run ends of an ascending list; neighbours are equal when their
    /// values have the same bit pattern.
    private static func grouped(_ list: UnsafeBufferPointer<Float32>) -> ([Float32], [Int]) {
        var values: [Float32] = []
        var ends: [Int] = []
        var i = 0
        while i < list.count {
            let first = list[i]
            var j = i + 1
            while j < list.count, list[j].bitPattern == first.bitPattern { j += 1 }
            values.append(first)
            ends.append(j)
            i = j
        }
        return (values, ends)
    }

    /// Number of elements (with repeats).
    public var count: Int { ends.last ?? 0 }
    /// Number of distinct values.
    public var runCount: Int { values.count }
    public var isEmpty: Bool { ends.isEmpty }

    /// How often `values[r]` occurs.
    public func multiplicity(_ r: Int) -> Int {
        r == 0 ? ends[0] : ends[r] - ends[r - 1]
    }

    /// The element at position `k` (0-based) of the full ascending list.
    public func element(_ k: Int) -> Float32 {
        // The first run whose end is past k.
        var low = 0
        var high = ends.count - 1
        while low < high {
            let mid = (low + high) / 2
            if ends[mid] > k { high = mid } else { low = mid + 1 }
        }
        return values[low]
    }

    public func countBelow(key: UInt32) -> Int {
        // The first run whose value's key is not below `key`.
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if RadixSort.orderKey(values[mid]) < key { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : ends[low - 1]
    }

    /// Σx, in Double, run by run in ascending order.
    public var sum: Double {
        var total = 0.0
        for r in values.indices { total += Double(values[r]) * Double(multiplicity(r)) }
        return total
    }

    /// Σ(x − mean)², the second pass of a two-pass variance.
    public func sumOfSquaredDeviations(mean: Double) -> Double {
        var total = 0.0
        for r in values.indices {
            let d = Double(values[r]) - mean
            total += d * d * Double(multiplicity(r))
        }
        return total
    }
}
