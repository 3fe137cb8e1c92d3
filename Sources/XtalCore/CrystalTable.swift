/// The columnar per-crystal table: one entry per `--- Begin crystal` block, several per
/// image for multi-lattice frames, linked to its image by `imageIndex`.
///
/// Cell lengths are in Å (CrystFEL writes nm: ×10 on reading), angles in degrees.
public struct CrystalTable: Sendable {
    /// Row of the image in the run's `ImageTable`.
    public var imageIndex: [UInt32] = []
    public var a: [Float32] = []
    public var b: [Float32] = []
    public var c: [Float32] = []
    public var alpha: [Float32] = []
    public var beta: [Float32] = []
    public var gamma: [Float32] = []
    public var latticeType: [LatticeType] = []
    /// Centering letter as an ASCII byte (`P A B C I F R H`), `?` when absent.
    public var centering: [UInt8] = []
    /// Unique axis as an ASCII byte (`a b c * ?`).
    public var uniqueAxis: [UInt8] = []
    /// `diffraction_resolution_limit` in Å: `+inf` for `inf A`, `.nan` when the line is
    /// absent (`--no-refls-in-stream`).
    public var resolutionLimit: [Float32] = []
    /// `num_reflections`, `-1` when absent.
    public var numReflections: [Int32] = []
    /// `profile_radius` in nm⁻¹ (`.nan` when absent).
    public var profileRadius: [Float32] = []
    /// `predict_refine/det_shift` x and y in mm (`.nan` when absent).
    public var detShiftX: [Float32] = []
    public var detShiftY: [Float32] = []

    public init() {}

    public var count: Int { a.count }

    /// The six cell parameters as columns, in the order a, b, c, α, β, γ.
    public var cellColumns: [[Float32]] { [a, b, c, alpha, beta, gamma] }

    /// Makes room for the crystals of `others`, to be appended next (each column grows
    /// once to its final size).
    public mutating func reserveCapacity(forAppending others: [CrystalTable]) {
        reserveCapacity(count + others.reduce(0) { $0 + $1.count })
    }

    /// Makes room in every column for `n` crystals in all.
    public mutating func reserveCapacity(_ n: Int) {
        imageIndex.reserveCapacity(n)
        for column in [\CrystalTable.a, \.b, \.c, \.alpha, \.beta, \.gamma, \.resolutionLimit, \.profileRadius, \.detShiftX, \.detShiftY] {
            self[keyPath: column].reserveCapacity(n)
        }
        latticeType.reserveCapacity(n)
        centering.reserveCapacity(n)
        uniqueAxis.reserveCapacity(n)
        numReflections.reserveCapacity(n)
    }

    /// Appends `other`'s crystals, shifting their image indices by `imageOffset`.
    public mutating func append(contentsOf other: CrystalTable, imageOffset: UInt32) {
        if count == 0, imageOffset == 0 {
            self = other
            return
        }
        imageIndex += other.imageIndex.map { $0 + imageOffset }
        a += other.a
        b += other.b
        c += other.c
        alpha += other.alpha
        beta += other.beta
        gamma += other.gamma
        latticeType += other.latticeType
        centering += other.centering
        uniqueAxis += other.uniqueAxis
        resolutionLimit += other.resolutionLimit
        numReflections += other.numReflections
        profileRadius += other.profileRadius
        detShiftX += other.detShiftX
        detShiftY += other.detShiftY
    }
}
