import XtalCore

/// Reads CrystFEL `.stream` files (indexamajig output, every version from 0.6 to post-0.12)
/// into the columnar tables. Grammar and version differences: shared/docs/crystfel-stream.md.
///
/// Robustness: concatenated streams (a header between chunks), out-of-order chunks, a
/// truncated last chunk, `inf A`, absent fields, `--no-peaks-in-stream`,
/// `--no-refls-in-stream`, `--no-non-hits-in-stream`, CRLF line ends and bytes that are not
/// UTF-8 are all read, and so are gzip and zstd files of any of them (`DecompressedPieces`). A chunk that cannot be used is counted and listed as an
/// `IngestIssue` with file, line and reason; it never stops the read.
public enum CrystFELStreamReader {
    /// Reads the stream at `path`. `progress` is called with the bytes done so far, about
    /// every 16 MiB and once at the end.
    public static func read(
        path: String, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> StreamReadResult {
        try parse(path: path, options: options, progress: progress).joined()
    }

    /// Parses the stream at `path` on `options.workers` threads and returns the segments
    /// unjoined (`ParsedStream.joined()` gives what `read` gives).
    public static func parse(
        path: String, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> ParsedStream {
        let queue = WorkQueue(workers: options.resolvedWorkers)
        defer { queue.close() }
        return try schedule(path: path, options: options, on: queue, progress: progress).wait().requiringStream()
    }

    /// Maps the stream at `path` and queues its segments on `queue` (four per worker of
    /// `options`), returning at once: a job queues the next run behind this one, so no
    /// worker waits for the slowest segment of a file. `wait()` and then
    /// `requiringStream()` give what `parse` gives.
    public static func schedule(
        path: String, options: StreamReadOptions, on queue: WorkQueue, progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> PendingStream {
        let file = try MappedFile(path: path)
        if let compression = StreamCompression.detect(file.bytes) {
            return try DecompressedPieces.schedule(file, compression: compression, options: options, on: queue, progress: progress)
        }
        if let reason = unreadableLineEnds(file.bytes) { throw InputError.notAStream(path: path, reason: reason) }
        return StreamSegments.schedule(
            file.bytes, owner: file, path: path, options: options, on: queue, workers: options.resolvedWorkers,
            dropBehind: file.isMapped, progress: progress)
    }

    /// Why the file cannot be read line by line, if it cannot: lines that end in CR only
    /// (classic Mac OS) make one line of the whole file, which would read as a header and no
    /// chunk. Judged on the first 64 KiB: carriage returns and not one line feed.
    static func unreadableLineEnds(_ bytes: UnsafeRawBufferPointer) -> String? {
        let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, 1 << 16)])
        guard !head.isEmpty, !head.contains(0x0A), head.contains(0x0D) else { return nil }
        return "its lines end in CR only (old Mac line ends), so it has no lines to read; convert it with tr '\\r' '\\n'"
    }

    /// Reads a stream held in memory (`path` names it in issues). Large inputs are split
    /// at chunk boundaries and parsed on `options.workers` threads; the result is the same
    /// as a sequential read.
    public static func read(
        bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> StreamReadResult {
        StreamSegments.read(bytes, path: path, options: options, workers: options.resolvedWorkers, progress: progress)
    }
}
