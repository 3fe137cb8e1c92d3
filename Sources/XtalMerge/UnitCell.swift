import Foundation

/// A unit cell for resolution and completeness calculations: real-space parameters, the
/// centering (for lattice absences), and the reciprocal basis in m⁻¹.
///
/// Resolution follows CrystFEL's `resolution()`: |h a* + k b* + l c*| is 1/d, and the
/// figures of merit work in 1/d (m⁻¹). The Cartesian frame is CrystFEL's
/// `crystallographic_to_cartesian` (a along x, b in the xy plane).
public struct UnitCell: Sendable, Hashable {
    /// Lengths in Å, angles in degrees.
    public var a: Double, b: Double, c: Double
    public var alpha: Double, beta: Double, gamma: Double
    /// `P A B C I F R H`.
    public var centering: Character
    /// CrystFEL's lattice type word (`tetragonal` …) and unique axis, when known.
    public var latticeType: String?
    public var uniqueAxis: Character?

    public init(a: Double, b: Double, c: Double, alpha: Double, beta: Double, gamma: Double,
                centering: Character = "P", latticeType: String? = nil, uniqueAxis: Character? = nil) {
        self.a = a
        self.b = b
        self.c = c
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
        self.centering = centering
        self.latticeType = latticeType
        self.uniqueAxis = uniqueAxis
        reciprocal = UnitCell.reciprocalBasis(a: a, b: b, c: c, alpha: alpha, beta: beta, gamma: gamma)
    }

    /// a*, b*, c* as Cartesian vectors in m⁻¹.
    public private(set) var reciprocal: [Double] = []

    /// Real-space axis lengths in m (for the index ranges of possible reflections).
    public var axisLengthsInMetres: (Double, Double, Double) { (a * 1e-10, b * 1e-10, c * 1e-10) }

    /// 1/d of `x` in m⁻¹ (twice CrystFEL's `resolution()`).
    @inline(__always)
    public func oneOverD(_ x: MillerIndex) -> Double {
        let h = Double(x.h), k = Double(x.k), l = Double(x.l)
        let r = reciprocal
        let px = h * r[0] + k * r[3] + l * r[6]
        let py = h * r[1] + k * r[4] + l * r[7]
        let pz = h * r[2] + k * r[5] + l * r[8]
        return 2.0 * ((px * px + py * py + pz * pz).squareRoot() / 2.0)
    }

    /// Whether the centering forbids `x` (CrystFEL's `forbidden_reflection`; screw axes and
    /// glides are not considered there either).
    public func isForbidden(_ x: MillerIndex) -> Bool {
        let h = x.h, k = x.k, l = x.l
        switch centering {
        case "A": return (k + l) % 2 != 0
        case "B": return (h + l) % 2 != 0
        case "C": return (h + k) % 2 != 0
        case "I": return (h + k + l) % 2 != 0
        case "F": return (h + k) % 2 != 0 || (h + l) % 2 != 0 || (k + l) % 2 != 0
        case "H": return (-h + k + l) % 3 != 0
        default: return false
        }
    }

    static func reciprocalBasis(a: Double, b: Double, c: Double, alpha: Double, beta: Double, gamma: Double) -> [Double] {
        let al = alpha * .pi / 180, be = beta * .pi / 180, ga = gamma * .pi / 180
        let am = a * 1e-10, bm = b * 1e-10, cm = c * 1e-10
        // Real axes: a along x, b in the xy plane.
        let ax = am, ay = 0.0, az = 0.0
        let bx = bm * cos(ga), by = bm * sin(ga), bz = 0.0
        let cx = cm * cos(be)
        let cy = cm * (cos(al) - cos(be) * cos(ga)) / sin(ga)
        let cz = (cm * cm - cx * cx - cy * cy).squareRoot()
        // Reciprocal axes: cross products over the volume.
        let volume = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)
        func cross(_ u: (Double, Double, Double), _ v: (Double, Double, Double)) -> [Double] {
            [(u.1 * v.2 - u.2 * v.1) / volume, (u.2 * v.0 - u.0 * v.2) / volume, (u.0 * v.1 - u.1 * v.0) / volume]
        }
        return cross((bx, by, bz), (cx, cy, cz)) + cross((cx, cy, cz), (ax, ay, az)) + cross((ax, ay, az), (bx, by, bz))
    }
}

extension UnitCell {
    /// Parses a CrystFEL unit cell file (`CrystFEL unit cell file version 1.0`, then
    /// `a = 79.10 A`, `al = 90.00 deg`, `centering = P` …) or the same lines from a
    /// stream's target-cell block. Lengths may be given in `A` or `nm`.
    public init(crystFELCellText text: String) throws {
        var values: [String: Double] = [:]
        var centering: Character = "P"
        var lattice: String?
        var axis: Character?
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let rest = line[line.index(after: eq)...].split(separator: " ")
            guard let first = rest.first else { continue }
            switch key {
            case "centering": centering = first.first ?? "P"
            case "unique_axis": axis = first.first
            case "lattice_type": lattice = String(first)
            case "a", "b", "c":
                guard let v = Double(first) else { throw MergeError.badCell("\(key) = \(first)") }
                values[key] = rest.count > 1 && rest[1] == "nm" ? v * 10 : v
            case "al", "be", "ga":
                guard let v = Double(first) else { throw MergeError.badCell("\(key) = \(first)") }
                values[key] = rest.count > 1 && rest[1] == "rad" ? v * 180 / .pi : v
            default: continue
            }
        }
        guard let a = values["a"], let b = values["b"], let c = values["c"], let al = values["al"],
              let be = values["be"], let ga = values["ga"]
        else { throw MergeError.badCell("the cell lacks one of a, b, c, al, be, ga") }
        guard [a, b, c].allSatisfy({ $0 > 0 && $0.isFinite }), [al, be, ga].allSatisfy({ $0 > 0 && $0 < 180 })
        else { throw MergeError.badCell("cell parameters out of range: \(a) \(b) \(c) \(al) \(be) \(ga)") }
        self.init(a: a, b: b, c: c, alpha: al, beta: be, gamma: ga, centering: centering, latticeType: lattice,
                  uniqueAxis: axis)
    }
}
