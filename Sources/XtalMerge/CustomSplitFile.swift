import Foundation
import XtalCore

/// A partialator `--custom-split` file: one line per frame, `FILENAME EVENT DATASET` (or
/// `FILENAME DATASET` for files of one image), e.g. `runA_000.h5 //17 light`, read with
/// partialator's rules (../shared/docs/merging.md §1.2): the dataset is the last field, the
/// field before it the event only if it contains `//`, the rest the filename. Blank lines
/// are skipped; a line of one field, or a frame listed twice, is an issue with its line and
/// left out (partialator would assign such a frame once or not at all); a filename with
/// spaces is read as partialator reads it, with a warning naming the line.
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
        /// Its line in the file (1-based).
        public var line: Int

        public init(frame: Frame, dataset: String, line: Int) {
            self.frame = frame
            self.dataset = dataset
            self.line = line
        }
    }

    public var file: String
    /// Frame → dataset, in file order.
    public var frames: [Assignment] = []
    public var issues: [IngestIssue] = []

    public init(file: String) {
        self.file = file
    }

    /// partialator's lookup: `"filename event"` (`"filename //"` for a line without an
    /// event) → dataset.
    public var datasetsByKey: [String: String] {
        Dictionary(frames.map { ($0.frame.filename + " " + ($0.frame.event.isEmpty ? "//" : $0.frame.event), $0.dataset) },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Frames per dataset.
    public var countsByDataset: [String: Int] {
        frames.reduce(into: [:]) { $0[$1.dataset, default: 0] += 1 }
    }

    public static func read(path: String) throws -> CustomSplitFile {
        return parse(try MergeError.text(of: path, largest: 1 << 30), path: path)
    }

    public static func parse(_ text: String, path: String) -> CustomSplitFile {
        var split = CustomSplitFile(file: path)
        var seen: [Frame: Int] = [:]
        // Bytes, not Characters: a split file of a million frames is read in a fraction of a second.
        var native = text
        native.makeContiguousUTF8()
        native.utf8.withContiguousStorageIfAvailable { bytes in
            var start = 0, number = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                number += 1
                var fields: [String] = []
                var i = start
                while i < end {
                    while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
                    let fieldStart = i
                    while i < end, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0D { i += 1 }
                    if i > fieldStart { fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<i]), as: UTF8.self)) }
                }
                take(fields, line: number, into: &split, seen: &seen)
                start = end + 1
            }
        }
        return split
    }

    /// One line's fields, by partialator's rules (the type's documentation).
    static func take(_ fields: [String], line: Int, into split: inout CustomSplitFile, seen: inout [Frame: Int]) {
        if fields.isEmpty { return }
        let path = split.file
        guard fields.count >= 2 else {
            split.issues.append(IngestIssue(
                kind: .malformedLine, file: path, line: line,
                reason: "expected 'FILENAME EVENT DATASET' or 'FILENAME DATASET', found one field; left out"))
            return
        }
        // partialator's rule (load_custom_split): the dataset is the last field, the one
        // before it the event only if it holds "//", the rest the filename.
        let hasEvent = fields.count >= 3 && fields[fields.count - 2].contains("//")
        let nameFields = fields.dropLast(hasEvent ? 2 : 1)
        let frame = Frame(filename: nameFields.joined(separator: " "), event: hasEvent ? fields[fields.count - 2] : "")
        if nameFields.count > 1 {
            split.issues.append(IngestIssue(
                kind: .warning, file: path, line: line,
                reason: "partialator reads this line as filename '\(frame.filename)'\(hasEvent ? ", event \(frame.event)" : ""), dataset '\(fields.last!)'"))
        }
        if let first = seen[frame] {
            split.issues.append(IngestIssue(
                kind: .malformedLine, file: path, line: line,
                reason: "\(frame.filename) \(frame.event) is listed already (line \(first)); left out"))
            return
        }
        seen[frame] = line
        split.frames.append(Assignment(frame: frame, dataset: fields[fields.count - 1], line: line))
    }
}
