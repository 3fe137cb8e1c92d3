import Foundation

/// A manifest over ../shared/samples/merge: run A300 (runA300.stream, laser on every other
/// frame, the 10 µs pump-probe chain the samples were made with) and three merges with the
/// peers' files — partialator's custom-split light and dark datasets (A300-split-unity) and
/// its plain unity merge (A300-unity), each with check_hkl and compare_hkl outputs.
public enum SampleMergeManifest {
    /// The peers' files of each merge, relative to the samples folder.
    public static let files: [(name: String, laser: String?, files: [String])] = [
        ("light", "light", [
            "A300-split-unity-light.hkl", "A300-split-unity.log", "A300-laser-split.txt", "A300-split-unity-light-check.log",
            "A300-split-unity-light-check-hires.log", "A300-split-unity-light-cchalf.log", "A300-split-unity-light-ccstar.log",
            "A300-split-unity-light-rsplit.log", "A300-split-unity-light-vs-dark-cc.log", "A300-split-unity-dark.hkl",
        ]),
        ("dark", "dark", [
            "A300-split-unity-dark.hkl", "A300-split-unity.log", "A300-laser-split.txt", "A300-split-unity-dark-check.dat",
            "A300-split-unity-dark-cchalf.dat", "A300-split-unity-dark-rsplit.dat",
        ]),
        ("unity", nil, ["A300-unity.hkl", "A300-unity.log", "A300-unity-check.log", "A300-unity-cchalf.log", "A300-unity-rsplit.log"]),
    ]

    /// Writes `manifest.yaml` into `folder` (the merge files' paths can be replaced with
    /// `replacing`: sample name → another path; `withMerges: false` leaves the merges out);
    /// nil with the skip reason when the samples are absent.
    public static func write(
        into folder: TemporaryFolder, replacing: [String: String] = [:], withMerges: Bool = true
    ) throws -> (path: String?, skipReason: String) {
        let (stream, reason) = SharedSamples.path("samples/merge/runA300.stream")
        guard let stream else { return (nil, reason) }
        let samples = URL(fileURLWithPath: stream).deletingLastPathComponent()
        var merges = ""
        for merge in withMerges ? files : [] {
            let paths = merge.files.map { replacing[$0] ?? samples.appendingPathComponent($0).path }
            merges += """

                  - name: \(merge.name)
                    runs: [A300]\(merge.laser.map { "\n    laser: \($0)" } ?? "")
                    files: [\(paths.map { "'\($0)'" }.joined(separator: ", "))]
                """
        }
        let path = try folder.write("manifest.yaml", """
            version: 1
            experiment: crystfel-sample
            runs:
              - name: A300
                results: ['\(stream)']
                event_chain: pp
            event_chains:
              pp:
                events:
                  - {type: LaserExcitation, name: pump, offset: -1.0e-5, duration: 5.0e-6}
                  - {type: XrayDetection, name: probe, offset: 0, duration: 0.010}
            merging: {point_group: 4/mmm}
            \(withMerges ? "merges:" : "")\(merges)

            """)
        return (path, "")
    }
}
