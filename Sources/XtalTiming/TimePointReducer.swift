import XtalCore

/// A run's statistics split by time point, with the accumulators kept so that runs can be
/// combined by label into experiment-wide time points.
public struct TimedRun: Sendable {
    public var name: String
    public var results: TimeResolvedResults
    public var timing: ImageTiming
    /// One accumulator per time point (same order as `results.timePoints`).
    public var timePointAccumulators: [StatisticsAccumulator]
    public var light: StatisticsAccumulator?
    public var dark: StatisticsAccumulator?
}

/// Reduces a run's tables per time point and checks that the time points partition it.
public enum TimePointReducer {
    public static func reduce(
        run name: String, timing: ImageTiming, chain: EventChain, images: ImageTable, crystals: CrystalTable,
        runAccumulator: StatisticsAccumulator, notes: [String] = []
    ) -> TimedRun {
        let pointCount = timing.timePoints.count
        var rowsOfPoint = [[Int]](repeating: [], count: pointCount)
        var unassignedRows: [Int] = []
        var lightRows: [Int] = []
        var darkRows: [Int] = []
        for row in 0..<images.count {
            let point = timing.timePoint(row: row)
            if point < 0 { unassignedRows.append(row) } else { rowsOfPoint[point].append(row) }
            switch timing.laser[timing.frameOfRow[row]] {
            case .on: lightRows.append(row)
            case .off: darkRows.append(row)
            default: break
            }
        }
        let (frames, unassignedFrames) = timing.framesPerTimePoint()
        // Every collected image was processed (non-hits may be left out of the stream):
        // then a time point's processed images are its frames, not only its chunks.
        let allProcessed = runAccumulator.images >= timing.collected && timing.collected > 0

        func accumulate(_ rows: [Int], frames: Int) -> StatisticsAccumulator {
            var a = StatisticsAccumulator()
            a.add(images: images.selecting(rows: rows), crystals: crystals.selecting(imageRows: rows))
            if allProcessed { a.declareProcessedImages(frames) }
            a.declareCollectedImages(frames)
            return a
        }
        let accumulators = (0..<pointCount).map { accumulate(rowsOfPoint[$0], frames: frames[$0]) }
        let unassigned = accumulate(unassignedRows, frames: unassignedFrames)

        var lightFrames = 0
        var darkFrames = 0
        for state in timing.laser {
            if state == .on { lightFrames += 1 } else if state == .off { darkFrames += 1 }
        }
        // The light (or dark) images are often exactly one time point's: its accumulator is
        // then the same, and shares its samples instead of holding them twice.
        func accumulate(laser rows: [Int], frameCount: Int) -> StatisticsAccumulator? {
            guard frameCount > 0 else { return nil }
            if let k = rowsOfPoint.indices.first(where: { frames[$0] == frameCount && rowsOfPoint[$0] == rows }) {
                return accumulators[k]
            }
            return accumulate(rows, frames: frameCount)
        }
        let light = accumulate(laser: lightRows, frameCount: lightFrames)
        let dark = accumulate(laser: darkRows, frameCount: darkFrames)

        let points = timing.timePoints.enumerated().map { i, p in
            TimePointStatistics(
                label: p.label, laserOn: p.laser == .on ? true : p.laser == .off ? false : nil, delay: p.delay,
                dosePoint: p.dosePoint, delaySource: p.delaySource, imagesCollected: frames[i],
                statistics: accumulators[i].finalize())
        }
        let invariants = checkPartition(
            timing: timing, accumulators: accumulators + [unassigned], run: runAccumulator, frames: frames,
            unassignedFrames: unassignedFrames)
        let comparison = (light != nil && dark != nil) ? LightDarkComparator.compare(light: light!, dark: dark!) : nil
        let results = TimeResolvedResults(
            chain: chain, shotsPerPosition: timing.shotsPerPosition, timePoints: points, lightDark: comparison,
            invariants: invariants, notes: notes + timing.notes)
        return TimedRun(
            name: name, results: results, timing: timing, timePointAccumulators: accumulators, light: light, dark: dark)
    }

    /// Σ over time points (plus unassigned) of images, hits, indexed frames and crystals
    /// must equal the run's; every frame has at most one time point by construction.
    static func checkPartition(
        timing: ImageTiming, accumulators: [StatisticsAccumulator], run: StatisticsAccumulator, frames: [Int],
        unassignedFrames: Int
    ) -> TimingInvariants {
        var sum = StatisticsAccumulator()
        for a in accumulators { sum.combine(a) }
        var problems: [String] = []
        let pairs: [(String, Int, Int)] = [
            ("chunks", sum.chunks, run.chunks), ("hits", sum.hits, run.hits),
            ("indexed frames", sum.indexedFrames, run.indexedFrames), ("crystals", sum.crystals, run.crystals),
        ]
        for (what, got, expected) in pairs where got != expected {
            problems.append("the time points hold \(got) \(what), the run \(expected)")
        }
        let assigned = frames.reduce(0, +)
        if assigned + unassignedFrames != timing.collected {
            problems.append("\(assigned) assigned + \(unassignedFrames) unassigned frames ≠ \(timing.collected) collected")
        }
        if unassignedFrames > 0 {
            problems.append(
                "\(unassignedFrames) image(s) have no time point: their laser state is known only from the stream header and they are not in the stream; declare the pattern (laser_pattern) to assign them")
        }
        let empty = timing.timePoints.indices.filter { frames[$0] == 0 }.map { timing.timePoints[$0].label }
        return TimingInvariants(
            imagesCollected: timing.collected, imagesAssigned: assigned, imagesUnassigned: unassignedFrames,
            sumsMatchRun: pairs.allSatisfy { $0.1 == $0.2 }, frameIndexBasis: timing.frameIndexBasis,
            headerPatternDisagreements: timing.headerPatternDisagreements, emptyTimePoints: empty, problems: problems)
    }
}
