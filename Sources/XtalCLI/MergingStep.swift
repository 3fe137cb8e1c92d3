import Foundation
import XtalCore
import XtalIngest
import XtalMerge
import XtalTiming

/// The merge stage of `run` (and `stats --merge`): which datasets to merge, with which cell
/// and point group, the reflection lists written into `merged/`, and the lines printed.
struct MergingStep {
    var merges: [Manifest.Merge]
    var merging: Manifest.Merging?
    /// `--point-group`, over the manifest's.
    var pointGroup: String?

    /// Whether a job asks for merging: `--merge`, the manifest's `merges`, or a timed run.
    static func wanted(flag: Bool, noMerge: Bool, plan: JobPlan) -> Bool {
        if noMerge { return false }
        return flag || !plan.merges.isEmpty || plan.runs.contains { $0.eventChain != nil }
    }

    var options: MergeOptions {
        var o = MergeOptions()
        o.pointGroup = pointGroup ?? merging?.pointGroup
        if let n = merging?.shells { o.shells = n }
        o.lowResolution = merging?.lowres
        o.highResolution = merging?.highres
        if let n = merging?.minMeasurements { o.minimumMeasurements = n }
        if let n = merging?.accumulationSteps { o.accumulationSteps = n }
        return o
    }

    /// The datasets of a job: every run with streams (not rotation runs, nor serial runs
    /// summarised from spot finding), all of them together (when there are several), each
    /// manifest merge, and each time point over the timed runs.
    func datasets(results: ExperimentResults, timedRuns: [String]) -> [MergeDatasetSpec] {
        let names = results.runs.filter { $0.kind != .rotation && !$0.inputs.isEmpty }.map(\.name)
        var specs = names.map { MergeDatasetSpec(name: $0, kind: .run, runs: [$0]) }
        // All runs together, unless a manifest merge is exactly that.
        let coveredByManifest = merges.contains {
            Set($0.runs) == Set(names) && $0.timePoints == nil && $0.laser == nil && $0.pointGroup == nil
        }
        if names.count > 1, !coveredByManifest {
            specs.append(MergeDatasetSpec(name: "all-runs", kind: .allRuns, runs: names))
        }
        for m in merges {
            specs.append(MergeDatasetSpec(name: m.name, kind: .manifest, runs: m.runs, timePoints: m.timePoints,
                                          laser: m.laser, pointGroup: m.pointGroup))
        }
        for tp in results.timePoints ?? [] {
            specs.append(MergeDatasetSpec(name: "time-point-\(tp.label)", kind: .timePoint, runs: timedRuns,
                                          timePoints: [tp.label], laser: tp.laserOn.map { $0 ? "light" : "dark" }))
        }
        // Names are file names too: a later duplicate gets a number.
        var seen = Set<String>()
        for i in specs.indices {
            var name = specs[i].name
            var n = 2
            while !seen.insert(name).inserted {
                name = "\(specs[i].name)-\(n)"
                n += 1
            }
            specs[i].name = name
        }
        return specs
    }

    /// The cell of the figures: the first target cell in the streams' headers, else the
    /// median cell of the indexed crystals.
    static func cell(results: ExperimentResults) throws -> MergeCell {
        for run in results.runs {
            for p in run.provenance {
                if let text = p.targetCell, let cell = try? UnitCell(crystFELCellText: text) {
                    return MergeCell(cell: cell, source: "target cell in the stream header of \(run.name)")
                }
            }
        }
        let c = results.cumulative.cell
        let medians = [c.a.median, c.b.median, c.c.median, c.alpha.median, c.beta.median, c.gamma.median].map { $0 ?? .nan }
        guard medians.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw MergeError.badCell("the streams have no target cell and no indexed crystal to take a median cell from")
        }
        let centering = results.cumulative.centerings.max { $0.value < $1.value }?.key.first ?? "P"
        let lattice = results.cumulative.latticeTypes.max { $0.value < $1.value }?.key
        return MergeCell(
            cell: UnitCell(a: medians[0], b: medians[1], c: medians[2], alpha: medians[3], beta: medians[4],
                           gamma: medians[5], centering: centering, latticeType: lattice),
            source: "median cell of the indexed crystals (no target cell in the stream headers)")
    }

    /// Merges every dataset, writes the lists into `OUTPUT/merged/` and returns the results.
    func run(ingested: inout [IngestedRun], timed: [SplitFilesWriter.Input], results: ExperimentResults,
             outputDirectory: String?) throws -> MergingResults {
        let timing = Dictionary(timed.map { ($0.run.name, $0.run.timing) }, uniquingKeysWith: { a, _ in a })
        var runs: [MergeRun] = []
        var ledger: [LedgerRun] = []
        var malformed = 0
        for i in ingested.indices {
            let name = ingested[i].results.name
            var run = MergeRun(name: name, reflections: ingested[i].reflections, crystalImage: ingested[i].crystals.imageIndex)
            if let t = timing[name] {
                run.timePointOfImage = (0..<ingested[i].images.count).map { Int32(t.timePoint(row: $0)) }
                run.timePoints = t.timePoints.map {
                    MergeTimePoint(label: $0.label, laser: $0.laser == .on ? "light" : $0.laser == .off ? "dark" : nil)
                }
            }
            malformed += ingested[i].malformedReflectionLines
            runs.append(run)
            ledger.append(LedgerRun(name: name, images: ingested[i].images, timePointOfImage: run.timePointOfImage,
                                    timePoints: run.timePoints))
            ingested[i].reflections = ReflectionStore()  // the stage's copy is the only one now
        }
        let specs = datasets(results: results, timedRuns: runs.filter { $0.timePointOfImage != nil }.map(\.name))
        let output = try MergeStage.run(runs: runs, datasets: specs, cell: try Self.cell(results: results), options: options,
                                        malformedReflectionLines: malformed)
        var merging = output.results
        let lineage = MergeLedger.lineage(specs: specs, runs: ledger, merged: merging.datasets.map(\.crystals))
        for d in merging.datasets.indices { merging.datasets[d].lineage = lineage[d] }
        merging.peerMerges = peerMerges(specs: specs, lineage: lineage, ledger: ledger)
        guard let outputDirectory else { return merging }
        let folder = URL(fileURLWithPath: outputDirectory).appendingPathComponent("merged")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (d, lists) in output.lists.enumerated() {
            let stem = Self.fileStem(lists.name)
            var files: [String] = []
            for (suffix, list) in [("hkl", lists.all), ("hkl1", lists.half1), ("hkl2", lists.half2)] {
                var list = list
                list.notes = ["Generated by \(EngineInfo.current.name) \(EngineInfo.current.version)",
                              "merged dataset '\(lists.name)' (\(merging.datasets[d].crystals) crystals): \(merging.method)"]
                try HKLFormat.write(list, to: folder.appendingPathComponent("\(stem).\(suffix)").path)
                files.append("merged/\(stem).\(suffix)")
            }
            merging.datasets[d].files = files
        }
        try MergeLedgerFile.write(
            runs: ledger, specs: specs, peers: merging.peerMerges, to: folder.appendingPathComponent("ledger.tsv").path)
        return merging
    }

    /// The peers' merges of the manifest datasets that list `files`, read and checked.
    func peerMerges(specs: [MergeDatasetSpec], lineage: [MergeLineage], ledger: [LedgerRun]) -> [PeerMergeResults] {
        // The manifest datasets, in the manifest's order (their names may have been numbered).
        let manifestSpecs = specs.indices.filter { specs[$0].kind == .manifest }
        guard merges.contains(where: { !($0.files ?? []).isEmpty }) else { return [] }
        let frames = SharedFrameIndex(ledger)
        return zip(merges, manifestSpecs).compactMap { merge, d in
            guard let files = merge.files, !files.isEmpty else { return nil }
            return PeerMerge.read(
                dataset: specs[d].name, files: files, base: nil,
                ledger: PeerMerge.Ledger(runs: ledger, selection: specs[d], lineage: lineage[d], frames: frames))
        }
    }

    /// A file name from a dataset name: letters, digits, `-`, `_` and `.` kept, the rest `_`.
    static func fileStem(_ name: String) -> String { FileStem.of(name) }

    /// One line per merged dataset.
    static func render(_ merging: MergingResults) -> String {
        var lines = ["Merged datasets (\(merging.datasets.first.map { "point group \($0.pointGroup)" } ?? "none")):"]
        for d in merging.datasets {
            let o = d.overall, h = d.halfSetOverall
            lines.append(String(format: "  %@: %d crystals, %.2f–%.2f Å, completeness %.2f %%, CC½ %.4f, Rsplit %.2f %%",
                                d.name, d.crystals, o.dMaxAngstrom, o.dMinAngstrom, o.completenessPercent, h.cc, h.rSplitPercent))
        }
        for peer in merging.peerMerges {
            lines.append(PeerMergeText.line(peer))
        }
        for c in merging.lightDark {
            lines.append(String(format: "  %@ vs %@: CC %.4f, R1(I) %.2f %%, Rsplit formula %.2f %% (half-set Rsplit %.2f / %.2f %%)",
                                c.first, c.second, c.overall.cc, c.overall.r1IPercent, c.overall.rSplitPercent,
                                c.firstRSplitPercent, c.secondRSplitPercent))
        }
        return lines.joined(separator: "\n")
    }
}
