/// The columnar table of every crystal's integrated reflections, filled by the stream
/// reader in reflection mode: one flat array per field, and per crystal the offset of its
/// first reflection, so crystal `c` owns rows `start[c] ..< start[c + 1]`.
///
/// Rows of `ReflectionTable` parallel the rows of the run's `CrystalTable`. Values are kept
/// as CrystFEL's reader keeps them: intensity and σ(I) as 32-bit floats (`%f`), the
/// reciprocal axes as written (nm⁻¹, 32-bit), the photon energy as a double (`atof`).
public struct ReflectionTable: Sendable, Equatable {
    /// Offsets into the reflection columns, one more than there are crystals.
    public var start: [Int] = [0]
    /// a*, b*, c* of each crystal (9 values per crystal, nm⁻¹).
    public var reciprocalAxes: [Float32] = []
    /// Photon energy of each crystal's image, eV.
    public var photonEnergy: [Double] = []
    public var h: [Int16] = []
    public var k: [Int16] = []
    public var l: [Int16] = []
    public var intensity: [Float32] = []
    public var sigma: [Float32] = []

    public init() {}

    /// Crystals in the table.
    public var crystalCount: Int { start.count - 1 }
    /// Reflections in the table.
    public var count: Int { h.count }

    /// The rows of crystal `c`.
    public func rows(ofCrystal c: Int) -> Range<Int> { start[c]..<start[c + 1] }

    /// Room for `crystals` more crystals and `rows` more reflections, so that joining
    /// segments grows each column once instead of doubling it along the way.
    public mutating func reserveCapacity(moreCrystals crystals: Int, moreRows rows: Int) {
        start.reserveCapacity(start.count + crystals)
        reciprocalAxes.reserveCapacity(reciprocalAxes.count + 9 * crystals)
        photonEnergy.reserveCapacity(photonEnergy.count + crystals)
        for column in [\ReflectionTable.h, \.k, \.l] { self[keyPath: column].reserveCapacity(count + rows) }
        intensity.reserveCapacity(count + rows)
        sigma.reserveCapacity(count + rows)
    }

    /// Appends `other`'s crystals after these.
    public mutating func append(contentsOf other: ReflectionTable) {
        if crystalCount == 0 {
            self = other
            return
        }
        let base = count
        start += other.start.dropFirst().map { $0 + base }
        reciprocalAxes += other.reciprocalAxes
        photonEnergy += other.photonEnergy
        h += other.h
        k += other.k
        l += other.l
        intensity += other.intensity
        sigma += other.sigma
    }

    /// Where `appendRows` lets a batch of rows be written: row `i` of the batch is
    /// `h[i]`, `k[i]`, … (valid for `i < capacity` only).
    public struct RowWriter {
        public let capacity: Int
        public let h, k, l: UnsafeMutablePointer<Int16>
        public let intensity, sigma: UnsafeMutablePointer<Float32>

        @inline(__always)
        public func set(_ i: Int, _ row: (Int16, Int16, Int16, Float32, Float32)) {
            h[i] = row.0
            k[i] = row.1
            l[i] = row.2
            intensity[i] = row.3
            sigma[i] = row.4
        }
    }

    /// Appends up to `capacity` rows in one batch: `body` writes rows `0 ..< n` through
    /// the writer and returns `n` (one growth and one exclusive access per column per
    /// batch, not per row). The rows belong to the crystal being read, as with `append`.
    @inline(__always)
    public mutating func appendRows(upTo capacity: Int, _ body: (RowWriter) -> Int) {
        let before = h.count
        h.append(contentsOf: repeatElement(0, count: capacity))
        k.append(contentsOf: repeatElement(0, count: capacity))
        l.append(contentsOf: repeatElement(0, count: capacity))
        intensity.append(contentsOf: repeatElement(0, count: capacity))
        sigma.append(contentsOf: repeatElement(0, count: capacity))
        let written = h.withUnsafeMutableBufferPointer { h in
            k.withUnsafeMutableBufferPointer { k in
                l.withUnsafeMutableBufferPointer { l in
                    intensity.withUnsafeMutableBufferPointer { i in
                        sigma.withUnsafeMutableBufferPointer { s in
                            body(RowWriter(capacity: capacity, h: h.baseAddress! + before, k: k.baseAddress! + before,
                                           l: l.baseAddress! + before, intensity: i.baseAddress! + before,
                                           sigma: s.baseAddress! + before))
                        }
                    }
                }
            }
        }
        let unused = capacity - min(max(0, written), capacity)
        h.removeLast(unused)
        k.removeLast(unused)
        l.removeLast(unused)
        intensity.removeLast(unused)
        sigma.removeLast(unused)
    }

    /// Empties the table; `keepingCapacity` keeps its buffers for the next rows.
    public mutating func removeAll(keepingCapacity keep: Bool) {
        start.removeAll(keepingCapacity: keep)
        start.append(0)
        reciprocalAxes.removeAll(keepingCapacity: keep)
        photonEnergy.removeAll(keepingCapacity: keep)
        h.removeAll(keepingCapacity: keep)
        k.removeAll(keepingCapacity: keep)
        l.removeAll(keepingCapacity: keep)
        intensity.removeAll(keepingCapacity: keep)
        sigma.removeAll(keepingCapacity: keep)
    }

    /// Keeps only the first `crystals` crystals and their rows; rows read after the last
    /// closed crystal go too (a chunk that turned out malformed is rolled back this way).
    public mutating func truncate(toCrystals crystals: Int) {
        guard crystals <= crystalCount else { return }
        let rows = start[crystals]
        guard crystals < crystalCount || rows < h.count else { return }
        start.removeLast(start.count - crystals - 1)
        reciprocalAxes.removeLast(reciprocalAxes.count - 9 * crystals)
        photonEnergy.removeLast(photonEnergy.count - crystals)
        h.removeLast(h.count - rows)
        k.removeLast(k.count - rows)
        l.removeLast(l.count - rows)
        intensity.removeLast(intensity.count - rows)
        sigma.removeLast(sigma.count - rows)
    }
}
