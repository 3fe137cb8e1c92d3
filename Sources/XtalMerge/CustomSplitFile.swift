import Foundation
import XtalCore

/// A partialator `--custom-split` file: one line per frame, `FILENAME EVENT DATASET` (or
/// `FILENAME DATASET` for files of one image), e.g. `runA_000.h5 //17 light`. Blank lines
/// are skipped; a line of another shape, or a frame listed twice, is an issue with its line
/// (partialator would assign such a frame once or not at all).
public struct CustomSplitFile: Sendable, Codable, Equatable {
    public struct Frame: Sendable, Codable, Hashable {
        public var filename: String
        /// Empty for a file of one image.
        public var event: String
        public init(filename: String, event: String) {
            self.filename = filename
            self.event = event
        }
    }

    /// A frame and the dataset the file puts it in.
    public struct Assignment: Sendable, Codable, Equatable {
        public var frame: Frame
        public var dataset: String
    }

    public var file: String
    /// Frame → dataset, in file order.
    public var frames: [Assignment] = []
    public var issues: [IngestIssue] = []

    public init(file: String) {
        self.file = file
    }

    /// Frames per dataset.
    public var countsByDataset: [String: Int] {
        frames.reduce(into: [:]) { $0[$1.dataset, default: 0] += 1 }
    }

    public static func read(path: String) throws -> CustomSplitFile {
        let data: Data
        do {
            data = try BoundedFile.read(path, largest: 1 << 30)
        } catch {
            throw MergeError.unreadable(path: path, reason: error.reason)
        }
        return parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) -> CustomSplitFile {
        var split = CustomSplitFile(file: path)
        var seen: [Frame: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2 || fields.count == 3 else {
                split.issues.append(IngestIssue(
                    kind: .malformedLine, file: path, line: index + 1,
                    reason: "expected 'FILENAME EVENT DATASET' or 'FILENAME DATASET', found \(fields.count) fields; left out"))
                continue
            }
            let frame = Frame(filename: String(fields[0]), event: fields.count == 3 ? String(fields[1]) : "")
            if let first = seen[frame] {
                split.issues.append(IngestIssue(
                    kind: .malformedLine, file: path, line: index + 1,
                    reason: "\(frame.filename) \(frame.event) is listed already (line \(first)); left out"))
                continue
            }
            seen[frame] = index + 1
            split.frames.append(Assignment(frame: frame, dataset: String(fields[fields.count - 1])))
        }
        return split
    }
}
