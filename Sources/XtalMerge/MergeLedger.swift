import Synchronization
import XtalCore

/// One run of the per-image ledger as the merge bookkeeping reads it: its image table
/// (file, event, hit, crystals per image) and the time point of each image.
public struct LedgerRun: Sendable {
    public var name: String
    public var images: ImageTable
    /// Time point of each image row, an index into `timePoints`, −1 for none; nil for a
    /// run without time points.
    public var timePointOfImage: [Int32]?
    public var timePoints: [MergeTimePoint]

    public init(name: String, images: ImageTable, timePointOfImage: [Int32]?, timePoints: [MergeTimePoint]) {
        self.name = name
        self.images = images
        self.timePointOfImage = timePointOfImage
        self.timePoints = timePoints
    }

    /// The time point of image `row`, nil for none.
    public func timePoint(row: Int) -> MergeTimePoint? {
        timePointIndex(row: row).map { timePoints[$0] }
    }

    /// The index in `timePoints` of image `row`'s time point, if it has one.
    public func timePointIndex(row: Int) -> Int? {
        guard let tps = timePointOfImage, row < tps.count, tps[row] >= 0 else { return nil }
        return Int(tps[row])
    }

    /// Slot of image `row` in a membership table: 0 for no time point, else its time point + 1.
    func slot(row: Int) -> Int {
        guard let tps = timePointOfImage, row < tps.count else { return 0 }
        return Int(tps[row]) + 1
    }
}

/// Which images went into which merged dataset: the lineage counts of each dataset, by the
/// same selection rule the merge stage applies to crystals (`MergeDatasetSpec.selects`).
public enum MergeLedger {
    /// Each dataset's lineage: per run of its selection (and per time point of a timed run),
    /// images, hits, indexed frames and crystals. `merged[d]` is the crystals the merge of
    /// dataset `d` took.
    public static func lineage(specs: [MergeDatasetSpec], runs: [LedgerRun], merged: [Int]) -> [MergeLineage] {
        var parts = [[MergeLineage.Part]](repeating: [], count: specs.count)
        for run in runs {
            let table = MergeStage.membershipTable(run: run.name, timePoints: run.timePoints, specs: specs)
            // counts[slot] = (images, hits, indexed, crystals)
            var counts = [(Int, Int, Int, Int)](repeating: (0, 0, 0, 0), count: table.count)
            let images = run.images
            for row in 0..<images.count {
                let s = run.slot(row: row)
                let crystals = Int(images.crystalCount[row])
                counts[s].0 += 1
                if images.hit[row] { counts[s].1 += 1 }
                if crystals > 0 { counts[s].2 += 1 }
                counts[s].3 += crystals
            }
            for (s, members) in table.enumerated() {
                // The no-time-point slot of a timed run is a part only where it has images.
                if s == 0, run.timePointOfImage != nil, counts[0].0 == 0 { continue }
                let label = s == 0 ? (run.timePointOfImage == nil ? nil : "none") : run.timePoints[s - 1].label
                for d in members {
                    parts[d].append(MergeLineage.Part(
                        run: run.name, timePoint: label, images: counts[s].0, hits: counts[s].1,
                        indexedFrames: counts[s].2, crystals: counts[s].3))
                }
            }
        }
        return specs.indices.map { MergeLineage(parts: parts[$0], crystalsMerged: $0 < merged.count ? merged[$0] : 0) }
    }

}

/// Where each image of the ledger is, by partialator's key (`FILENAME` and `EVENT`, exactly
/// as the stream's `Image filename` and `Event` lines give them). Built once per job when a
/// peer's file names frames (custom split, unmerged output); runs that kept no image names
/// are not in it.
public struct LedgerFrameIndex: Sendable {
    public struct Place: Sendable, Equatable {
        public var run: Int
        public var row: Int
    }

    var places: [String: Place] = [:]

    public init(_ runs: [LedgerRun]) {
        for (r, run) in runs.enumerated() where run.images.filenames.count == run.images.count {
            places.reserveCapacity(places.count + run.images.count)
            for row in 0..<run.images.count {
                places[run.images.filenames[row] + "\u{0}" + run.images.events[row]] = Place(run: r, row: row)
            }
        }
    }

    public var isEmpty: Bool { places.isEmpty }

    public func place(of frame: CustomSplitFile.Frame) -> Place? { places[frame.filename + "\u{0}" + frame.event] }
}

/// A `LedgerFrameIndex` made the first time a check asks for it, then shared: a job whose
/// peer merges name no frames (no custom split, no unmerged output) never makes one, and one
/// with several makes it once.
public final class SharedFrameIndex: Sendable {
    private let runs: [LedgerRun]
    private let made = Mutex<LedgerFrameIndex?>(nil)

    public init(_ runs: [LedgerRun]) { self.runs = runs }

    public var index: LedgerFrameIndex {
        made.withLock { made in
            if let index = made { return index }
            let index = LedgerFrameIndex(runs)
            made = index
            return index
        }
    }
}
