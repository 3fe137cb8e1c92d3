import XtalCore

/// The per-image timing table of one run, indexed by collected frame (0-based, collection
/// order): time point, delay, dose point, laser state and whether the delay was measured.
/// Every export (statistics per time point, partialator and DIALS split files) reads this
/// one table, so they cannot disagree.
public struct ImageTiming: Sendable {
    /// Laser state of a frame.
    public enum LaserState: Int8, Sendable {
        case off = 0
        case on = 1
        /// The run has no laser (no pump, or a reaction trigger).
        case notApplicable = -1
        /// A laser run, but nothing says this frame's state (left out of the stream and no
        /// pattern declared): the frame has no time point.
        case unknown = -2
    }

    /// One time point: its label and what defines it.
    public struct TimePoint: Sendable, Equatable {
        public var label: String
        public var laser: LaserState
        /// Nominal delay (s), nil when dark or unknown.
        public var delay: Double?
        /// Dose point shared by all its frames, nil when they differ.
        public var dosePoint: Int?
        public var delaySource: String
    }

    public let shotsPerPosition: Int
    /// Frames collected (the table's length).
    public let collected: Int
    /// Frame index of each row of the run's `ImageTable`.
    public let frameOfRow: [Int]
    public let frameIndexBasis: String
    /// Time point index per frame, −1 for none.
    public internal(set) var timePointOfFrame: [Int32]
    /// Delay per frame in seconds (`.nan` for dark frames or an unknown delay).
    public internal(set) var delay: [Double]
    public internal(set) var laser: [LaserState]
    /// Frames whose delay was measured rather than nominal.
    public internal(set) var measured: Bitset
    public internal(set) var timePoints: [TimePoint]
    /// Frames whose header laser flag contradicted the declared pattern (the header wins).
    public internal(set) var headerPatternDisagreements: Int
    /// What was noticed while deriving the table (missing header keys, untrusted delays).
    public internal(set) var notes: [String]

    /// Dose point of frame `i`: its shot number at the sample position.
    public func dosePoint(frame i: Int) -> Int { i % shotsPerPosition }

    /// Time point index of table row `row`, −1 for none.
    public func timePoint(row: Int) -> Int { Int(timePointOfFrame[frameOfRow[row]]) }

    /// Frames per time point (index = time point) and the unassigned count.
    public func framesPerTimePoint() -> (counts: [Int], unassigned: Int) {
        var counts = [Int](repeating: 0, count: timePoints.count)
        var unassigned = 0
        for t in timePointOfFrame {
            if t < 0 { unassigned += 1 } else { counts[Int(t)] += 1 }
        }
        return (counts, unassigned)
    }

    init(shotsPerPosition: Int, collected: Int, frames: FrameIndices) {
        self.shotsPerPosition = shotsPerPosition
        self.collected = collected
        frameOfRow = frames.index
        frameIndexBasis = frames.basis
        timePointOfFrame = Array(repeating: -1, count: collected)
        delay = Array(repeating: .nan, count: collected)
        laser = Array(repeating: .unknown, count: collected)
        measured = Bitset(count: collected, value: false)
        timePoints = []
        headerPatternDisagreements = 0
        notes = []
    }
}
