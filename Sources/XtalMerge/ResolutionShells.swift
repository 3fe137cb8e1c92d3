import Foundation

/// Resolution shells of equal reciprocal volume between 1/d = `rmin` and `rmax` (m⁻¹), as
/// libcrystfel's `fom_make_resolution_shells`: r³ evenly spaced from rmin³ to rmax³.
public struct ResolutionShells: Sendable, Equatable, Codable {
    public let minimum: [Double]
    public let maximum: [Double]

    public var count: Int { minimum.count }

    public init(rmin: Double, rmax: Double, count n: Int) {
        precondition(n >= 1)
        let volumePerShell = (pow(rmax, 3.0) - pow(rmin, 3.0)) / Double(n)
        var mins = [rmin]
        var maxs: [Double] = []
        for i in 1..<n {
            let r = pow(volumePerShell + pow(mins[i - 1], 3.0), 1.0 / 3.0)
            maxs.append(r)
            mins.append(r)
        }
        maxs.append(rmax)
        minimum = mins
        maximum = maxs
    }

    /// The middle of shell `i` in 1/d.
    public func centre(_ i: Int) -> Double { minimum[i] + (maximum[i] - minimum[i]) / 2.0 }

    /// The shell of a reflection at `oneOverD`, as `get_bin` in fom.c: the first shell
    /// with min < r ≤ max; a value at or below the lowest minimum, or at or above the
    /// highest maximum (rounding, CrystFEL says), goes into shell 0.
    @inline(__always)
    public func shell(of r: Double) -> Int {
        for j in 0..<count where r > minimum[j] && r <= maximum[j] { return j }
        return 0
    }
}

/// A resolution limit given in Å, as check_hkl and compare_hkl turn `--lowres`/`--highres`
/// into 1/d: through 32-bit floats (`sscanf("%e")` into a `float`, then stored in a
/// `float` again), so shell edges match theirs to the last bit.
public func crystFELInverseResolution(angstrom: Double) -> Double {
    let given = Double(Float32(angstrom))
    return Double(Float32(1.0 / (given / 1e10)))
}
