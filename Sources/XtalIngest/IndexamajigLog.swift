/// The progress lines indexamajig writes on stderr (shared/docs/crystfel-stream.md §7):
///
///     N images processed, N hits (x%), N indexable (y% of hits, z% overall), N crystals, R images/sec.
///     Final: N images processed, N hits (x%), N indexable (y% of hits, z% overall), N crystals.
///
/// and the ≤ 0.8 form `Final: N images processed, N had crystals (x%), N crystals overall.`
/// Its image count is the processed-image count when non-hits were left out of the stream.
public struct IndexamajigLog: Sendable, Equatable, Codable {
    /// One progress or summary line.
    public struct Counts: Sendable, Equatable, Codable {
        public var images: Int
        /// nil in the ≤ 0.8 format, which does not report hits.
        public var hits: Int?
        public var indexable: Int
        public var crystals: Int
    }

    /// The `Final:` line, when the run finished.
    public var final: Counts?
    /// The last progress line (the best count for a run that was killed).
    public var lastProgress: Counts?
    public var path: String

    /// Images processed: from `Final:`, else from the last progress line.
    public var processedImages: Int? { final?.images ?? lastProgress?.images }

    /// Reads the log at `path`.
    public static func read(path: String) throws -> IndexamajigLog {
        let file = try MappedFile(path: path)
        let text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
        var log = IndexamajigLog(final: nil, lastProgress: nil, path: path)
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.trimmingPrefixSpaces()
            if line.hasPrefix("Final: ") {
                if let counts = parse(line.dropFirst(7)) { log.final = counts }
            } else if let counts = parse(line) {
                log.lastProgress = counts
            }
        }
        guard log.final != nil || log.lastProgress != nil else {
            throw InputError.unreadable(path: path, reason: "no indexamajig progress or 'Final:' line found")
        }
        return log
    }

    /// Parses `N images processed, …` in either format; nil for any other line.
    static func parse(_ line: Substring) -> Counts? {
        let parts = line.split(separator: ",").map { $0.trimmingPrefixSpaces() }
        guard let first = parts.first, first.hasSuffix("images processed"), let images = leadingInt(first) else {
            return nil
        }
        var hits: Int?
        var indexable: Int?
        var crystals: Int?
        for part in parts.dropFirst() {
            // "N indexable (x% of hits" mentions hits too: test for indexable first.
            if part.contains(" indexable") || part.contains(" had crystals") {
                indexable = leadingInt(part)
            } else if part.contains(" hits (") {
                hits = leadingInt(part)
            } else if part.contains(" crystals") {
                crystals = leadingInt(part)
            }
        }
        guard let indexable, let crystals else { return nil }
        return Counts(images: images, hits: hits, indexable: indexable, crystals: crystals)
    }

    private static func leadingInt(_ s: Substring) -> Int? {
        Int(s.prefix { $0.isNumber })
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> Substring {
        drop { $0 == " " || $0 == "\t" }
    }
}
