#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import XtalCore

/// Splits a stream into segments that start at `----- Begin chunk -----` lines, parses them
/// on several threads, and joins the results into exactly what one sequential read gives:
/// tables in file order, line numbers shifted, chunks counted under the right header, and
/// `--min-peaks` carried across segments (a segment that judged hits by an inherited value
/// that turns out wrong — a concatenated stream with another header in an earlier segment —
/// is parsed again with the right one).
enum StreamSegments {
    /// Below this many bytes per segment, a file is read on one thread.
    static let minimumSegmentBytes = 32 << 20

    /// Segment starts (first is 0) and the end, for `parts` segments of about equal size.
    static func boundaries(_ bytes: UnsafeRawBufferPointer, parts: Int, minimumBytes: Int = minimumSegmentBytes) -> [Int] {
        let count = bytes.count
        let wanted = max(1, min(parts, count / max(1, minimumBytes)))
        guard wanted > 1 else { return [0, count] }
        var starts = [0]
        for k in 1..<wanted {
            if let found = chunkLine(in: bytes, from: max(count * k / wanted, starts.last! + 1)), found < count {
                starts.append(found)
            }
        }
        return starts + [count]
    }

    /// The offset of the first line at or after `from` that is exactly `----- Begin chunk -----`.
    static func chunkLine(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let marker = Array("----- Begin chunk -----".utf8)
        func isMarker(_ lineStart: Int) -> Bool {
            let after = lineStart + marker.count
            return after <= count && memcmp(base + lineStart, marker, marker.count) == 0
                && endsLine(bytes, at: after, atEnd: true)
        }
        if start == 0, isMarker(0) { return 0 }
        var from = max(0, start - 1)
        while from < count {
            guard let nl = memchr(base + from, 0x0A, count - from) else { return nil }
            let lineStart = UnsafeRawPointer(nl) - base + 1
            if isMarker(lineStart) { return lineStart }
            from = lineStart
        }
        return nil
    }

    /// The offset of the last line that is exactly `----- Begin chunk -----` and ends before
    /// the end of `bytes` (its line end is in `bytes`), if any.
    static func lastChunkLine(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let marker = Array("----- Begin chunk -----".utf8)
        func isMarker(_ lineStart: Int) -> Bool {
            let after = lineStart + marker.count
            return after < bytes.count && memcmp(base + lineStart, marker, marker.count) == 0
                && endsLine(bytes, at: after, atEnd: false)
        }
        var searchEnd = bytes.count
        // Line feeds from the last one back: the line after each is a candidate.
        while let position = lastLineFeed(in: bytes, before: searchEnd) {
            if isMarker(position + 1) { return position + 1 }
            searchEnd = position
        }
        return isMarker(0) ? 0 : nil
    }

    /// Whether the line ends at `offset`, as the parser splits lines: a line feed, a
    /// carriage return right before one (CRLF), or (with `atEnd`) the end of `bytes`. A
    /// carriage return followed by anything else is part of the line: a marker followed by
    /// one and more bytes is a damaged marker to the parser, so no segment may start there
    /// (the fuzzer found the two reads disagreeing on such a line).
    static func endsLine(_ bytes: UnsafeRawBufferPointer, at offset: Int, atEnd: Bool) -> Bool {
        if offset == bytes.count { return atEnd }
        if bytes[offset] == 0x0A { return true }
        guard bytes[offset] == 0x0D else { return false }
        if offset + 1 == bytes.count { return atEnd }
        return bytes[offset + 1] == 0x0A
    }

    /// The offset of the last line feed before `end` (glibc's memrchr is not in Swift's
    /// Glibc module; the chunk line is near the end, so a plain loop is enough).
    static func lastLineFeed(in bytes: UnsafeRawBufferPointer, before end: Int) -> Int? {
        var i = end - 1
        while i >= 0 {
            if bytes[i] == 0x0A { return i }
            i -= 1
        }
        return nil
    }

    /// One parsed segment and the parser state the join needs.
    struct Outcome: Sendable {
        var result: StreamReadResult
        var lines: Int
        var chunksBeforeFirstHeader: Int
        var usedInheritedMinPeaks: Bool
        var initialMinPeaks: Int
        var finalMinPeaks: Int
        var sawHeader: Bool
    }

    /// Parses `bytes` (a whole file, or one segment of it).
    static func parse(
        _ bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions, inheritedMinPeaks: Int?,
        segmentFollows: Bool, dropBehind: Bool = false, progress: ((Int) -> Void)?
    ) -> Outcome {
        var parser =
            inheritedMinPeaks.map { StreamParser(path: path, options: options, continuingWithMinPeaks: $0) }
            ?? StreamParser(path: path, options: options)
        var cursor = LineCursor(bytes)
        let progressStep = MappingWindow.step
        var nextProgress = progressStep
        var window = MappingWindow(bytes, enabled: dropBehind)
        while true {
            if parser.ignoresOrdinaryListLines {
                cursor.skipLines(notStartingWithAnyOf: UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "C"))
            }
            if parser.takesReflectionRows {
                guard parser.takeReflectionRows(&cursor) else { break }
            } else {
                guard let line = cursor.next() else { break }
                parser.handle(line, number: cursor.lineNumber)
            }
            if cursor.offset >= nextProgress {
                progress?(cursor.offset)
                nextProgress = cursor.offset + progressStep
                // The parser keeps nothing that points into bytes it has passed.
                window.advance(to: cursor.offset)
            }
        }
        parser.finish(lastLine: cursor.lineNumber, segmentFollows: segmentFollows)
        // A finished segment keeps none of its pages resident (up to a step of them would
        // otherwise stay mapped per segment until the whole file is done).
        window.advance(to: bytes.count)
        progress?(bytes.count)
        return Outcome(
            result: parser.result, lines: cursor.lineNumber, chunksBeforeFirstHeader: parser.chunksBeforeFirstHeader,
            usedInheritedMinPeaks: parser.usedInheritedMinPeaks, initialMinPeaks: parser.initialMinPeaks,
            finalMinPeaks: parser.minPeaks, sawHeader: parser.sawHeader)
    }

    /// Reads `bytes` in `workers` segments in parallel and joins them. `dropBehind`: the
    /// bytes are a file mapping whose passed pages may be released (see `release`).
    static func read(
        _ bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions, workers: Int,
        minimumSegmentBytes: Int = minimumSegmentBytes, dropBehind: Bool = false, progress: (@Sendable (Int) -> Void)?
    ) -> StreamReadResult {
        parse(
            bytes, path: path, options: options, workers: workers, minimumSegmentBytes: minimumSegmentBytes,
            dropBehind: dropBehind, progress: progress
        ).joined()
    }

    /// Parses `bytes` in `workers` segments in parallel, leaving the join to the caller
    /// (`ParsedStream.joined()`).
    static func parse(
        _ bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions, workers: Int,
        minimumSegmentBytes: Int = minimumSegmentBytes, dropBehind: Bool = false, progress: (@Sendable (Int) -> Void)?
    ) -> ParsedStream {
        let queue = WorkQueue(workers: workers)
        defer { queue.close() }
        return schedule(
            bytes, owner: nil, path: path, options: options, on: queue, workers: workers,
            minimumSegmentBytes: minimumSegmentBytes, dropBehind: dropBehind, progress: progress
        ).wait()
    }

    /// Queues the segments of `bytes` on `queue` and returns at once; `owner` keeps the
    /// bytes alive until every segment is parsed. `workers` sets the number of segments:
    /// four per worker, handed out as workers become free (parse cost per byte varies
    /// along a file with the hit rate and the crystals per chunk, so equal halves can
    /// finish tens of milliseconds apart).
    static func schedule(
        _ bytes: UnsafeRawBufferPointer, owner: AnyObject?, path: String, options: StreamReadOptions, on queue: WorkQueue,
        workers: Int, minimumSegmentBytes: Int = minimumSegmentBytes, dropBehind: Bool = false,
        progress: (@Sendable (Int) -> Void)?
    ) -> PendingStream {
        let bounds = boundaries(bytes, parts: workers > 1 ? workers * 4 : 1, minimumBytes: minimumSegmentBytes)
        // The header before the first chunk gives the --min-peaks later segments start with.
        var firstMinPeaks = 0
        if bounds.count > 2 {
            let headerEnd = chunkLine(in: bytes, from: 0) ?? bounds[1]
            firstMinPeaks = parse(
                UnsafeRawBufferPointer(rebasing: bytes[0..<headerEnd]), path: path, options: options, inheritedMinPeaks: nil,
                segmentFollows: false, progress: nil
            ).finalMinPeaks
        }
        let inherited = firstMinPeaks
        let pending = QueuedSegments(bytes: bytes, owner: owner, bounds: bounds, path: path, options: options)
        let segments = bounds.count - 1
        let done = ByteCounter(parts: segments, report: progress)
        for k in 0..<segments {
            pending.started()
            queue.submit {
                pending.finished(
                    k,
                    parse(
                        pending.segment(k), path: path, options: options, inheritedMinPeaks: k == 0 ? nil : inherited,
                        segmentFollows: k < segments - 1, dropBehind: dropBehind, progress: { done.set(k, $0) }))
            }
        }
        return PendingStream(waiting: pending.wait)
    }
}

/// Bytes done per segment, summed for one progress callback.
private final class ByteCounter: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var done: [Int]
    private let report: (@Sendable (Int) -> Void)?
    init(parts: Int, report: (@Sendable (Int) -> Void)?) {
        done = Array(repeating: 0, count: parts)
        self.report = report
    }
    func set(_ k: Int, _ bytes: Int) {
        guard let report else { return }
        lock.lock()
        done[k] = bytes
        let total = done.reduce(0, +)
        lock.unlock()
        report(total)
    }
}
