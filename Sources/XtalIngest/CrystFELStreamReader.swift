import XtalCore

/// Reads CrystFEL `.stream` files (indexamajig output, every version from 0.6 to post-0.12)
/// into the columnar tables. Grammar and version differences: shared/docs/crystfel-stream.md.
///
/// Robustness: concatenated streams (a header between chunks), out-of-order chunks, a
/// truncated last chunk, `inf A`, absent fields, `--no-peaks-in-stream`,
/// `--no-refls-in-stream`, `--no-non-hits-in-stream`, CRLF line ends and bytes that are not
/// UTF-8 are all read. A chunk that cannot be used is counted and listed as an
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
    /// unjoined (`ParsedStream.joined()` gives what `read` gives), so that a caller can
    /// join one file while the next is being parsed.
    public static func parse(
        path: String, options: StreamReadOptions = StreamReadOptions(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws -> ParsedStream {
        let file = try MappedFile(path: path)
        // The mapping must outlive the parse: ARC may otherwise release `file` (and unmap
        // its pages) right after `file.bytes` is read.
        let parsed = withExtendedLifetime(file) {
            StreamSegments.parse(
                file.bytes, path: path, options: options, workers: options.resolvedWorkers, dropBehind: file.isMapped,
                progress: progress)
        }
        if parsed.holdsNoStream {
            throw InputError.notAStream(
                path: path,
                reason: file.bytes.count == 0
                    ? "the file is empty"
                    : "no 'CrystFEL stream format' header and no '----- Begin chunk -----' line")
        }
        return parsed
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
