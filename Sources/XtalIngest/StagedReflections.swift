import XtalCore

/// The reflections of the chunk being read (reflection mode), kept aside until the chunk
/// ends well: a malformed chunk leaves no reflections behind, as it leaves no image rows.
struct StagedReflections {
    private var h: [Int16] = []
    private var k: [Int16] = []
    private var l: [Int16] = []
    private var intensity: [Float32] = []
    private var sigma: [Float32] = []

    var count: Int { h.count }

    mutating func removeAll() {
        h.removeAll(keepingCapacity: true)
        k.removeAll(keepingCapacity: true)
        l.removeAll(keepingCapacity: true)
        intensity.removeAll(keepingCapacity: true)
        sigma.removeAll(keepingCapacity: true)
    }

    /// Reads `h k l I sigma(I) …` (CrystFEL's `%4i %4i %4i %10.2f %10.2f …`); false for a
    /// line that is not one, or whose indices do not fit in 16 bits.
    mutating func appendLine(_ line: ByteLine) -> Bool {
        var rest = line
        var index: (Int, Int, Int) = (0, 0, 0)
        for i in 0..<3 {
            guard let (v, used) = NumberParsing.int(rest), v >= Int(Int16.min), v <= Int(Int16.max) else { return false }
            switch i {
            case 0: index.0 = v
            case 1: index.1 = v
            default: index.2 = v
            }
            rest = rest.dropFirst(used)
        }
        guard let (i, usedI) = NumberParsing.double(rest) else { return false }
        rest = rest.dropFirst(usedI)
        guard let (s, _) = NumberParsing.double(rest) else { return false }
        h.append(Int16(index.0))
        k.append(Int16(index.1))
        l.append(Int16(index.2))
        intensity.append(Float32(i))
        sigma.append(Float32(s))
        return true
    }

    /// Appends one crystal, its staged `rows`, to `table`.
    func commit(rows: Range<Int>, axes: [Float32], photonEnergy: Double, into table: inout ReflectionTable) {
        let rows = rows.clamped(to: 0..<count)
        table.h += h[rows]
        table.k += k[rows]
        table.l += l[rows]
        table.intensity += intensity[rows]
        table.sigma += sigma[rows]
        table.reciprocalAxes += axes
        table.photonEnergy.append(photonEnergy)
        table.start.append(table.h.count)
    }
}
