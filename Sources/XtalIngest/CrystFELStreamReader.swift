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
        progress: ((Int) -> Void)? = nil
    ) throws -> StreamReadResult {
        let file = try MappedFile(path: path)
        // The mapping must outlive the parse: ARC may otherwise release `file` (and unmap
        // its pages) right after `file.bytes` is read.
        let result = withExtendedLifetime(file) {
            read(bytes: file.bytes, path: path, options: options, progress: progress)
        }
        if result.provenance.isEmpty, result.chunksSeen == 0 {
            throw InputError.notAStream(
                path: path,
                reason: result.bytes == 0
                    ? "the file is empty"
                    : "no 'CrystFEL stream format' header and no '----- Begin chunk -----' line")
        }
        return result
    }

    /// Reads a stream held in memory (`path` names it in issues).
    public static func read(
        bytes: UnsafeRawBufferPointer, path: String, options: StreamReadOptions = StreamReadOptions(),
        progress: ((Int) -> Void)? = nil
    ) -> StreamReadResult {
        var parser = StreamParser(path: path, options: options)
        var cursor = LineCursor(bytes)
        let progressStep = 16 << 20
        var nextProgress = progressStep
        while let line = cursor.next() {
            parser.handle(line, number: cursor.lineNumber)
            if progress != nil, cursor.offset >= nextProgress {
                progress?(cursor.offset)
                nextProgress = cursor.offset + progressStep
            }
        }
        parser.finish(lastLine: cursor.lineNumber)
        progress?(bytes.count)
        var result = parser.result
        result.bytes = bytes.count
        result.lines = cursor.lineNumber
        return result
    }
}
