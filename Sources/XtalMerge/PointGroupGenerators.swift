/// The generators of each point group, as CrystFEL 0.11.1 lists them in
/// `libcrystfel/src/symmetry.c` (four-index notation: the coefficients of h, k, i, l in the
/// new h, the new k and the new l).
extension PointGroup {
    private typealias V = (Int32, Int32, Int32, Int32)

    private static func op(_ h: V, _ k: V, _ l: V) -> SymmetryOperator { .fourIndex(h, k, l) }

    // The operations the generators are built from, named as in symmetry.c's comments.
    private static let inversion = op((-1, 0, 0, 0), (0, -1, 0, 0), (0, 0, 0, -1))
    private static let twoAlongL = op((-1, 0, 0, 0), (0, -1, 0, 0), (0, 0, 0, 1))
    private static let mirrorNormalL = op((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, -1))
    private static let twoAlongK = op((-1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, -1))
    private static let mirrorNormalK = op((1, 0, 0, 0), (0, -1, 0, 0), (0, 0, 0, 1))
    private static let mirrorNormalH = op((-1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1))
    private static let fourAlongL = op((0, -1, 0, 0), (1, 0, 0, 0), (0, 0, 0, 1))
    private static let fourBarAlongL = op((0, 1, 0, 0), (-1, 0, 0, 0), (0, 0, 0, -1))
    private static let twoAlongHPlusK = op((0, 1, 0, 0), (1, 0, 0, 0), (0, 0, 0, -1))
    private static let threeAlongBodyDiagonal = op((0, 0, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0))
    private static let twoNormalThree = op((0, -1, 0, 0), (-1, 0, 0, 0), (0, 0, 0, -1))
    private static let mirrorRhombohedral = op((0, 1, 0, 0), (1, 0, 0, 0), (0, 0, 0, 1))
    private static let threeAlongL = op((0, 0, 1, 0), (1, 0, 0, 0), (0, 0, 0, 1))
    private static let mirrorNormalI = op((0, -1, 0, 0), (-1, 0, 0, 0), (0, 0, 0, 1))
    private static let sixAlongL = op((0, 0, -1, 0), (-1, 0, 0, 0), (0, 0, 0, 1))
    private static let sixBarAlongL = op((0, 0, 1, 0), (1, 0, 0, 0), (0, 0, 0, -1))
    private static let cubicThree = op((0, 1, 0, 0), (0, 0, 0, 1), (1, 0, 0, 0))

    /// The generators of the group `name` (no unique-axis suffix), or nil if CrystFEL
    /// does not know it.
    static func generators(_ name: String) -> [SymmetryOperator]? {
        switch name {
        case "-1": return [inversion]
        case "1": return []
        case "2/m": return [twoAlongL, mirrorNormalL]
        case "2": return [twoAlongL]
        case "m": return [mirrorNormalL]
        case "mmm": return [twoAlongL, twoAlongK, mirrorNormalK]
        case "222": return [twoAlongL, twoAlongK]
        case "mm2": return [twoAlongL, mirrorNormalK]
        case "4/m": return [fourAlongL, mirrorNormalL]
        case "4": return [fourAlongL]
        case "4mm": return [fourAlongL, mirrorNormalH]
        case "422": return [fourAlongL, twoAlongK]
        case "-4": return [fourBarAlongL]
        case "-42m": return [fourBarAlongL, twoAlongK]
        case "-4m2": return [fourBarAlongL, twoAlongHPlusK]
        case "4/mmm": return [fourAlongL, mirrorNormalH, mirrorNormalL]
        case "3_R": return [threeAlongBodyDiagonal]
        case "-3_R": return [threeAlongBodyDiagonal, inversion]
        case "32_R": return [threeAlongBodyDiagonal, twoNormalThree]
        case "3m_R": return [threeAlongBodyDiagonal, mirrorRhombohedral]
        case "-3m_R": return [threeAlongBodyDiagonal, inversion, mirrorRhombohedral]
        case "3_H": return [threeAlongL]
        case "-3_H": return [threeAlongL, inversion]
        case "321_H": return [threeAlongL, twoAlongHPlusK]
        case "312_H": return [threeAlongL, twoNormalThree]
        case "3m1_H": return [threeAlongL, mirrorNormalI]
        case "31m_H": return [threeAlongL, mirrorRhombohedral]
        case "-3m1_H": return [threeAlongL, inversion, twoAlongHPlusK]
        case "-31m_H": return [threeAlongL, inversion, twoNormalThree]
        case "6": return [sixAlongL]
        case "-6": return [sixBarAlongL]
        case "6/m": return [sixAlongL, mirrorNormalL]
        case "622": return [sixAlongL, twoAlongHPlusK]
        case "6mm": return [sixAlongL, mirrorNormalI]
        case "-6m2": return [sixBarAlongL, mirrorNormalI]
        case "-62m": return [sixBarAlongL, mirrorRhombohedral]
        case "6/mmm": return [sixBarAlongL, mirrorNormalI, inversion]
        case "23": return [twoAlongL, twoAlongK, cubicThree]
        case "m-3": return [twoAlongL, twoAlongK, cubicThree, inversion]
        case "432": return [fourAlongL, twoAlongK, cubicThree]
        case "-43m": return [fourBarAlongL, twoAlongK, cubicThree]
        case "m-3m": return [fourAlongL, twoAlongK, cubicThree, inversion]
        default: return nil
        }
    }

    /// The Laue class (the centrosymmetric group of the lattice's highest symmetry) that
    /// merging uses when a manifest names no point group: from the target cell's lattice
    /// type and unique axis, with CrystFEL's `_ua` suffix where the axis is not c.
    public static func laueClass(latticeType: String, uniqueAxis: Character?, centering: Character?) -> PointGroup? {
        let axisSuffix: String
        switch uniqueAxis {
        case "a": axisSuffix = "_uaa"
        case "b": axisSuffix = "_uab"
        default: axisSuffix = ""
        }
        let name: String
        switch latticeType.lowercased() {
        case "triclinic": name = "-1"
        case "monoclinic": name = "2/m" + axisSuffix
        case "orthorhombic": name = "mmm"
        case "tetragonal": name = "4/mmm" + axisSuffix
        case "rhombohedral": name = centering == "H" ? "-3m1_H" : "-3m_R"
        case "hexagonal": name = "6/mmm" + axisSuffix
        case "cubic": name = "m-3m"
        default: return nil
        }
        return PointGroup(named: name)
    }
}
