/// The seven CrystFEL lattice types, in the order `lattice_type` names them
/// (`libcrystfel/src/cell.c` `str_lattice`), stored as one byte per crystal.
public enum LatticeType: UInt8, Sendable, CaseIterable, Codable {
    case triclinic = 0, monoclinic, orthorhombic, tetragonal, rhombohedral, hexagonal, cubic
    /// A value the reader did not recognise, or no `lattice_type` line.
    case unknown = 255

    /// The lower-case name CrystFEL writes.
    public var name: String {
        switch self {
        case .triclinic: "triclinic"
        case .monoclinic: "monoclinic"
        case .orthorhombic: "orthorhombic"
        case .tetragonal: "tetragonal"
        case .rhombohedral: "rhombohedral"
        case .hexagonal: "hexagonal"
        case .cubic: "cubic"
        case .unknown: "unknown"
        }
    }

    /// Parses a CrystFEL lattice type name; unknown text gives `.unknown`.
    public init(name: some StringProtocol) {
        self = LatticeType.allCases.first { $0.name == name } ?? .unknown
    }
}
