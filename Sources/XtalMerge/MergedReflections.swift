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
        out.intensity = intensity.map { Double(Float32(HKLFormat.twoDecimals($0)) ?? .nan) }
        out.sigma = sigma.map { Double(Float32(HKLFormat.twoDecimals($0)) ?? .nan) }
        return out
    }
}
