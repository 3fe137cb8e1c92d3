/// An ascending sample stored as its distinct values, each with how often it occurs.
///
/// Every order statistic, moment and histogram of the engine is computed from this form:
/// from a sorted column (equal neighbours grouped) or straight from `IntegerCounts`, so a
/// statistic of ten million integer peak counts costs as much as its few hundred distinct
/// values. Values are distinct by bit pattern (-0 and +0 stay apart, as in a sort).
public struct SortedRuns: Sendable {
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
        (values, ends) = Self.grouped(sorted, value: { $0 })
    }

    /// Runs of ascending order keys (`RadixSort.sortedKeys`), equal neighbours grouped:
    /// each distinct key is turned back into a value once.
    public init(sortedKeys keys: UnsafeBufferPointer<UInt32>) {
        (values, ends) = Self.grouped(keys, value: RadixSort.value)
    }

    /// Distinct values and run ends of an ascending list; neighbours are equal when their
    /// values have the same bit pattern.
    private static func grouped<Element>(
        _ list: UnsafeBufferPointer<Element>, value: (Element) -> Float32
    ) -> ([Float32], [Int]) {
        var values: [Float32] = []
        var ends: [Int] = []
        var i = 0
        while i < list.count {
            let first = value(list[i])
            var j = i + 1
            while j < list.count, value(list[j]).bitPattern == first.bitPattern { j += 1 }
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

    /// The runs `range` as a sample of their own.
    public func slice(_ range: Range<Int>) -> SortedRuns {
        SortedRuns(values: Array(values[range]), counts: range.map { multiplicity($0) })
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
