import XtalCore

/// A manifest event chain that cannot be used, and why.
public struct ManifestChainError: Error {
    public var reason: String
}

extension Manifest.EventChain {
    /// The most repetitions (pump pulses, shots per position) an event may have: far more
    /// than any experiment, few enough that the pulses of one chain are a small table.
    public static let maximumRepetition = XtalCore.EventChain.maximumRepetition

    /// The engine's model of this chain; throws naming the first bad value.
    public func timingChain(name: String) throws(ManifestChainError) -> XtalCore.EventChain {
        for (i, event) in events.enumerated() {
            let key = "events[\(i)]"
            func finite(_ value: Double?, _ field: String) throws(ManifestChainError) {
                if let value, !value.isFinite { throw ManifestChainError(reason: "\(key).\(field) is \(value), not a finite number") }
            }
            try finite(event.offset, "offset")
            try finite(event.duration, "duration")
            try finite(event.period, "period")
            try finite(event.repetition, "repetition")
            if let r = event.repetition, !(r >= 0) { throw ManifestChainError(reason: "\(key).repetition \(r) is negative") }
            if let r = event.repetition, r > Self.maximumRepetition {
                throw ManifestChainError(reason: "\(key).repetition \(r) is more than \(Int(Self.maximumRepetition))")
            }
            if let p = event.period, !(p >= 0) { throw ManifestChainError(reason: "\(key).period \(p) is negative") }
            if let d = event.duration, !(d >= 0) { throw ManifestChainError(reason: "\(key).duration \(d) is negative") }
        }
        for (value, field) in [(prePumpExposure, "pre_pump_exposure"), (gateStep, "gate_step")] {
            if let value, !value.isFinite { throw ManifestChainError(reason: "\(field) is \(value), not a finite number") }
        }
        let conventionName = convention ?? DelayConvention.ispyb.rawValue
        guard let delayConvention = DelayConvention(rawValue: conventionName) else {
            throw ManifestChainError(
                reason: "unknown convention '\(conventionName)' (expected one of "
                    + DelayConvention.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        var pattern: LaserPattern?
        switch laserPattern {
        case nil: pattern = nil
        case "all": pattern = .allPumped
        case "checker": pattern = .checker
        case "interleave":
            let stride = interleave ?? 2
            guard stride >= 2 else { throw ManifestChainError(reason: "interleave must be at least 2, not \(stride)") }
            pattern = .interleave(stride: stride)
        case let other?:
            throw ManifestChainError(reason: "unknown laser_pattern '\(other)' (expected all, interleave or checker)")
        }
        if interleave != nil, laserPattern != "interleave" {
            throw ManifestChainError(reason: "'interleave' is set but laser_pattern is not 'interleave'")
        }
        var facility = FacilityTiming()
        facility.prePumpExposure = prePumpExposure
        facility.pumpMode = pumpMode
        facility.gateStep = gateStep
        facility.shutter = shutter
        return XtalCore.EventChain(
            name: name, events: events, convention: delayConvention, laserPattern: pattern, laserHeader: laserHeader,
            delayHeader: delayHeader, measured: measured ?? false, facility: facility, source: "manifest")
    }
}
