import Foundation

/// The polarisation correction `process_hkl` applies to every measurement before merging
/// (libcrystfel's `polarisation_correction`, default: fully polarised, horizontal,
/// `--polarisation` / `--no-polarisation`).
///
/// For a reflection at reciprocal position (x, y, z) = h a* + k b* + l c*, with
/// kpred = 1/λ: 2θ is the angle between the beam (0, 0, 1) and (x, y, z + kpred),
/// φ = atan2(y, x) − angle, and the factor is
/// P (1 − cos²φ sin²2θ) + (1 − P)(1 − sin²φ sin²2θ); I and σ(I) are divided by it.
///
/// Computed without the trigonometry (one per measurement, the merge's inner loop):
/// sin²2θ = 1 − z²/|v|² for v = (x, y, z + kpred), and cos φ = (x cos a + y sin a)/√(x² + y²);
/// equal to libcrystfel's acos/atan2 route to rounding (the merged lists are identical,
/// tested against process_hkl).
public struct PolarisationCorrection: Sendable, Hashable {
    /// Degree of polarisation P (1 = fully polarised).
    public var fraction: Double
    /// Polarisation direction from the horizontal, radians.
    public var angle: Double
    public var disabled: Bool

    public init(fraction: Double = 1.0, angle: Double = 0, disabled: Bool = false) {
        self.fraction = fraction
        self.angle = angle
        self.disabled = disabled
        cosAngle = cos(angle)
        sinAngle = sin(angle)
    }

    private let cosAngle: Double
    private let sinAngle: Double

    public static let processHKLDefault = PolarisationCorrection()
    public static let none = PolarisationCorrection(disabled: true)

    /// The factor for `x` on a crystal with reciprocal axes `axes` (a*, b*, c*, m⁻¹) and
    /// kpred = 1/λ (m⁻¹).
    @inline(__always)
    public func factor(_ x: MillerIndex, axes r: UnsafeBufferPointer<Double>, kpred: Double) -> Double {
        if disabled { return 1 }
        let h = Double(x.h), k = Double(x.k), l = Double(x.l)
        let xl = h * r[0] + k * r[3] + l * r[6]
        let yl = h * r[1] + k * r[4] + l * r[7]
        let zl = h * r[2] + k * r[5] + l * r[8]
        let z = zl + kpred
        let planar = xl * xl + yl * yl
        let s2 = planar / (planar + z * z)  // sin²2θ
        // cos²φ, with atan2(0, 0) = 0 for a reflection on the beam axis.
        let c = planar > 0 ? (xl * cosAngle + yl * sinAngle) * (xl * cosAngle + yl * sinAngle) / planar : cosAngle * cosAngle
        let p = fraction
        return p * (1 - c * s2) + (1 - p) * (1 - (1 - c) * s2)
    }
}
