import Foundation
import XtalCore

/// partialator's `--unmerged-output` (CrystFEL 0.11 `write_unmerged`, src/merge.c;
/// ../shared/docs/merging.md §1.3): per crystal it read, in stream-read order,
///
///     Crystal N
///     Filename: FILENAME EVENT
///     Flagged: yes|no
///        h    k    l          I  partiality_ratio [partiality_too_small] [nan_esd]
///     (blank line)
///
/// "Flagged: yes" is a crystal partialator rejected. Only the crystal lines are kept; the
/// reflection lines are counted, not stored (the file has one per observation and can be
/// large: it is memory-mapped and scanned once). A crystal block without its `Filename:` or
/// `Flagged:` line, or a line of neither kind, is an issue with its line.
public struct PartialatorUnmergedFile: Sendable, Codable, Equatable {
    public struct Crystal: Sendable, Codable, Equatable {
        public var index: Int
        public var frame: CustomSplitFile.Frame
        public var flagged: Bool
        /// Line of its `Crystal N` header.
        public var line: Int
    }

    public var file: String
    public var crystals: [Crystal] = []
    public var reflectionLines = 0
    public var issues: [IngestIssue] = []

    public var flagged: Int { crystals.filter(\.flagged).count }

    /// Whether a file starts as partialator's unmerged output.
    public static func recognises(_ head: Substring) -> Bool {
        head.hasPrefix("Crystal ") && head.contains("\nFilename: ")
    }

    public static func read(path: String) throws -> PartialatorUnmergedFile {
        return try parse(try MergeError.contents(of: path, largest: 1 << 40, mapped: true), path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> PartialatorUnmergedFile {
        var parser = Parser(file: PartialatorUnmergedFile(file: path))
        data.withUnsafeBytes { parser.scan($0) }
        parser.finish()
        let file = parser.file
        guard !file.crystals.isEmpty || file.reflectionLines > 0 || !file.issues.isEmpty else {
            throw MergeError.notThisFormat(path: path, reason: "no 'Crystal N' block")
        }
        return file
    }

    /// The line-by-line state of a read.
    private struct Parser {
        var file: PartialatorUnmergedFile
        var current: Crystal?
        var sawFilename = false
        var sawFlag = false

        init(file: PartialatorUnmergedFile) { self.file = file }

        /// Every line of `raw`; reflection lines (a space, a digit or '-' first, from
        /// "%4i %4i %4i %10.2f %10.2f") are only counted.
        mutating func scan(_ raw: UnsafeRawBufferPointer) {
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let count = raw.count
            var start = 0, number = 0
            while start < count {
                let end = memchr(base + start, 0x0A, count - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? count
                number += 1
                if end > start {
                    let first = base[start]
                    if first == 0x20 || first == 0x2D || (0x30...0x39).contains(first) {
                        file.reflectionLines += 1
                    } else {
                        let bytes = UnsafeBufferPointer(start: base + start, count: min(end - start, 4096))
                        take(String(decoding: bytes, as: UTF8.self), number: number)
                    }
                }
                start = end + 1
            }
        }

        mutating func take(_ raw: String, number: Int) {
            let path = file.file
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line.hasPrefix("Crystal ") {
                finish()
                guard let index = Int(line.dropFirst("Crystal ".count)) else {
                    file.issues.append(IngestIssue(kind: .malformedLine, file: path, line: number, reason: "'\(line.prefix(80))': no crystal number"))
                    return
                }
                current = Crystal(index: index, frame: .init(filename: "", event: ""), flagged: false, line: number)
                sawFilename = false
                sawFlag = false
            } else if line.hasPrefix("Filename: "), current != nil {
                // "Filename: %s %s": the event (with "//") last; the filename may hold spaces.
                let rest = line.dropFirst("Filename: ".count)
                if let space = rest.lastIndex(of: " "), rest[rest.index(after: space)...].contains("//") {
                    current?.frame = .init(filename: String(rest[..<space]), event: String(rest[rest.index(after: space)...]))
                } else {
                    current?.frame = .init(filename: rest.trimmingCharacters(in: .whitespaces), event: "")
                }
                sawFilename = true
            } else if line == "Flagged: yes" || line == "Flagged: no", current != nil {
                current?.flagged = line == "Flagged: yes"
                sawFlag = true
            } else {
                file.issues.append(IngestIssue(
                    kind: .malformedLine, file: path, line: number, reason: "'\(line.prefix(80))' is not a line of partialator's unmerged output"))
            }
        }

        mutating func finish() {
            guard let crystal = current else { return }
            if sawFilename, sawFlag {
                file.crystals.append(crystal)
            } else {
                file.issues.append(IngestIssue(
                    kind: .malformedLine, file: file.file, line: crystal.line,
                    reason: "crystal \(crystal.index) has no \(sawFilename ? "'Flagged:'" : "'Filename:'") line; left out"))
            }
            current = nil
        }
    }
}
