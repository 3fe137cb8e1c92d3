import XtalCore

/// The fields of one chunk while it is being read; committed to the tables only when the
/// chunk ends well, so a malformed chunk leaves no partial rows behind.
struct ChunkRecord {
    var startLine = 0
    var hasFilename = false
    var filename: ByteLine?
    var event: ByteLine?
    var serial: UInt32 = UInt32.max
    var hitLine: Bool?
    var indexedByNone = true
    var indexedByPresent = false
    var indexingTries: Int?
    var numPeaks: UInt32 = UInt32.max
    var peakResolution: Float32 = .nan
    var photonEnergy: Float32 = .nan
    /// The photon energy at full precision (reflection mode: CrystFEL reads it with `atof`).
    var photonEnergyDouble: Double = .nan
    var listedPeaks: UInt32 = 0
    var maxPeakInverseD: Double = 0
    var headerNumbers: [(Int, Double)] = []
    var headerTexts: [(Int, String)] = []
    var crystals: [CrystalRecord] = []
    /// First problem seen inside the chunk: the chunk is malformed when set.
    var problem: (line: Int, reason: String)?

    mutating func reset(startLine: Int) {
        self.startLine = startLine
        hasFilename = false
        filename = nil
        event = nil
        serial = UInt32.max
        hitLine = nil
        indexedByNone = true
        indexedByPresent = false
        indexingTries = nil
        numPeaks = UInt32.max
        peakResolution = .nan
        photonEnergy = .nan
        photonEnergyDouble = .nan
        listedPeaks = 0
        maxPeakInverseD = 0
        headerNumbers.removeAll(keepingCapacity: true)
        headerTexts.removeAll(keepingCapacity: true)
        crystals.removeAll(keepingCapacity: true)
        problem = nil
    }

    /// Records the first problem only: the reason given for a malformed chunk is its first.
    mutating func fail(_ line: Int, _ reason: String) {
        if problem == nil { problem = (line, reason) }
    }
}

/// The fields of one crystal block while it is being read.
struct CrystalRecord {
    var startLine = 0
    var hasCell = false
    var cell: (Float32, Float32, Float32, Float32, Float32, Float32) = (.nan, .nan, .nan, .nan, .nan, .nan)
    var latticeType = LatticeType.unknown
    var centering = UInt8(ascii: "?")
    var uniqueAxis = UInt8(ascii: "?")
    var resolutionLimit: Float32 = .nan
    var numReflections: Int32 = -1
    var profileRadius: Float32 = .nan
    var detShiftX: Float32 = .nan
    var detShiftY: Float32 = .nan
    /// a*, b*, c* in nm⁻¹ (reflection mode), NaN until read.
    var reciprocalAxes: [Float32] = Array(repeating: .nan, count: 9)

    init(startLine: Int) { self.startLine = startLine }
}

/// Parsers for the value part of the chunk and crystal lines the engine reads.
enum StreamValueParsing {
    /// `… nm^-1 or X A` → X in Å (`inf` → +∞). Falls back to 10 / (nm⁻¹ value).
    static func resolutionInAngstrom(_ value: ByteLine) -> Float32? {
        if let or = value.firstRange(of: " or ") {
            let rest = value.dropFirst(or + 4)
            if let (v, _) = NumberParsing.double(rest) { return Float32(v) }
        }
        if let (inverse, _) = NumberParsing.double(value) {
            return inverse > 0 ? Float32(10 / inverse) : .infinity
        }
        return nil
    }

    /// `a b c nm, al be ga deg` → the six values with a, b, c converted nm → Å.
    static func cell(_ value: ByteLine) -> (Float32, Float32, Float32, Float32, Float32, Float32)? {
        var rest = value
        var lengths: [Double] = []
        lengths.reserveCapacity(3)
        for _ in 0..<3 {
            guard let (v, used) = NumberParsing.double(rest) else { return nil }
            lengths.append(v)
            rest = rest.dropFirst(used)
        }
        guard let comma = rest.firstRange(of: ",") else { return nil }
        rest = rest.dropFirst(comma + 1)
        var angles: [Double] = []
        for _ in 0..<3 {
            guard let (v, used) = NumberParsing.double(rest) else { return nil }
            angles.append(v)
            rest = rest.dropFirst(used)
        }
        // CrystFEL writes the cell lengths in nm; the engine works in Å.
        return (
            Float32(lengths[0] * 10), Float32(lengths[1] * 10), Float32(lengths[2] * 10),
            Float32(angles[0]), Float32(angles[1]), Float32(angles[2])
        )
    }

    /// `x = 0.022 y = -0.009 mm` → (x, y) in mm.
    static func detectorShift(_ value: ByteLine) -> (Float32, Float32)? {
        guard let xAt = value.firstRange(of: "x = "), let yAt = value.firstRange(of: "y = ") else { return nil }
        guard let (x, _) = NumberParsing.double(value.dropFirst(xAt + 4)),
            let (y, _) = NumberParsing.double(value.dropFirst(yAt + 4))
        else { return nil }
        return (Float32(x), Float32(y))
    }

    /// The first non-space byte of a one-letter value (`centering = P`).
    static func letter(_ value: ByteLine) -> UInt8? {
        let t = value.trimmed()
        return t.count >= 1 ? t.first : nil
    }

    /// `+0.0191391 -0.0651388 +0.1066753 nm^-1` → three 32-bit floats at `at` (CrystFEL
    /// reads the reciprocal axes with `%f`).
    static func vector(_ value: ByteLine, into axes: inout [Float32], at: Int) {
        var rest = value
        for i in 0..<3 {
            guard let (v, used) = NumberParsing.double(rest) else { return }
            axes[at + i] = Float32(v)
            rest = rest.dropFirst(used)
        }
    }
}
