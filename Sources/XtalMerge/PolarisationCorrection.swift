import Foundation

/// The polarisation correction `process_hkl` applies to every measurement before merging
/// (libcrystfel's `polarisation_correction`, default: fully polarised, horizontal,
/// `--polarisation` / `--no-polarisation`).
///
/// For a reflection at reciprocal position (x, y, z) = h a* + k b* + l c*, with
/// kpred = 1/λ: 2θ is the angle between the beam (0, 0, 1) and (x, y, z + kpred),
/// φ = atan2(y, x) − angle, and the factor is
/// P (1 − cos²φ sin²2θ) + (1 − P)(1 − sin²φ sin²2θ); I and σ(I) are divided by it.
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
    }

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
        let modulus = (xl * xl + yl * yl + z * z).squareRoot()
        var cosine = z / modulus
        if cosine > 1 { cosine = 1 }
        if cosine < -1 { cosine = -1 }
        let tt = acos(cosine)
        let phi = atan2(yl, xl) - angle
        let s2 = sin(tt) * sin(tt)
        let p = fraction
        return p * (1 - cos(phi) * cos(phi) * s2) + (1 - p) * (1 - sin(phi) * sin(phi) * s2)
    }
}
