import Foundation

/// The quantities read from master files and the unit strings producers write for them,
/// converted to xtalreport's convention (see `RunMetadata`).
///
/// Unit spellings seen in real files (shared/docs/nexus-nxmx.md §1.1, §4): `m`, `mm`,
/// `microns`, `um`; `s`, `us`; `deg`, `degree`, `degrees`, `rad`; `angstrom`, `A`; `eV`,
/// `keV`; `pixel`, `pixels`; `Hz`.
enum NexusQuantity {
    case length
    case wavelength
    case energy
    case time
    case angle
    case pixels
    case frequency
    case fraction

    /// The quantity's name in messages.
    var name: String {
        switch self {
        case .length: "length"
        case .wavelength: "wavelength"
        case .energy: "energy"
        case .time: "time"
        case .angle: "angle"
        case .pixels: "pixel coordinate"
        case .frequency: "frequency"
        case .fraction: "fraction"
        }
    }

    /// xtalreport's unit for the quantity.
    var unit: String {
        switch self {
        case .length: "mm"
        case .wavelength: "Å"
        case .energy: "eV"
        case .time: "s"
        case .angle: "deg"
        case .pixels: "px"
        case .frequency: "Hz"
        case .fraction: "1"
        }
    }

    /// NXmx's unit when the file writes none (NeXus assumes SI; pixels for beam centre).
    var nexusDefault: String {
        switch self {
        case .length: "m"
        case .wavelength: "angstrom"
        case .energy: "eV"
        case .time: "s"
        case .angle: "deg"
        case .pixels: "pixel"
        case .frequency: "Hz"
        case .fraction: ""
        }
    }

    /// The factor from `fileUnit` to `unit`, or nil when the spelling is not recognised.
    func factor(from fileUnit: String) -> Double? {
        let u = fileUnit.trimmingCharacters(in: .whitespaces)
        switch self {
        case .length:
            switch u {
            case "m", "metre", "metres", "meter", "meters": return 1000
            case "mm", "millimetre", "millimetres", "millimeter", "millimeters": return 1
            case "um", "µm", "μm", "micron", "microns", "micrometre", "micrometres", "micrometer", "micrometers":
                return 1e-3
            case "nm", "nanometre", "nanometres", "nanometer", "nanometers": return 1e-6
            case "cm": return 10
            default: return nil
            }
        case .wavelength:
            switch u {
            case "angstrom", "angstroms", "Angstrom", "Angstroms", "A", "Å": return 1
            case "nm": return 10
            case "m": return 1e10
            default: return nil
            }
        case .energy:
            switch u {
            case "eV", "ev": return 1
            case "keV", "kev": return 1000
            case "J": return 1 / 1.602176634e-19
            default: return nil
            }
        case .time:
            switch u {
            case "s", "sec", "second", "seconds": return 1
            case "ms", "millisecond", "milliseconds": return 1e-3
            case "us", "µs", "μs", "microsecond", "microseconds": return 1e-6
            case "ns", "nanosecond", "nanoseconds": return 1e-9
            default: return nil
            }
        case .angle:
            switch u {
            case "deg", "degree", "degrees": return 1
            case "rad", "radian", "radians": return 180 / Double.pi
            default: return nil
            }
        case .pixels:
            switch u {
            case "pixel", "pixels", "px": return 1
            default: return nil
            }
        case .frequency:
            switch u {
            case "Hz", "hz", "1/s", "s-1", "s^-1", "counts/s", "photons/s": return 1
            case "kHz": return 1e3
            case "MHz": return 1e6
            default: return nil
            }
        case .fraction:
            switch u {
            case "", "1", "NX_UNITLESS", "NX_DIMENSIONLESS": return 1
            case "%", "percent": return 0.01
            default: return nil
            }
        }
    }
}

/// Planck constant × speed of light in keV·Å (CODATA 2018 exact values), for λ = hc / E.
let hcKeVAngstrom = 12.398_419_843_320_026
/// Electron rest energy m₀c² in keV (CODATA 2018: 0.510 998 950 00 MeV).
let electronRestEnergyKeV = 510.998_950_00
