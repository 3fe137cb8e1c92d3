/// One point-group operation on Miller indices, as a 3×3 integer matrix.
///
/// Stored the way CrystFEL's `symmetry.c` stores its operations: column 0 holds the
/// coefficients that give the new h, column 1 the new k, column 2 the new l, so that
/// applying the operation is h′ = Σᵢ m[i][0]·hklᵢ (CrystFEL's `transform_indices`).
/// Products and conjugations are taken in that representation too, so groups closed from
/// the same generators are the same sets of operations.
public struct SymmetryOperator: Hashable, Sendable {
    // Row-major elements, as stored values (applying an operation is the inner loop of
    // every asymmetric-unit mapping).
    private let m0, m1, m2, m3, m4, m5, m6, m7, m8: Int32

    /// Row-major: `m[3*row + column]`.
    public var m: [Int32] { [m0, m1, m2, m3, m4, m5, m6, m7, m8] }

    public init(_ m: [Int32]) {
        precondition(m.count == 9)
        (m0, m1, m2, m3, m4, m5, m6, m7, m8) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
    }

    public static let identity = SymmetryOperator([1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// An operation from its three index expressions in CrystFEL's four-index notation
    /// (h, k, i, l coefficients, i = −h−k): new h = `hNew`, new k = `kNew`, new l = `lNew`.
    static func fourIndex(_ hNew: (Int32, Int32, Int32, Int32), _ kNew: (Int32, Int32, Int32, Int32),
                          _ lNew: (Int32, Int32, Int32, Int32)) -> SymmetryOperator {
        func column(_ v: (Int32, Int32, Int32, Int32)) -> [Int32] { [v.0 - v.2, v.1 - v.2, v.3] }
        let c0 = column(hNew), c1 = column(kNew), c2 = column(lNew)
        return SymmetryOperator([c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]])
    }

    @inline(__always)
    public func apply(_ x: MillerIndex) -> MillerIndex {
        MillerIndex(m0 &* x.h &+ m3 &* x.k &+ m6 &* x.l,
                    m1 &* x.h &+ m4 &* x.k &+ m7 &* x.l,
                    m2 &* x.h &+ m5 &* x.k &+ m8 &* x.l)
    }

    /// The matrix product self × other.
    public func times(_ other: SymmetryOperator) -> SymmetryOperator {
        var r = [Int32](repeating: 0, count: 9)
        let m = self.m, o = other.m
        for i in 0..<3 {
            for j in 0..<3 {
                var s: Int32 = 0
                for k in 0..<3 { s += m[3 * i + k] * o[3 * k + j] }
                r[3 * i + j] = s
            }
        }
        return SymmetryOperator(r)
    }

    public var determinant: Int32 {
        let m = self.m
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    }

    /// The inverse of a matrix with determinant ±1 (the adjugate divided by it).
    public var unimodularInverse: SymmetryOperator? {
        let d = determinant
        guard d == 1 || d == -1 else { return nil }
        let a = m
        let adj: [Int32] = [
            a[4] * a[8] - a[5] * a[7], a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
            a[5] * a[6] - a[3] * a[8], a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
            a[3] * a[7] - a[4] * a[6], a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3],
        ]
        return SymmetryOperator(adj.map { $0 * d })
    }
}
