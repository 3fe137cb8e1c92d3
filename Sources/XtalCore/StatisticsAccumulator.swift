/// The mergeable accumulator behind every statistic: fill it from a run's tables, `combine`
/// it with others (runs into the cumulative row, cluster tasks into one job), `finalize` it.
///
/// `combine` is exact: counts add (peaks per frame are counted by value), and the float
/// samples concatenate in order, so the combined accumulator is identical to one filled in
/// a single pass over the same images in the same order. Everything else is computed only
/// in `finalize`: counts, quantiles and histograms do not even depend on that order; means
/// and standard deviations of float samples are summed in sample order, so another order
/// of combination changes them only by rounding (about 1e-15 relative). The accumulator is
/// `Codable`, so a cluster task can hand its partial result to a final step as JSON.
public struct StatisticsAccumulator: Sendable, Equatable, Codable {
    public var images = 0
    /// Images collected: the master file's count when declared, else `images`; never less.
    public var imagesCollected = 0
    public var chunks = 0
    public var hitLine1 = 0
    public var hitLine0 = 0
    public var hitLineAbsent = 0
    public var hits = 0
    public var indexedFrames = 0
    public var indexedHits = 0
    public var indexedByMethod = 0
    public var crystals = 0
    public var multiLatticeFrames = 0
    public var sumNumPeaks: UInt64 = 0
    /// Crystals per lattice type, indexed by `LatticeType.rawValue` (255 → slot 7).
    public var latticeTypeCounts = [Int](repeating: 0, count: 8)
    /// Crystals per (lattice slot × 256 + centering byte).
    public var latticeCenteringCounts: [Int: Int] = [:]
    /// Cell parameter samples a, b, c (Å), α, β, γ (°), finite values only.
    public var cellSamples: [[Float32]] = Array(repeating: [], count: 6)
    public var resolutionLimits: [Float32] = []
    public var resolutionNoEstimate = 0
    public var resolutionAbsent = 0
    /// Peaks per frame (`num_peaks`), counted by value.
    public var peaksPerFrame = IntegerCounts()
    public var peakResolutions: [Float32] = []

    public init() {}

    /// Adds one table of images and their crystals (reduced on all cores when large, see
    /// `TableReduction`).
    public mutating func add(images table: ImageTable, crystals crystalTable: CrystalTable) {
        let n = table.count
        let reduction = TableReduction(images: table, crystals: crystalTable)
        images += n
        imagesCollected += n
        chunks += n
        let f = reduction.flags
        hits += f.hits
        hitLineAbsent += f.hitLineAbsent
        hitLine1 += f.hitLine1
        hitLine0 += n - f.hitLineAbsent - f.hitLine1
        indexedFrames += f.indexedFrames
        indexedHits += f.indexedHits
        indexedByMethod += f.indexedByMethod
        crystals += f.crystals
        multiLatticeFrames += f.multiLatticeFrames
        Self.append(f.peakResolutions, to: &peakResolutions)
        sumNumPeaks &+= reduction.peaks.sum
        peaksPerFrame.combine(reduction.peaks.counts)

        let c = reduction.crystals
        for k in 0..<6 { Self.append(c.cellSamples[k], to: &cellSamples[k]) }
        Self.append(c.resolutionLimits, to: &resolutionLimits)
        resolutionNoEstimate += c.resolutionNoEstimate
        resolutionAbsent += c.resolutionAbsent
        for (key, count) in c.latticeCentering.enumerated() where count > 0 {
            latticeTypeCounts[key >> 8] += count
            latticeCenteringCounts[key, default: 0] += count
        }
    }

    /// Appends a sample; an empty one takes `part`'s storage instead of copying it.
    private static func append(_ part: [Float32], to sample: inout [Float32]) {
        if sample.isEmpty { sample = part } else { sample += part }
    }

    /// Replaces the image count with the processed-image count of an indexamajig log when
    /// that is larger than the chunks seen (non-hits left out of the stream).
    public mutating func declareProcessedImages(_ processed: Int) {
        images = Swift.max(chunks, processed)
        imagesCollected = Swift.max(imagesCollected, images)
    }

    /// Sets the number of images collected from the run's metadata (the denominator of
    /// "skipped images", as py-ISPyB takes DataCollection.numberOfImages). A count below the
    /// images processed is a mismatch the caller reports; the processed count is kept then.
    public mutating func declareCollectedImages(_ collected: Int) {
        imagesCollected = Swift.max(collected, images)
    }

    /// Adds everything `other` holds; exact (see the type's documentation).
    public mutating func combine(_ other: StatisticsAccumulator) {
        images += other.images
        imagesCollected += other.imagesCollected
        chunks += other.chunks
        hitLine1 += other.hitLine1
        hitLine0 += other.hitLine0
        hitLineAbsent += other.hitLineAbsent
        hits += other.hits
        indexedFrames += other.indexedFrames
        indexedHits += other.indexedHits
        indexedByMethod += other.indexedByMethod
        crystals += other.crystals
        multiLatticeFrames += other.multiLatticeFrames
        sumNumPeaks &+= other.sumNumPeaks
        for i in 0..<8 { latticeTypeCounts[i] += other.latticeTypeCounts[i] }
        latticeCenteringCounts.merge(other.latticeCenteringCounts, uniquingKeysWith: +)
        for k in 0..<6 { Self.append(other.cellSamples[k], to: &cellSamples[k]) }
        Self.append(other.resolutionLimits, to: &resolutionLimits)
        resolutionNoEstimate += other.resolutionNoEstimate
        resolutionAbsent += other.resolutionAbsent
        peaksPerFrame.combine(other.peaksPerFrame)
        Self.append(other.peakResolutions, to: &peakResolutions)
    }

    /// Lets the float samples go (cell parameters and resolution limits, 28 bytes a crystal;
    /// peak resolutions, 4 bytes a hit) once they have been combined into every accumulator
    /// that needs them, keeping the counts. A job's run accumulators go into the cumulative
    /// one as each run is done; holding them until the end as well is about 40 MB at 1.2 M
    /// crystals and 1.6 M hits (the 5.4 M-image example). The
    /// accumulator then finalizes to empty distributions: finalize it before, not after.
    public mutating func releaseSamples() {
        cellSamples = Array(repeating: [], count: 6)
        resolutionLimits = []
        peakResolutions = []
    }

    /// `combine` as a value-returning operation.
    public func combined(with other: StatisticsAccumulator) -> StatisticsAccumulator {
        var copy = self
        copy.combine(other)
        return copy
    }

    /// The finished statistics. Cell histograms use py-ISPyB's rule (50 bins after removing
    /// 1.5 × IQR outliers); resolution and peak histograms are plain 50-bin numpy histograms.
    public func finalize() -> RunStatistics {
        func rate(_ x: Int, _ y: Int) -> Double? { y == 0 ? nil : Double(x) / Double(y) }
        // The eight float samples are summarised on all cores, largest first.
        let samples = cellSamples + [resolutionLimits, peakResolutions]
        let order = samples.indices.sorted { samples[$0].count > samples[$1].count }
        let summaries = ParallelMap.map(order.count) { k in
            let i = order[k]
            return DistributionSummary(values: samples[i], binning: i < 6 ? .pyISPyBCell(bins: 50) : .numpy(bins: 50))
        }
        var byIndex = summaries
        for (k, i) in order.enumerated() { byIndex[i] = summaries[k] }
        let cells = Array(byIndex[0..<6])
        let resolution = byIndex[6]

        var latticeTypes: [String: Int] = [:]
        for slot in 0..<8 where latticeTypeCounts[slot] > 0 {
            latticeTypes[Self.latticeName(slot)] = latticeTypeCounts[slot]
        }
        var centerings: [String: Int] = [:]
        var pairs: [String: Int] = [:]
        for (key, count) in latticeCenteringCounts {
            let letter = String(UnicodeScalar(UInt8(key & 0xFF)))
            centerings[letter, default: 0] += count
            pairs["\(Self.latticeName(key >> 8)) \(letter)", default: 0] += count
        }

        return RunStatistics(
            images: images,
            imagesCollected: imagesCollected,
            chunks: chunks,
            hits: hits,
            nonIndexedHits: hits - indexedHits,
            indexedFrames: indexedFrames,
            indexedByMethod: indexedByMethod,
            crystals: crystals,
            multiLatticeFrames: multiLatticeFrames,
            skippedImages: imagesCollected - hits,
            hitRate: rate(hits, images),
            indexingRateOfHits: rate(indexedHits, hits),
            indexingRateOverall: rate(indexedFrames, images),
            hitLines: .init(hit1: hitLine1, hit0: hitLine0, absent: hitLineAbsent),
            sumNumPeaks: sumNumPeaks,
            latticeTypes: latticeTypes,
            centerings: centerings,
            latticeCenterings: pairs,
            cell: .init(a: cells[0], b: cells[1], c: cells[2], alpha: cells[3], beta: cells[4], gamma: cells[5]),
            resolutionLimit: .init(
                distribution: resolution, best: resolution.min, noEstimate: resolutionNoEstimate,
                absent: resolutionAbsent),
            peaksPerFrame: DistributionSummary(runs: peaksPerFrame.runs, binning: .numpy(bins: 50)),
            peakResolution: byIndex[7]
        )
    }

    private static func latticeName(_ slot: Int) -> String {
        slot == 7 ? LatticeType.unknown.name : LatticeType(rawValue: UInt8(slot))!.name
    }
}
