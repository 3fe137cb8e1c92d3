/// A reflection's Miller indices h, k, l.
///
/// Indices order lexicographically (h, then k, then l), which is the order of CrystFEL's
/// `SERIAL` key, so a list sorted by index prints in the order of a CrystFEL `.hkl` file.
public struct MillerIndex: Hashable, Sendable, Codable, Comparable {
    public var h: Int32
    public var k: Int32
    public var l: Int32

    public init(_ h: Int32, _ k: Int32, _ l: Int32) {
        self.h = h
        self.k = k
        self.l = l
    }

    /// One integer that orders as the indices do (21 bits each, offset by 2²⁰), for
    /// hashing and sorting; indices must lie within ±2²⁰.
    @inline(__always)
    public var packed: Int64 {
        (Int64(h) + (1 << 20)) << 42 | (Int64(k) + (1 << 20)) << 21 | (Int64(l) + (1 << 20))
    }

    public init(packed p: Int64) {
        h = Int32(truncatingIfNeeded: (p >> 42) & 0x1F_FFFF) - (1 << 20)
        k = Int32(truncatingIfNeeded: (p >> 21) & 0x1F_FFFF) - (1 << 20)
        l = Int32(truncatingIfNeeded: p & 0x1F_FFFF) - (1 << 20)
    }

    public static func < (a: MillerIndex, b: MillerIndex) -> Bool {
        if a.h != b.h { return a.h < b.h }
        if a.k != b.k { return a.k < b.k }
        return a.l < b.l
    }

    /// Whether any index is negative (the tie-break CrystFEL's `get_asymm` uses first).
    public var hasNegative: Bool { h < 0 || k < 0 || l < 0 }

    public static prefix func - (x: MillerIndex) -> MillerIndex { MillerIndex(-x.h, -x.k, -x.l) }
}
