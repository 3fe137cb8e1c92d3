/// One pass of the statistics core over a run's tables, in three independent parts that
/// run on separate cores for large tables: image flags and peak resolutions, peak counts,
/// and crystals. `StatisticsAccumulator.add` folds the parts in.
///
/// The float samples come out in table order (they are concatenated, never reordered), and
/// a column with no value to drop is shared with the table instead of copied.
struct TableReduction: Sendable {
    struct ImageFlags: Sendable {
        var hits = 0
        var hitLine1 = 0
        var hitLineAbsent = 0
        var indexedFrames = 0
        var indexedHits = 0
        var indexedByMethod = 0
        var crystals = 0
        var multiLatticeFrames = 0
        /// Peak resolutions of the hits, in order; finite values only.
        var peakResolutions: [Float32] = []
    }

    struct PeakCounts: Sendable {
        var sum: UInt64 = 0
        var counts = IntegerCounts()
    }

    struct Crystals: Sendable {
        var cellSamples: [[Float32]] = []
        var resolutionLimits: [Float32] = []
        var resolutionNoEstimate = 0
        var resolutionAbsent = 0
        /// Crystals per (lattice slot × 256 + centering byte), flat.
        var latticeCentering = [Int](repeating: 0, count: 8 << 8)
    }

    var flags = ImageFlags()
    var peaks = PeakCounts()
    var crystals = Crystals()

    /// Tables smaller than this are reduced on the calling thread.
    static let parallelThreshold = 1 << 16

    init(images table: ImageTable, crystals crystalTable: CrystalTable) {
        enum Part: Sendable {
            case flags(ImageFlags), peaks(PeakCounts), crystals(Crystals)
        }
        let work: @Sendable (Int) -> Part = { k in
            switch k {
            case 0: .flags(Self.imageFlags(table))
            case 1: .peaks(Self.peakCounts(table))
            default: .crystals(Self.crystals(crystalTable))
            }
        }
        let parts = table.count + crystalTable.count >= Self.parallelThreshold ? ParallelMap.map(3, work) : (0..<3).map(work)
        for part in parts {
            switch part {
            case .flags(let f): flags = f
            case .peaks(let p): peaks = p
            case .crystals(let c): crystals = c
            }
        }
    }

    private static func imageFlags(_ table: ImageTable) -> ImageFlags {
        var f = ImageFlags()
        let indexed = table.indexed
        f.hits = table.hit.popcount
        f.hitLineAbsent = table.hitLineAbsent.popcount
        f.hitLine1 = (table.hit & ~table.hitLineAbsent).popcount
        f.indexedFrames = indexed.popcount
        f.indexedHits = (indexed & table.hit).popcount
        f.indexedByMethod = table.indexedByMethod.popcount
        table.crystalCount.withUnsafeBufferPointer { p in
            f.crystals = SIMDReductions.sum(p)
            f.multiLatticeFrames = SIMDReductions.countAtLeast(p, 2)
        }
        let hits = f.hits
        f.peakResolutions = table.peakResolution.withUnsafeBufferPointer { resolution in
            [Float32](unsafeUninitializedCapacity: hits) { out, kept in
                kept = 0
                // The set bits of the hit words: the hits, in order.
                for (w, word) in table.hit.words.enumerated() {
                    var bits = word
                    while bits != 0 {
                        let r = resolution[w << 6 | bits.trailingZeroBitCount]
                        out[kept] = r
                        kept += r.isFinite ? 1 : 0
                        bits &= bits &- 1
                    }
                }
            }
        }
        return f
    }

    private static func peakCounts(_ table: ImageTable) -> PeakCounts {
        var p = PeakCounts()
        table.numPeaks.withUnsafeBufferPointer { p.counts.add($0, skipping: UInt32.max) }
        p.sum = p.counts.weightedSum
        return p
    }

    private static func crystals(_ table: CrystalTable) -> Crystals {
        var c = Crystals()
        c.cellSamples = table.cellColumns.map(finiteValues)
        let limits = table.resolutionLimit
        let usable = limits.withUnsafeBufferPointer { SIMDReductions.countPositiveFinite($0) }
        if usable == limits.count {
            c.resolutionLimits = limits
        } else {
            c.resolutionLimits.reserveCapacity(usable)
            for r in limits {
                if r.isNaN {
                    c.resolutionAbsent += 1
                } else if r.isInfinite || r <= 0 {
                    c.resolutionNoEstimate += 1
                } else {
                    c.resolutionLimits.append(r)
                }
            }
        }
        c.latticeCentering.withUnsafeMutableBufferPointer { pairs in
            table.latticeType.withUnsafeBufferPointer { types in
                table.centering.withUnsafeBufferPointer { centering in
                    for i in 0..<types.count {
                        let slot = types[i] == .unknown ? 7 : Int(types[i].rawValue)  // unknown (255) → slot 7
                        pairs[slot << 8 | Int(centering[i])] += 1
                    }
                }
            }
        }
        return c
    }

    /// The column itself when every value is finite (shared, not copied), else its finite values.
    private static func finiteValues(_ column: [Float32]) -> [Float32] {
        let finite = column.withUnsafeBufferPointer { SIMDReductions.countFinite($0) }
        return finite == column.count ? column : column.filter(\.isFinite)
    }
}
