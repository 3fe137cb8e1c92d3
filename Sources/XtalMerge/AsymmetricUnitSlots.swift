/// Numbers the unique reflections of one point group densely, in order of first
/// appearance, and maps any Miller index to its slot in one table lookup.
///
/// A box of indices around the origin holds each index's slot (−1 until seen; the
/// asymmetric-unit representative is computed once per index, not per measurement); the
/// box grows to the indices seen, up to `maximumBoxEntries`, beyond which a dictionary
/// serves. All datasets merged with one point group share the numbering, so adding a
/// measurement is an array update, not a hash lookup.
struct AsymmetricUnitSlots: Sendable {
    let group: PointGroup
    /// Packed representative of each slot.
    private(set) var keys: [Int64] = []
    private var slotOfRepresentative: [Int64: Int32] = [:]
    private var box: [Int32] = []
    private var low = (h: Int32(0), k: Int32(0), l: Int32(0))
    private var size = (h: Int32(0), k: Int32(0), l: Int32(0))
    private var outside: [Int64: Int32] = [:]
    static let maximumBoxEntries = 1 << 24

    init(group: PointGroup) { self.group = group }

    /// The slot of (h, k, l): one box lookup for an index seen before (inlined into the
    /// merge loop), else `newSlot`.
    @inline(__always)
    mutating func slot(_ h: Int32, _ k: Int32, _ l: Int32) -> Int {
        let dh = h &- low.h, dk = k &- low.k, dl = l &- low.l
        if dh >= 0, dh < size.h, dk >= 0, dk < size.k, dl >= 0, dl < size.l {
            let s = box.withUnsafeBufferPointer { $0[Int((dh &* size.k &+ dk) &* size.l &+ dl)] }
            if s >= 0 { return Int(s) }
        }
        return newSlot(h, k, l)
    }

    /// An index not in the box yet: its representative's slot, entered in the box (grown
    /// if needed) or, beyond the box's limit, in the dictionary.
    @inline(never)
    private mutating func newSlot(_ h: Int32, _ k: Int32, _ l: Int32) -> Int {
        let dh = h &- low.h, dk = k &- low.k, dl = l &- low.l
        if dh >= 0, dh < size.h, dk >= 0, dk < size.k, dl >= 0, dl < size.l {
            let new = representativeSlot(MillerIndex(h, k, l))
            box[Int((dh * size.k + dk) * size.l + dl)] = Int32(new)
            return new
        }
        if grow(toInclude: h, k, l) { return newSlot(h, k, l) }
        let key = MillerIndex(h, k, l).packed
        if let s = outside[key] { return Int(s) }
        let new = representativeSlot(MillerIndex(h, k, l))
        outside[key] = Int32(new)
        return new
    }

    private mutating func representativeSlot(_ x: MillerIndex) -> Int {
        let rep = group.asymmetricUnit(of: x).packed
        if let s = slotOfRepresentative[rep] { return Int(s) }
        let s = keys.count
        keys.append(rep)
        slotOfRepresentative[rep] = Int32(s)
        return s
    }

    /// Enlarges the box to hold (h, k, l) with some margin; false if it would be too large.
    private mutating func grow(toInclude h: Int32, _ k: Int32, _ l: Int32) -> Bool {
        func span(_ lo: Int32, _ n: Int32, _ v: Int32) -> (Int32, Int32) {
            let hi = n == 0 ? v : max(lo + n - 1, v)
            let newLow = n == 0 ? v : min(lo, v)
            // Room for indices a little farther out (a quarter more), at least ±16.
            let radius = max(16, max(abs(newLow), abs(hi)) * 5 / 4 + 2)
            return (-radius, 2 * radius + 1)
        }
        let (lh, nh) = span(low.h, size.h, h), (lk, nk) = span(low.k, size.k, k), (ll, nl) = span(low.l, size.l, l)
        guard Int(nh) * Int(nk) * Int(nl) <= Self.maximumBoxEntries else { return false }
        var newBox = [Int32](repeating: -1, count: Int(nh) * Int(nk) * Int(nl))
        // The old box's rows along l are contiguous in the new one too: copied row by row.
        let rowLength = Int(size.l)
        if rowLength > 0 {
            box.withUnsafeBufferPointer { old in
                newBox.withUnsafeMutableBufferPointer { new in
                    for a in 0..<size.h {
                        for b in 0..<size.k {
                            let from = Int((a * size.k + b) * size.l)
                            let to = Int(((a + low.h - lh) * nk + (b + low.k - lk)) * nl + (low.l - ll))
                            (new.baseAddress! + to).update(from: old.baseAddress! + from, count: rowLength)
                        }
                    }
                }
            }
        }
        box = newBox
        low = (lh, lk, ll)
        size = (nh, nk, nl)
        return true
    }
}
