import XtalCore

/// Builds a run's `ImageTiming` from its event chain, its results table (header values,
/// events) and its master file's per-frame start times.
///
/// Rules, in order (shared/docs/time-resolved.md §7):
/// - dose point k = frame mod shots per position;
/// - laser state: a per-image header flag where the stream has one, else the chain's
///   pattern (interleave, checker), else "pumped" when the chain has a laser event; frames
///   left out of the stream with no pattern to say their state get no time point;
/// - delay = probe start(k) − pump start, nominal from the chain; measured when a delay
///   header gives it, or, for k > 0, from the frame start times of the position;
/// - label: `dark`, `light_<delay>`, `dose_<k+1>` (dose series without pump), `t_<time>`
///   (reaction trigger), `all` (nothing to split by).
public struct ImageTimingDeriver {
    public var chain: EventChain
    /// Why the chain's pump delay must not be used (e.g. the nexgen note defect), if so.
    public var delayUnknownReason: String?

    public init(chain: EventChain, delayUnknownReason: String? = nil) {
        self.chain = chain
        self.delayUnknownReason = delayUnknownReason
    }

    /// Header names recognised as a per-image laser flag when the chain names none.
    public static let laserFlagNames: Set<String> = ["laser_on", "pump_laser_on", "optical_laser_active", "pumpLaserOn"]

    public func derive(
        images: ImageTable, collected: Int, frames: FrameIndices, frameStart: [Double]? = nil
    ) -> ImageTiming {
        let shots = chain.shotsPerPosition
        let count = max(collected, (frames.index.max() ?? -1) + 1)
        var timing = ImageTiming(shotsPerPosition: shots, collected: count, frames: frames)
        let timeline = ChainTimeline(chain)
        let laserColumn = laserFlagColumn(images, notes: &timing.notes)
        let delayColumn = chain.delayHeader.flatMap { key -> HeaderColumns.Column? in
            let column = images.headers.column(key)
            if column == nil { timing.notes.append("delay header '\(key)' is not in the stream; nominal delays used") }
            return column
        }
        let laserPump = chain.pump?.type == .laserExcitation
        let reaction = chain.pump?.type == .reactionTrigger
        let hasLaser = laserPump || laserColumn != nil || chain.laserPattern != nil
        let pattern: LaserPattern? = chain.laserPattern ?? (laserColumn == nil && laserPump ? .allPumped : nil)

        // Pattern first, for every frame collected.
        for i in 0..<count {
            guard hasLaser else {
                timing.laser[i] = .notApplicable
                continue
            }
            guard let pattern else { continue }
            timing.laser[i] = Self.state(pattern, frame: i, shots: shots)
        }
        // Then what each image in the results says.
        var delayFromHeader = [Int: Double]()
        for row in 0..<images.count {
            let frame = frames.index[row]
            if let column = laserColumn, row < column.numbers.count, !column.numbers[row].isNaN {
                let state: ImageTiming.LaserState = column.numbers[row] != 0 ? .on : .off
                if pattern != nil, timing.laser[frame] != state { timing.headerPatternDisagreements += 1 }
                timing.laser[frame] = state
            }
            if let column = delayColumn, row < column.numbers.count, !column.numbers[row].isNaN {
                delayFromHeader[frame] = column.numbers[row]
            }
        }
        if timing.headerPatternDisagreements > 0 {
            timing.notes.append(
                "\(timing.headerPatternDisagreements) image(s) have a header laser flag that contradicts the declared pattern; the header was used")
        }

        var indexOfLabel: [String: Int] = [:]
        // Time point of each (laser state, dose point): labels are formatted once per pair, not per frame.
        var indexOfKey: [Int: Int] = [:]
        var framesPerPoint: [Int] = []
        var measuredPerPoint: [Int] = []
        for i in 0..<count {
            let k = i % shots
            let state = timing.laser[i]
            if state == .unknown { continue }
            let nominal = delayUnknownReason == nil ? timeline.nominalDelay(dosePoint: k) : nil
            let key = (Int(state.rawValue) + 2) * shots + k
            let index: Int
            if let known = indexOfKey[key] {
                index = known
            } else {
                let point = timePoint(state: state, dosePoint: k, shots: shots, nominal: nominal, reaction: reaction)
                if let known = indexOfLabel[point.label] {
                    index = known
                    if timing.timePoints[index].dosePoint != k { timing.timePoints[index].dosePoint = nil }
                } else {
                    index = timing.timePoints.count
                    indexOfLabel[point.label] = index
                    timing.timePoints.append(point)
                    framesPerPoint.append(0)
                    measuredPerPoint.append(0)
                }
                indexOfKey[key] = index
            }
            timing.timePointOfFrame[i] = Int32(index)
            framesPerPoint[index] += 1
            guard timing.timePoints[index].delay != nil || delayFromHeader[i] != nil else { continue }
            if let value = delayFromHeader[i] {
                timing.delay[i] = value
                timing.measured[i] = true
            } else if let value = measuredDelay(frame: i, dosePoint: k, nominal: nominal, frameStart: frameStart, timeline: timeline) {
                timing.delay[i] = value
                timing.measured[i] = true
            } else if let nominal {
                timing.delay[i] = nominal
                timing.measured[i] = chain.measured
            }
            if timing.measured[i] { measuredPerPoint[index] += 1 }
        }
        for (index, measuredFrames) in measuredPerPoint.enumerated() where measuredFrames > 0 && !chain.measured {
            let how = chain.delayHeader.map { "stream header \($0)" } ?? "frame start times"
            timing.timePoints[index].delaySource += "; measured (\(how)) for \(measuredFrames) of \(framesPerPoint[index]) images"
        }
        Self.sortTimePoints(&timing)
        return timing
    }

    /// The time point of a frame in `state` at dose point `k`.
    private func timePoint(
        state: ImageTiming.LaserState, dosePoint k: Int, shots: Int, nominal: Double?, reaction: Bool
    ) -> ImageTiming.TimePoint {
        switch state {
        case .off:
            return .init(
                label: TimePointLabel.dark(dosePoint: k, shotsPerPosition: shots), laser: .off, delay: nil, dosePoint: k,
                delaySource: "no pump")
        case .on:
            return .init(
                label: TimePointLabel.light(delay: nominal), laser: .on, delay: nominal, dosePoint: k,
                delaySource: delaySource(nominal: nominal))
        case .notApplicable, .unknown:
            if reaction {
                return .init(
                    label: TimePointLabel.reaction(time: nominal), laser: .notApplicable, delay: nominal, dosePoint: k,
                    delaySource: delaySource(nominal: nominal))
            }
            return .init(
                label: shots > 1 ? TimePointLabel.dose(k) : "all", laser: .notApplicable, delay: nil, dosePoint: k,
                delaySource: "no pump")
        }
    }

    static func state(_ pattern: LaserPattern, frame i: Int, shots: Int) -> ImageTiming.LaserState {
        switch pattern {
        case .allPumped: .on
        case .interleave(let stride): i % max(1, stride) == 0 ? .on : .off
        case .checker: (i / shots) % 2 == 0 ? .on : .off
        }
    }

    private func delaySource(nominal: Double?) -> String {
        if let reason = delayUnknownReason { return "unknown (\(reason))" }
        guard nominal != nil else { return "unknown (the chain has no pump event)" }
        return (chain.measured ? "measured" : "nominal") + " (event chain '\(chain.name)', \(chain.convention.rawValue) convention)"
    }

    /// For dose point k > 0: nominal delay plus how much later the frame really started
    /// than the position's first frame, beyond the nominal k × period.
    private func measuredDelay(
        frame i: Int, dosePoint k: Int, nominal: Double?, frameStart: [Double]?, timeline: ChainTimeline
    ) -> Double? {
        guard k > 0, let nominal, let starts = frameStart, i < starts.count, !starts[i].isNaN, !starts[i - k].isNaN
        else { return nil }
        let (t, t0) = (starts[i], starts[i - k])
        return nominal + (t - t0) - (timeline.probeStart(dosePoint: k) - timeline.probeStart(dosePoint: 0))
    }

    private func laserFlagColumn(_ images: ImageTable, notes: inout [String]) -> HeaderColumns.Column? {
        if let key = chain.laserHeader {
            if let column = images.headers.column(key), column.kind != .string { return column }
            notes.append("laser header '\(key)' is not a numeric column of the stream; the declared pattern was used")
            return nil
        }
        return images.headers.columns.first { column in
            column.kind != .string && Self.laserFlagNames.contains(String(column.path.split(separator: "/").last ?? ""))
        }
    }

    /// Orders time points as `TimePointCombiner.precedes` does.
    static func sortTimePoints(_ timing: inout ImageTiming) {
        func key(_ p: ImageTiming.TimePoint) -> TimePointStatistics {
            let on: Bool? = p.laser == .on ? true : p.laser == .off ? false : nil
            return TimePointStatistics(
                label: p.label, laserOn: on, delay: p.delay, dosePoint: p.dosePoint, delaySource: "", imagesCollected: 0,
                statistics: StatisticsAccumulator().finalize())
        }
        let keys = timing.timePoints.map(key)
        let order = keys.indices.sorted { TimePointCombiner.precedes(keys[$0], keys[$1]) }
        var newIndex = [Int32](repeating: -1, count: order.count)
        for (new, old) in order.enumerated() { newIndex[old] = Int32(new) }
        timing.timePoints = order.map { timing.timePoints[$0] }
        for i in timing.timePointOfFrame.indices where timing.timePointOfFrame[i] >= 0 {
            timing.timePointOfFrame[i] = newIndex[Int(timing.timePointOfFrame[i])]
        }
    }
}
