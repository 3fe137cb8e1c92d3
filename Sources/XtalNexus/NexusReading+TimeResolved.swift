import Foundation
import XtalCore

/// The pump-probe note and per-frame timestamps.
extension NexusReading {
    /// nexgen's `add_NXnote(pump_info, "/entry/source/notes")` (DLS I24); I19-2 uses the
    /// default `/entry/notes`. Times in seconds (mx-bluesky passes `pump_exp`, `pump_delay`
    /// in s; nexgen writes no units).
    func readPumpProbeNote() {
        let candidates = [layout.source + "/notes", layout.entry + "/source/notes", layout.entry + "/notes"]
        guard let notes = candidates.first(where: { path in
            file.entry(path) == .group
                && file.childNames(path).contains { $0.hasPrefix("pump") || $0 == "n_exposures" }
        }) else { return }
        let exposure = measurement(.time, notes + "/pump_exposure", notes + "/pump_exp")
        let delay = measurement(.time, notes + "/pump_delay")
        let status = integer(notes + "/pump_status").map { $0 != 0 }
        let defect = exposure != nil && delay != nil && exposure!.value == delay!.value
        if defect {
            warn("\(notes): pump_delay equals pump_exposure (\(delay!.value) s): the nexgen ≤ 0.11.2 defect copies the pump exposure into pump_delay, so the written delay is not the real one; take the delay from the event chain, ISPyB or the beamline log")
        }
        metadata.pumpProbe = PumpProbeNote(
            path: notes, status: status, exposure: exposure, delay: delay, repeatSetting: integer(notes + "/pump_repeat"),
            exposuresPerPosition: integer(notes + "/n_exposures"), delayEqualsExposure: defect)
    }

    /// Per-frame start times, first source found: DECTRIS v2024.2 `start_time[nP]` (s from
    /// `/entry/start_time`), then the odin `_meta.h5` beside a DLS master (`start_time`
    /// in ns on the detector clock, one row per written frame, `frame` = frame number,
    /// unwritten rows = -1).
    func readFrameTimes() {
        for path in [layout.detector + "/start_time", layout.data + "/start_time"] {
            guard let dataset = file.dataset(path), dataset.elementCount > 1, let raw = dataset.doubles(),
                let converted = convert(1, .time, dataset: dataset)
            else { continue }
            setFrameTimes(raw.map { $0 * converted.value }, source: "per-frame start_time (s from start)", path: path)
            return
        }
        guard let metaPath = metaFilePath(), let meta = try? HDF5File(readingAt: metaPath),
            let starts = meta.dataset("/start_time")?.integers(), !starts.isEmpty
        else { return }
        let frames = meta.dataset("/frame")?.integers() ?? starts.indices.map { Int64($0) }
        let count = max(metadata.images?.count ?? 0, Int((frames.max() ?? -1) + 1))
        var times = [Double](repeating: .nan, count: count)
        for (row, start) in starts.enumerated() where start >= 0 && row < frames.count {
            let frame = Int(frames[row])
            if frame >= 0, frame < count { times[frame] = Double(start) * 1e-9 }
        }
        setFrameTimes(times, source: "odin meta file start_time (ns, detector clock)", path: metaPath + ":/start_time")
    }

    /// The `_meta.h5` the master links to (DLS odin layout), resolved next to the master.
    private func metaFilePath() -> String? {
        let directory = URL(fileURLWithPath: file.path).deletingLastPathComponent()
        let detectorLinks = ["/bit_depth_image", "/detector_readout_time", "/detectorSpecific/ntrigger", "/pixel_mask"]
        for suffix in detectorLinks {
            guard let target = file.externalTarget(layout.detector + suffix), target.file.hasSuffix("_meta.h5") else {
                continue
            }
            let name = URL(fileURLWithPath: target.file).lastPathComponent
            let candidate = directory.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
        return nil
    }

    /// Frame starts relative to the first known one, in place (a 1.8 M-frame run's arrays
    /// are made once, not three times).
    private func setFrameTimes(_ given: consuming [Double], source: String, path: String) {
        var times = given
        var known = 0
        var first: Double?
        var last = 0.0
        for time in times where !time.isNaN {
            if first == nil { first = time }
            last = time
            known += 1
        }
        guard let base = first else { return }
        for i in times.indices { times[i] -= base }  // NaN stays NaN
        let frames = times.count
        perImage.frameStart = times
        let interval = known > 1 ? (last - base) / Double(known - 1) : nil
        metadata.frameTimes = FrameTimesSummary(
            source: source, path: path, frames: known, first: 0, last: last - base, meanInterval: interval)
        if known < frames {
            warn("\(path): \(frames - known) of \(frames) frames have no start time")
        }
    }
}
