import XtalCore

/// Which event chain a run is timed by: the manifest's, else one built from the master
/// file's pump-probe note (DLS I24). The note is cross-checked against a manifest chain,
/// and its delay is not trusted when it equals the pump exposure (the nexgen defect,
/// shared/docs/time-resolved.md §2.5).
public struct ChainSelection: Sendable {
    public var chain: EventChain
    /// Set when the chain's pump delay must not be used.
    public var delayUnknownReason: String?
    public var notes: [String]

    /// The chain for a run, or nil when neither the manifest nor the metadata has timing.
    public static func select(manifest: EventChain?, metadata: RunMetadata?) -> ChainSelection? {
        let note = metadata?.pumpProbe
        if var chain = manifest {
            var notes: [String] = []
            if let note { notes += crossCheck(chain, note) }
            if chain.probe == nil {
                let exposure = frameExposure(metadata)
                chain.events.append(TimingEvent(type: .xrayDetection, name: "probe (implied)", offset: 0, duration: exposure, period: exposure))
                notes.append("the chain has no X-ray event; one probe per image at offset 0 was assumed")
            }
            return ChainSelection(chain: chain, delayUnknownReason: nil, notes: notes)
        }
        guard let note, note.status != false else { return nil }
        return fromNote(note, metadata: metadata)
    }

    /// An I24-style chain from the note: probe at 0 repeated n_exposures times every frame
    /// time, laser `pump_delay` before it for `pump_exposure`.
    static func fromNote(_ note: PumpProbeNote, metadata: RunMetadata?) -> ChainSelection {
        let exposure = frameExposure(metadata)
        let shots = note.exposuresPerPosition.map(Double.init) ?? 1
        var events = [
            TimingEvent(type: .xrayDetection, name: "Xray probe", offset: 0, duration: exposure, period: exposure, repetition: shots)
        ]
        var notes = ["event chain built from the master file's pump-probe note \(note.path)"]
        var reason: String?
        if note.delayEqualsExposure {
            reason = "the master file's pump_delay equals pump_exposure, the nexgen defect; the written delay is not trusted"
            notes.append(reason!)
        } else if note.delay == nil {
            reason = "the master file's note has no pump_delay"
        }
        events.append(
            TimingEvent(
                type: .laserExcitation, name: "Laser probe", offset: -(note.delay?.value ?? 0),
                duration: note.exposure?.value, repetition: 1))
        let chain = EventChain(
            name: "master file note", events: events, convention: .ispyb,
            source: "master file note \(note.path)")
        return ChainSelection(chain: chain, delayUnknownReason: reason, notes: notes)
    }

    /// The time per frame from the metadata (frame time, else count time), for the probe.
    static func frameExposure(_ metadata: RunMetadata?) -> Double? {
        metadata?.detector.frameTime?.value ?? metadata?.detector.countTime?.value
    }

    /// Differences between the manifest's chain and the note, reported, not applied.
    static func crossCheck(_ chain: EventChain, _ note: PumpProbeNote) -> [String] {
        var notes: [String] = []
        let manifestDelay = ChainTimeline(chain).nominalDelay(dosePoint: 0)
        if note.delayEqualsExposure {
            notes.append("the master file's pump note has pump_delay = pump_exposure (nexgen defect); its delay was ignored, the manifest's chain used")
        } else if let written = note.delay?.value, let manifestDelay,
            abs(written - manifestDelay) > 1e-9 + 1e-6 * abs(written)
        {
            notes.append(
                "the manifest's delay \(TimePointLabel.duration(manifestDelay)) differs from the master file note's \(TimePointLabel.duration(written)); the manifest was used")
        }
        if let shots = note.exposuresPerPosition, shots != chain.shotsPerPosition {
            notes.append("the master file note has \(shots) exposure(s) per position, the chain \(chain.shotsPerPosition)")
        }
        if note.status == true, chain.pump == nil {
            notes.append("the master file says the pump was on, but the chain has no pump event")
        }
        return notes
    }
}
