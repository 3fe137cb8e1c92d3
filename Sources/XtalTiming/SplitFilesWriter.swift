import Foundation
import XtalCore

/// Writes the time-resolved exports of a job into `OUTPUT/time-resolved/`: the partialator
/// custom split, the DIALS grouping YAML (with its per-image value file when needed) and
/// the per-image timing table as TSV — all from the same `ImageTiming` tables.
public enum SplitFilesWriter {
    /// A timed run with what the exports need.
    public struct Input: Sendable {
        public var run: TimedRun
        public var images: ImageTable
        /// The h5/nxs file DIALS keys the run's images on (its master file), if any.
        public var imageFile: String?

        public init(run: TimedRun, images: ImageTable, imageFile: String?) {
            self.run = run
            self.images = images
            self.imageFile = imageFile
        }
    }

    public static let folderName = "time-resolved"

    /// `labels`: the experiment-wide time point order (`ExperimentResults.timePoints`), which
    /// gives each time point its value in the DIALS grouping.
    public static func write(_ inputs: [Input], labels: [String], outputDirectory: String) throws
        -> SplitFilesSummary
    {
        let folder = URL(fileURLWithPath: outputDirectory).appendingPathComponent(folderName)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let splitPath = folder.appendingPathComponent("custom-split.txt").path
        // The custom split (written and read back) on one core, the DIALS grouping and the
        // per-image table on the other: they read the same tables and write different files.
        let (splitResult, othersResult) = ParallelMap.pair(
            { Result { try CustomSplitWriter.write(inputs.map { ($0.images, $0.run.timing) }, to: splitPath) } },
            {
                Result { () throws -> DIALSPart in
                    let part = try dialsGrouping(inputs, labels: labels, folder: folder)
                    try PerImageTimingTable.write(inputs, to: folder.appendingPathComponent("per-image.tsv").path)
                    return part
                }
            })
        let split = try splitResult.get()
        let dials = try othersResult.get()
        var problems = split.problems
        if split.hitsListed != split.hitsInRuns {
            let unassigned = inputs.reduce(0) { $0 + $1.run.results.invariants.imagesUnassigned }
            problems.append(
                "the custom split lists \(split.hitsListed) of \(split.hitsInRuns) hits (\(unassigned) image(s) without a time point)")
        }
        problems += dials.problems
        let (yamlPath, arraysPath, groups) = (dials.yamlPath, dials.arraysPath, dials.groups)
        return SplitFilesSummary(
            customSplit: splitPath, customSplitLines: split.lines, hitsListed: split.hitsListed,
            hitsInRuns: split.hitsInRuns, groupingYAML: yamlPath, groupingArrays: arraysPath, dialsGroups: groups,
            problems: problems, consistent: split.readBackMatches && groups.allSatisfy { $0.images == $0.expectedImages })
    }

    /// What the DIALS grouping step wrote (nothing when no run has an .h5/.nxs image file).
    struct DIALSPart: Sendable {
        var yamlPath: String?
        var arraysPath: String?
        var groups: [SplitFilesSummary.DIALSGroup] = []
        var problems: [String] = []
    }

    /// `grouping.yaml` (and its per-image value file when needed) for the runs DIALS can key.
    static func dialsGrouping(_ inputs: [Input], labels: [String], folder: URL) throws -> DIALSPart {
        var part = DIALSPart()
        var dialsRuns: [DIALSGroupingFile.RunEntry] = []
        for input in inputs {
            let file = input.imageFile ?? singleImageFile(input.images)
            guard let file, file.hasSuffix(".h5") || file.hasSuffix(".nxs") else {
                part.problems.append("run \(input.run.name): no .h5/.nxs image file to key the DIALS grouping on; left out of grouping.yaml")
                continue
            }
            dialsRuns.append(.init(name: input.run.name, imageFile: file, timing: input.run.timing))
        }
        guard !dialsRuns.isEmpty else { return part }
        let yaml = folder.appendingPathComponent("grouping.yaml").path
        let arrays = folder.appendingPathComponent("grouping-values.h5").path
        var expected = [String: Int]()
        for run in dialsRuns {
            let (counts, unassigned) = run.timing.framesPerTimePoint()
            for (i, p) in run.timing.timePoints.enumerated() { expected[p.label, default: 0] += counts[i] }
            if unassigned > 0 { expected["no time point", default: 0] += unassigned }
        }
        let result = try DIALSGroupingFile.write(
            dialsRuns, labels: labels, expectedImages: expected, yamlPath: yaml, arraysPath: arrays)
        part.groups = result.groups
        part.problems += result.problems
        part.yamlPath = yaml
        part.arraysPath = result.usedArrays ? arrays : nil
        return part
    }

    /// The one image file every chunk of a run names, if there is exactly one.
    static func singleImageFile(_ images: ImageTable) -> String? {
        guard images.filenames.count == images.count, images.count > 0 else { return nil }
        let first = images.filenames[0]
        for row in 1..<images.count where images.filenames[row] != first { return nil }
        return first
    }
}
