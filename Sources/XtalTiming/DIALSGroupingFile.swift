import Foundation
import XtalCore
import XtalNexus

/// The DIALS/xia2 image-grouping YAML (`xia2.ssx_reduce grouping=`, `dials.split_still_data
/// grouping=`) for the timed runs, written from the per-image timing table.
///
/// Format facts from `dials/util/image_grouping.py` (shared/docs/merging.md §2.1): one
/// metadata item maps each image file (`.h5`/`.nxs`) to a constant, `'repeat=n'` (value =
/// 0-based image index mod n) or `'file.h5:/path'` (one value per image); groups are the
/// sorted distinct values, named `group_1 … group_N`. After writing, the grouping is
/// evaluated the way DIALS evaluates it — arrays read back from the file — and each
/// group's size compared with the table: the check against the known failure where every
/// image landed in the first group (dials PR #3094).
public enum DIALSGroupingFile {
    /// A run to include: its image file (the key), its timing and the global value of
    /// each of its time points.
    public struct RunEntry: Sendable {
        public var name: String
        public var imageFile: String
        public var timing: ImageTiming

        public init(name: String, imageFile: String, timing: ImageTiming) {
            self.name = name
            self.imageFile = imageFile
            self.timing = timing
        }
    }

    /// How one image file's values are given.
    enum ValueSpec: Equatable {
        case constant(Int)
        case repeating(Int)
        case array(dataset: String)

        func yaml(arraysPath: String) -> String {
            switch self {
            case .constant(let v): "\(v)"
            case .repeating(let n): "'repeat=\(n)'"
            case .array(let dataset): DIALSGroupingFile.quoted(arraysPath + ":" + dataset)
            }
        }
    }

    /// The metadata name in the YAML.
    public static let metadataName = "time_point"

    /// Writes the YAML (and, when a pattern needs it, the HDF5 file of per-image values),
    /// then checks the grouping. `labels` is the experiment-wide time point order: the
    /// value of a time point is its index there; images without one get −1.
    public static func write(
        _ runs: [RunEntry], labels: [String], expectedImages: [String: Int], yamlPath: String, arraysPath: String
    ) throws -> (groups: [SplitFilesSummary.DIALSGroup], usedArrays: Bool, problems: [String]) {
        let valueOf = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var specs: [ValueSpec] = []
        var arrays: [(path: String, values: [Int64])] = []
        for run in runs {
            let values = run.timing.timePointOfFrame.map { t -> Int64 in
                t < 0 ? -1 : Int64(valueOf[run.timing.timePoints[Int(t)].label] ?? -1)
            }
            let spec = simplestSpec(values, dataset: "/\(sanitised(run.name))/\(metadataName)")
            if case .array(let dataset) = spec { arrays.append((dataset, values)) }
            specs.append(spec)
        }
        if !arrays.isEmpty { try IntegerArrayFile.write(arrays, to: arraysPath) }

        var text = """
            # DIALS/xia2 image grouping, written by \(EngineInfo.current.name) \(EngineInfo.current.version) from its per-image timing table.
            # Use: xia2.ssx_reduce grouping=\(URL(fileURLWithPath: yamlPath).lastPathComponent) (merge_by)
            #   or dials.split_still_data grouping=\(URL(fileURLWithPath: yamlPath).lastPathComponent) (split_by).
            # Index basis: 0-based image index within each h5/nxs file ('repeat=n' = index mod n;
            # an array holds one value per image, in file order).
            # Values: \(labels.enumerated().map { "\($0) = \($1)" }.joined(separator: ", ")), -1 = no time point.

            """
        text += "metadata:\n  \(metadataName):\n"
        for (run, spec) in zip(runs, specs) {
            text += "    \(quoted(run.imageFile)): \(spec.yaml(arraysPath: arraysPath))\n"
        }
        text += "grouping:\n"
        for grouping in ["merge_by", "split_by"] {
            text += "  \(grouping):\n    values:\n      - \(metadataName)\n"
        }
        try AtomicFile.write(text, to: yamlPath)

        let (groups, problems) = try evaluate(
            runs: runs, specs: specs, arraysPath: arraysPath, labels: labels, expectedImages: expectedImages)
        return (groups, !arrays.isEmpty, problems)
    }

    /// `constant` when every image has one value, `repeat=n` when value = index mod n,
    /// else an array.
    static func simplestSpec(_ values: [Int64], dataset: String) -> ValueSpec {
        guard let first = values.first else { return .array(dataset: dataset) }
        if values.allSatisfy({ $0 == first }) { return .constant(Int(first)) }
        let n = Int(values.max()!) + 1
        if n >= 2, values.enumerated().allSatisfy({ Int64($0 % n) == $1 }) { return .repeating(n) }
        return .array(dataset: dataset)
    }

    /// Forms the groups as DIALS would from the written specs and compares their sizes with
    /// the images the table assigns to each time point.
    static func evaluate(
        runs: [RunEntry], specs: [ValueSpec], arraysPath: String, labels: [String], expectedImages: [String: Int]
    ) throws -> ([SplitFilesSummary.DIALSGroup], [String]) {
        var counts: [Int: Int] = [:]
        var problems: [String] = []
        for (run, spec) in zip(runs, specs) {
            let images = run.timing.collected
            switch spec {
            case .constant(let v):
                counts[v, default: 0] += images
            case .repeating(let n):
                for i in 0..<images { counts[i % n, default: 0] += 1 }
            case .array(let dataset):
                guard let values = try IntegerArrayFile.read(dataset, from: arraysPath) else {
                    problems.append("\(arraysPath):\(dataset) cannot be read back")
                    continue
                }
                if values.count != images {
                    problems.append("\(arraysPath):\(dataset) has \(values.count) values for \(images) images (DIALS needs one per image)")
                }
                for v in values { counts[Int(v), default: 0] += 1 }
            }
        }
        let values = counts.keys.sorted()
        let width = String(values.count).count
        var groups: [SplitFilesSummary.DIALSGroup] = []
        for (k, value) in values.enumerated() {
            let number = String(k + 1)
            let name = "group_" + String(repeating: "0", count: width - number.count) + number
            let label = value >= 0 && value < labels.count ? labels[value] : "no time point"
            let expected = expectedImages[label] ?? 0
            groups.append(.init(name: name, value: value, label: label, images: counts[value]!, expectedImages: expected))
            if counts[value]! != expected {
                problems.append("DIALS would put \(counts[value]!) images into \(name) (\(label)); the table has \(expected)")
            }
        }
        for label in labels where (expectedImages[label] ?? 0) > 0 && !groups.contains(where: { $0.label == label }) {
            problems.append("time point \(label) has no DIALS group")
        }
        return (groups, problems)
    }

    /// A YAML single-quoted scalar.
    static func quoted(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A run name usable as an HDF5 group name.
    static func sanitised(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
    }
}
