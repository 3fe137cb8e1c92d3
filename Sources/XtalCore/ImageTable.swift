/// The columnar per-image table that readers fill: one entry per image (stream chunk,
/// Dozor row, …) in file order, each fact in its own flat array or bitset.
///
/// Units inside the engine: Å for lengths and resolutions, eV for photon energy.
/// "Missing" is `.nan` for floats and `UInt32.max` for integers where a field can be absent.
public struct ImageTable: Sendable {
    /// `Image serial number` (1-based input order); `UInt32.max` when absent. Empty, like
    /// `photonEnergy`, `filenames` and `events`, when the reader kept no image identities.
    public var serial: [UInt32] = []
    /// Effective hit: the `hit = 1` line, or, for streams without one (CrystFEL < 0.8),
    /// `num_peaks >= min-peaks` of the command line (0 when not given, so every frame).
    public var hit = Bitset()
    /// Images whose chunk had no `hit =` line.
    public var hitLineAbsent = Bitset()
    /// Crystals found on the image (saturates at 255).
    public var crystalCount: [UInt8] = []
    /// `indexed_by` is not `none`.
    public var indexedByMethod = Bitset()
    /// `num_peaks` (`UInt32.max` when absent).
    public var numPeaks: [UInt32] = []
    /// `peak_resolution` in Å (`+inf` when CrystFEL wrote `inf A`, `.nan` when absent).
    public var peakResolution: [Float32] = []
    /// `photon_energy_eV`.
    public var photonEnergy: [Float32] = []
    /// Peaks actually listed in the peak block (full mode only, else empty).
    public var listedPeaks: [UInt32] = []
    /// Highest-resolution listed peak, in Å (full mode only; `.nan` with no peaks).
    public var listedPeakResolution: [Float32] = []
    /// Values copied from the image headers (`header/…`, `hdf5/…`).
    public var headers = HeaderColumns()
    /// `Image filename` per image (kept unless the reader is told to drop identities).
    public var filenames = StringColumn()
    /// `Event` per image (empty string when the chunk has none).
    public var events = StringColumn()

    public init() {}

    /// Number of images.
    public var count: Int { crystalCount.count }

    /// Bitset of images with at least one crystal (CrystFEL's "indexable").
    public var indexed: Bitset {
        crystalCount.withUnsafeBufferPointer { Bitset(nonZero: $0) }
    }

    /// Makes room for the images of `others`, to be appended next: each column grows once
    /// to its final size (appends alone grow by doubling, up to twice the final size).
    public mutating func reserveCapacity(forAppending others: [ImageTable]) {
        let all = [self] + others
        reserveCapacity(
            count + others.reduce(0) { $0 + $1.count }, identities: all.contains { !$0.serial.isEmpty },
            listedPeaks: all.contains { !$0.listedPeaks.isEmpty })
        headers.reserveCapacity(images: count + others.reduce(0) { $0 + $1.count })
        filenames.reserveCapacity(forAppending: others.map(\.filenames))
        events.reserveCapacity(forAppending: others.map(\.events))
    }

    /// Makes room in the flat columns for `n` images in all: the identity columns
    /// (serial, photon energy) only with `identities`, the listed-peak columns only with
    /// `listedPeaks` (a statistics-only read leaves them empty).
    public mutating func reserveCapacity(_ n: Int, identities: Bool, listedPeaks: Bool) {
        if identities {
            serial.reserveCapacity(n)
            photonEnergy.reserveCapacity(n)
        }
        for bits in [\ImageTable.hit, \.hitLineAbsent, \.indexedByMethod] { self[keyPath: bits].reserveCapacity(n) }
        crystalCount.reserveCapacity(n)
        numPeaks.reserveCapacity(n)
        peakResolution.reserveCapacity(n)
        if listedPeaks {
            self.listedPeaks.reserveCapacity(n)
            listedPeakResolution.reserveCapacity(n)
        }
    }

    /// Appends the images of `other` after these.
    public mutating func append(contentsOf other: ImageTable) {
        if count == 0, headers.columns.isEmpty, filenames.count == 0 {
            self = other  // the common case of one file per run: no copy
            return
        }
        serial += other.serial
        hit.append(contentsOf: other.hit)
        hitLineAbsent.append(contentsOf: other.hitLineAbsent)
        crystalCount += other.crystalCount
        indexedByMethod.append(contentsOf: other.indexedByMethod)
        numPeaks += other.numPeaks
        peakResolution += other.peakResolution
        photonEnergy += other.photonEnergy
        listedPeaks += other.listedPeaks
        listedPeakResolution += other.listedPeakResolution
        headers.append(contentsOf: other.headers)
        filenames.append(contentsOf: other.filenames)
        events.append(contentsOf: other.events)
    }
}
