import XtalCore

/// An event chain laid out on one clock: when each probe of a sample position starts and
/// when the pump fires, in the engine's convention (delay = t(probe) − t(pump)).
///
/// The chain's origin is the first probe of a position; the probe repeats
/// `shotsPerPosition` times every `period` (ISPyB `period`, else `duration`), the pump
/// `repetition` times every `period` of its own. I24 writes exactly this: one XrayDetection
/// with repetition = shots per position and period = exposure time
/// (shared/docs/time-resolved.md §2.3).
public struct ChainTimeline: Sendable, Equatable {
    public let shotsPerPosition: Int
    /// Start of the first probe and the spacing of the next ones.
    public let probeOffset: Double
    public let probePeriod: Double
    /// Pump start times on the probe's clock (empty: no pump).
    public let pumpStarts: [Double]

    public init(_ chain: EventChain) {
        shotsPerPosition = chain.shotsPerPosition
        let probe = chain.probe
        probeOffset = probe?.offset ?? 0
        probePeriod = probe?.period ?? probe?.duration ?? 0
        if let pump = chain.pump {
            let first = chain.convention.pumpStart(written: pump.offset)
            let repetition = pump.repetition ?? 1
            let count = repetition.isFinite && repetition >= 1 ? Int(min(repetition, EventChain.maximumRepetition).rounded()) : 1
            let period = pump.period ?? 0
            pumpStarts = period > 0 && period.isFinite && first.isFinite
                ? (0..<count).map { first + Double($0) * period } : [first]
        } else {
            pumpStarts = []
        }
    }

    /// Start of the probe of dose point `k` (0-based shot at a position).
    public func probeStart(dosePoint k: Int) -> Double {
        probeOffset + Double(k) * probePeriod
    }

    /// The pump a probe starting at `t` is timed from: the latest pump that started at or
    /// before it, else the first (a probe before any pump has a negative delay).
    public func pumpStart(before t: Double) -> Double? {
        guard let first = pumpStarts.first else { return nil }
        return pumpStarts.last { $0 <= t + 1e-15 } ?? first
    }

    /// Nominal delay of dose point `k`: probe start − pump start, nil without a pump.
    public func nominalDelay(dosePoint k: Int) -> Double? {
        let t = probeStart(dosePoint: k)
        return pumpStart(before: t).map { t - $0 }
    }
}
