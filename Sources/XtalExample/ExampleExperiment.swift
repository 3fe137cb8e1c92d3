import Foundation
import XtalNexus

/// The synthetic experiment behind `xtalreport example`: three runs of a lysozyme-like
/// fixed-target chip experiment, their indexamajig logs, NXmx master files and a manifest;
/// with `rotationRun`, also a rotation run as a pipeline leaves it (`ExampleRotationRun`,
/// folder `rot01/`).
///
/// - run01: good chip, hit rate ≈ 35 %.
/// - run02: sparser chip, ≈ 14 %.
/// - run03: pump-probe, interleaved `laser_on` 1/0, ≈ 40 % (a rich chip, so that each
///   time point merges to a dataset whose light − dark difference exceeds its noise), written with
///   `--no-non-hits-in-stream` (the image count comes from its log); its master file
///   carries the pump-probe note and per-frame start times.
public struct ExampleExperiment: Sendable {
    public var totalImages: Int
    public var seed: UInt64
    /// Also write the rotation run (`xtalreport example` does unless told not to).
    public var rotationRun: Bool

    public init(totalImages: Int, seed: UInt64, rotationRun: Bool = false) {
        self.totalImages = totalImages
        self.seed = seed
        self.rotationRun = rotationRun
    }

    /// Where the files went and what they hold.
    public struct Written: Sendable {
        public var manifestPath: String
        public var streams: [String]
        public var logs: [String]
        /// NXmx master files, one per serial run.
        public var masters: [String]
        /// The rotation run's master file, ISPyB XML, Dozor log and DIALS file (when written).
        public var rotationFiles: [String] = []
        public var counts: [ExampleRunCounts]
    }

    /// The runs: `totalImages` split over three, the last taking the remainder.
    var profiles: [ExampleRunProfile] {
        let per = totalImages / 3
        return [
            ExampleRunProfile(name: "run01", images: per, hitRate: 0.35, indexingRate: 0.62, pumpProbe: false, nonHitsLeftOut: false),
            ExampleRunProfile(name: "run02", images: per, hitRate: 0.14, indexingRate: 0.55, pumpProbe: false, nonHitsLeftOut: false),
            ExampleRunProfile(name: "run03", images: totalImages - 2 * per, hitRate: 0.40, indexingRate: 0.8, pumpProbe: true, nonHitsLeftOut: true),
        ]
    }

    /// Writes everything into `directory`; `announce` is called with each path first.
    public func write(to directory: String, announce: (String) -> Void = { _ in }) throws -> Written {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ExampleWriteError(path: directory, reason: error.localizedDescription)
        }
        let root = URL(fileURLWithPath: directory)
        var written = Written(manifestPath: "", streams: [], logs: [], masters: [], counts: [])
        for (i, profile) in profiles.enumerated() {
            let stream = root.appendingPathComponent("\(profile.name).stream").path
            let log = root.appendingPathComponent("\(profile.name).log").path
            announce(stream)
            var writer = ExampleStreamWriter(profile: profile, random: ExampleRandom(seed: seed &* 1000 &+ UInt64(i)))
            written.counts.append(try writer.write(streamPath: stream, logPath: log))
            written.streams.append(stream)
            written.logs.append(log)

            let master = root.appendingPathComponent("\(profile.name)_master.h5").path
            announce(master)
            var random = ExampleRandom(seed: seed &* 1000 &+ 500 &+ UInt64(i))
            do {
                try NXmxMasterWriter.write(
                    ExampleMasterFile.collection(for: profile, runIndex: i, random: &random), to: master)
            } catch {
                throw ExampleWriteError(path: master, reason: error.description)
            }
            written.masters.append(master)
        }
        if rotationRun {
            var rotation = ExampleRotationRun(random: ExampleRandom(seed: seed &* 1000 &+ 900))
            written.rotationFiles = try rotation.write(into: root.appendingPathComponent(ExampleRotationRun.name), announce: announce)
        }
        let manifest = root.appendingPathComponent("manifest.yaml").path
        announce(manifest)
        do {
            try manifestText.write(toFile: manifest, atomically: true, encoding: .utf8)
        } catch {
            throw ExampleWriteError(path: manifest, reason: error.localizedDescription)
        }
        written.manifestPath = manifest
        return written
    }

    /// The rotation run's entry in the manifest.
    var rotationManifestLines: String {
        let n = ExampleRotationRun.name
        return """
              - name: \(n)
                kind: rotation
                master: \(n)/\(n)_master.h5
                processing: [\(n)/\(n)_ispyb.xml]
                image_quality: [\(n)/\(n)_dozor.log, \(n)/\(n)_per_image.json]

            """
    }

    var manifestText: String {
        """
        # xtalreport manifest (format: docs/manifest.md), written by `xtalreport example`.
        version: 1
        experiment: lysozyme-chip-example
        session: mx00000-1
        sample:
          name: lyso-microcrystals
          protein: lysozyme
          support: chip
        output: xtalreport-out
        runs:
          - name: run01
            results: [run01.stream]
            indexamajig_log: run01.log
            master: run01_master.h5
          - name: run02
            results: [run02.stream]
            indexamajig_log: run02.log
            master: run02_master.h5
          - name: run03
            results: [run03.stream]
            indexamajig_log: run03.log
            master: run03_master.h5
            event_chain: pump-probe
        \(rotationRun ? rotationManifestLines : "")event_chains:
          pump-probe:
            # Images alternate light, dark, light … (checked against the stream's laser_on header).
            laser_pattern: interleave
            events:
              - {type: LaserExcitation, name: pump, offset: -0.000010, duration: 0.000005, period: 0, repetition: 1}
              - {type: XrayDetection, name: probe, offset: 0, duration: 0.010}
        merges:
          - name: all-runs
            runs: [run01, run02, run03]
          - name: pump-probe-light
            runs: [run03]
            laser: light
        merging:
          point_group: 4/mmm          # CrystFEL's -y: the Laue class of P4(3)2(1)2

        """
    }
}
