import Foundation
import XtalCore
import XtalMerge

/// Writes CrystFEL `partialator --custom-split` files: one image per line, `filename event
/// dataset` separated by single spaces, or `filename dataset` for one image per file.
/// Facts from partialator's man page and `load_custom_split` (shared/docs/merging.md §1.2):
/// the lookup key `"filename event"` must match the stream's `Image filename` and `Event`
/// exactly; lines are read into a 1023-byte buffer. The file is read back with
/// partialator's rules (`XtalMerge.CustomSplitFile`) to check it, unless every line is plain
/// (`PlainCustomSplit`), which reads back as written.
public enum CustomSplitWriter {
    /// partialator's line buffer.
    public static let maximumLineBytes = 1023

    /// What was written.
    public struct Written: Sendable, Equatable {
        public var lines = 0
        public var hitsListed = 0
        public var hitsInRuns = 0
        public var problems: [String] = []
        /// Reading the file back with partialator's rules gives the table's assignment.
        public var readBackMatches = true
    }

    /// Writes the lines of every run into `path` and checks that partialator reads them as
    /// written.
    public static func write(
        _ runs: [(images: ImageTable, timing: ImageTiming)], to path: String
    ) throws -> Written {
        if let plain = try PlainCustomSplit.write(runs, to: path) { return plain }
        return try writeCheckingEachLine(runs, to: path)
    }

    /// The path for lines that are not plain (`PlainCustomSplit`): each line checked against
    /// partialator's rules, the file read back.
    static func writeCheckingEachLine(
        _ runs: [(images: ImageTable, timing: ImageTiming)], to path: String
    ) throws -> Written {
        var written = Written()
        var text = ""
        var expected: [String: String] = [:]
        // What each line says, in order: the read-back must give exactly these.
        var lines: [CustomSplitFile.Assignment] = []
        for (images, timing) in runs {
            guard images.filenames.count == images.count else {
                written.problems.append("image filenames were not kept; the custom split cannot be written")
                continue
            }
            for row in 0..<images.count {
                if images.hit[row] { written.hitsInRuns += 1 }
                let point = timing.timePoint(row: row)
                guard point >= 0 else { continue }
                let event = images.events[row]
                let filename = images.filenames[row]
                let label = timing.timePoints[point].label
                let line = event.isEmpty ? "\(filename) \(label)" : "\(filename) \(event) \(label)"
                if !event.isEmpty, !event.contains("//") {
                    written.problems.append("event '\(event)' of \(filename) has no '//': partialator would read it as part of the filename")
                }
                if line.utf8.count >= maximumLineBytes {
                    written.problems.append("a line for \(filename) is longer than partialator's \(maximumLineBytes)-byte buffer")
                }
                let key = "\(filename) \(event.isEmpty ? "//" : event)"
                if let other = expected[key], other != label {
                    written.problems.append("image \(key) is listed under two datasets (\(other), \(label))")
                }
                expected[key] = label
                lines.append(.init(frame: .init(filename: filename, event: event), dataset: label, line: lines.count + 1))
                text += line + "\n"
                written.lines += 1
                if images.hit[row] { written.hitsListed += 1 }
            }
        }
        try AtomicFile.write(text, to: path)
        let readBack = try CustomSplitFile.read(path: path)
        if readBack.frames != lines || !readBack.issues.isEmpty {
            written.readBackMatches = false
            written.problems.append("reading \(path) back with partialator's rules does not give the table's assignment")
        }
        return written
    }
}
