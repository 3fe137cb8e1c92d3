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
/// Computed without the trigonometry and with one division (once per measurement, the
/// merge's inner loop; see `corrected`): equal to libcrystfel's acos/atan2 route to
/// rounding (the merged lists are identical, tested against process_hkl).
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

    /// `intensity` divided by the factor for `x` on a crystal with reciprocal axes `axes`
    /// (a*, b*, c*, m⁻¹) and kpred = 1/λ (m⁻¹).
    ///
    /// With v = (x, y, z + kpred), V = |v|², ρ = x² + y² and q = (x cos a + y sin a)²:
    /// cos²φ sin²2θ = q/V and sin²φ sin²2θ = (ρ − q)/V, so the factor is
    /// (P (V − q) + (1 − P)(V − ρ + q)) / V and the corrected intensity one division:
    /// I · V / (P (V − q) + (1 − P)(V − ρ + q)). On the beam axis (ρ = 0) q = 0 and the
    /// factor is exactly 1, as atan2(0, 0) = 0 gives.
    /// (The two-lane form below, on one lane: the same operations, the same bits.)
    @inline(__always)
    public func corrected(_ intensity: Double, _ x: MillerIndex, axes r: UnsafeBufferPointer<Double>, kpred: Double) -> Double {
        corrected(SIMD2(repeating: intensity), h: SIMD2(repeating: Double(x.h)), k: SIMD2(repeating: Double(x.k)),
                  l: SIMD2(repeating: Double(x.l)), axes: r, kpred: kpred)[0]
    }

    /// `corrected` for two measurements at once, lane by lane: each lane's operations are
    /// rounded as scalar ones would be (IEEE 754; Swift contracts nothing into FMAs), so a
    /// lane is bit for bit what the formula above gives in scalar arithmetic.
    /// Why: per measurement the work is a division and a few multiplies, and the division
    /// bounds the loop; `divpd` divides two lanes in about the time `divsd` divides one.
    @inline(__always)
    public func corrected(_ intensity: SIMD2<Double>, h: SIMD2<Double>, k: SIMD2<Double>, l: SIMD2<Double>,
                          axes r: UnsafeBufferPointer<Double>, kpred: Double) -> SIMD2<Double> {
        if disabled { return intensity }
        let xl = h * r[0] + k * r[3] + l * r[6]
        let yl = h * r[1] + k * r[4] + l * r[7]
        let zl = h * r[2] + k * r[5] + l * r[8]
        let z = zl + kpred
        let planar = xl * xl + yl * yl
        let v = planar + z * z
        let projection = xl * cosAngle + yl * sinAngle
        let q = projection * projection
        let p = fraction
        return intensity * (v / (p * (v - q) + (1 - p) * (v - planar + q)))
    }
}
