import Foundation

/// A merged reflection list: one entry per unique reflection, sorted by index as CrystFEL
/// sorts its lists, with the mean intensity, its σ(I) and the number of measurements.
///
/// Intensities and σ are `Float32` when read from a `.hkl` file (CrystFEL reads them with
/// `%f`), `Double` when merged; `roundTripped()` gives what a CrystFEL program would read
/// back after `write`, so figures of merit computed on it equal check_hkl's and
/// compare_hkl's on the written file.
public struct MergedReflections: Sendable, Equatable {
    public var indices: [MillerIndex] = []
    public var intensity: [Double] = []
    public var sigma: [Double] = []
    public var measurements: [Int32] = []
    /// The point group name written in the `Symmetry:` line.
    public var symmetry: String
    /// Notes after `End of reflections` (command line, audit information).
    public var notes: [String] = []

    public init(symmetry: String) { self.symmetry = symmetry }

    public var count: Int { indices.count }

    public mutating func append(_ x: MillerIndex, intensity i: Double, sigma s: Double, measurements n: Int32) {
        indices.append(x)
        intensity.append(i)
        sigma.append(s)
        measurements.append(n)
    }

    /// The position of `x`, by binary search (the list is sorted).
    public func position(of x: MillerIndex) -> Int? {
        var lo = 0, hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && indices[lo] == x ? lo : nil
    }

    /// The values as a CrystFEL program reads them back from the written file: I and σ
    /// printed with two decimals, then parsed as 32-bit floats.
    public func roundTripped() -> MergedReflections {
        var out = self
        out.intensity = intensity.map(MergedReflections.printedAndRead)
        out.sigma = sigma.map(MergedReflections.printedAndRead)
        return out
    }

    /// `x` printed with `%.2f` and read back with `%f` (a 32-bit float), without formatting
    /// text: the value ×100 rounded to an integer n, then the float nearest n/100. Where
    /// either rounding is too close to a tie to decide in doubles, the text route decides.
    @inline(__always)
    static func printedAndRead(_ x: Double) -> Double {
        guard x.isFinite, x.magnitude < 1e12 else { return textRoute(x) }
        let scaled = x * 100
        let floor = scaled.rounded(.down)
        if ((scaled - floor) - 0.5).magnitude < 1e-6 { return textRoute(x) }
        let decimal = scaled.rounded(.toNearestOrAwayFromZero) / 100
        let f = Float32(decimal)
        // Double rounding (decimal → double → float) can only differ from C's strtof
        // next to a midpoint between two floats.
        let other = decimal > Double(f) ? f.nextUp : f.nextDown
        let midpoint = (Double(f) + Double(other)) / 2
        if (decimal - midpoint).magnitude <= decimal.magnitude * 1e-15 { return textRoute(x) }
        return Double(f)
    }

    static func textRoute(_ x: Double) -> Double { Double(Float32(HKLFormat.twoDecimals(x)) ?? .nan) }
}
