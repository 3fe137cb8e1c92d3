import Foundation

/// The example's crystal: one fixed table of true intensities, the same for every seed.
///
/// I(hkl) is an exponential (Wilson) variate drawn from a hash of the canonical 4/mmm index
/// (max(|h|,|k|), min(|h|,|k|), |l|), so the table is exactly 4/mmm-symmetric, times the
/// fall-off exp(−B/(2d²)) with B = 20 Å²; reflections P4₃2₁2 forbids (h00 with h odd, 00l
/// with l not a multiple of 4) are zero. The light-induced change: 5 % of the unique
/// reflections, chosen by another hash, are twice as strong on laser-on images.
enum ExampleIntensities {
    /// Mean photons of a reflection at d = ∞ on a crystal of scale 1 and full partiality.
    static let photonScale = 600.0
    static let bFactor = 20.0
    static let changedFraction = 0.05
    static let lightFactor = 2.0

    static func hash(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func canonical(_ h: Int, _ k: Int, _ l: Int) -> UInt64 {
        let a = max(abs(h), abs(k)), b = min(abs(h), abs(k)), c = abs(l)
        return UInt64(a) << 40 | UInt64(b) << 20 | UInt64(c)
    }

    static func isAbsent(_ h: Int, _ k: Int, _ l: Int) -> Bool {
        // Screw axes along a and b (h00, 0k0 with odd index) and the 4₃ along c.
        (k == 0 && l == 0 && h % 2 != 0) || (h == 0 && l == 0 && k % 2 != 0) || (h == 0 && k == 0 && l % 4 != 0)
    }

    /// Whether the light changes this reflection.
    static func isChanged(_ h: Int, _ k: Int, _ l: Int) -> Bool {
        let u = Double(hash(canonical(h, k, l) ^ 0x5EED_11C4) >> 11) * 0x1.0p-53
        return u < changedFraction
    }

    /// The true intensity (photons at scale 1) of hkl at 1/d = `inverseD` (Å⁻¹).
    static func intensity(_ h: Int, _ k: Int, _ l: Int, inverseD: Double, light: Bool) -> Double {
        if (h == 0 && k == 0 && l == 0) || isAbsent(h, k, l) { return 0 }
        let u = Double(hash(canonical(h, k, l)) >> 11) * 0x1.0p-53
        let wilson = -log(1 - u)
        var i = photonScale * wilson * exp(-bFactor * inverseD * inverseD / 2)
        if light, isChanged(h, k, l) { i *= lightFactor }
        return i
    }
}

/// One crystal's orientation and what its reflections look like in the stream.
struct ExampleCrystalModel {
    /// Rotation (row-major) from crystal to laboratory axes.
    var rotation: [Double]
    var a: Double, b: Double, c: Double
    /// Per-crystal scale (crystal volume × beam).
    var scale: Double

    /// A uniformly random rotation (from a normalised 4-D Gaussian quaternion).
    static func random(a: Double, b: Double, c: Double, using random: inout ExampleRandom) -> ExampleCrystalModel {
        var q = (random.normal(mean: 0, sd: 1), random.normal(mean: 0, sd: 1), random.normal(mean: 0, sd: 1),
                 random.normal(mean: 0, sd: 1))
        let n = (q.0 * q.0 + q.1 * q.1 + q.2 * q.2 + q.3 * q.3).squareRoot()
        q = (q.0 / n, q.1 / n, q.2 / n, q.3 / n)
        let (w, x, y, z) = q
        let r = [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
                 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
                 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]
        return ExampleCrystalModel(rotation: r, a: a, b: b, c: c, scale: random.uniform(0.7...1.3))
    }

    /// a*, b*, c* in the laboratory frame, nm⁻¹ (columns of the rotation over the lengths).
    var reciprocalAxes: [(Double, Double, Double)] {
        [(a, 0), (b, 1), (c, 2)].map { length, column in
            let s = 10 / length
            return (rotation[column] * s, rotation[3 + column] * s, rotation[6 + column] * s)
        }
    }

    /// The laboratory position of hkl, nm⁻¹.
    func position(_ h: Int, _ k: Int, _ l: Int) -> (Double, Double, Double) {
        let axes = reciprocalAxes
        let (hd, kd, ld) = (Double(h), Double(k), Double(l))
        return (hd * axes[0].0 + kd * axes[1].0 + ld * axes[2].0, hd * axes[0].1 + kd * axes[1].1 + ld * axes[2].1,
                hd * axes[0].2 + kd * axes[1].2 + ld * axes[2].2)
    }

    /// The polarisation factor a horizontally polarised beam gives (the correction
    /// process_hkl divides by), for a reflection at laboratory position `p` with
    /// kpred = 1/λ (same units).
    static func polarisation(_ p: (Double, Double, Double), kpred: Double) -> Double {
        let z = p.2 + kpred
        let cosine = max(-1, min(1, z / (p.0 * p.0 + p.1 * p.1 + z * z).squareRoot()))
        let tt = acos(cosine)
        let phi = atan2(p.1, p.0)
        return 1 - cos(phi) * cos(phi) * sin(tt) * sin(tt)
    }
}
