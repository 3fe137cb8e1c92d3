import Foundation

/// A large text file written a megabyte at a time, through `AtomicFile` (temporary file,
/// then rename), so that a file of a hundred megabytes (per-image.tsv or ledger.tsv of a
/// 1.8 M-image run) never waits whole in memory.
public enum ChunkedFileWriter {
    /// Bytes gathered before they are written.
    static let chunkBytes = 1 << 20

    /// Writes the file at `path`: `body` appends to the buffer it is given and calls
    /// `flushIfFull` with it now and then (after each line, say); what is left is written
    /// at the end, and only then is the file renamed into place.
    public static func write(
        to path: String, _ body: (inout [UInt8], _ flushIfFull: (inout [UInt8]) throws -> Void) throws -> Void
    ) throws {
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                let handle = FileHandle(forWritingAtPath: temporary)
            else {
                throw AtomicFile.WriteError(path: path, code: errno)
            }
            defer { try? handle.close() }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(chunkBytes + 4096)
            try body(&buffer) { full in
                guard full.count >= chunkBytes else { return }
                try handle.write(contentsOf: full)
                full.removeAll(keepingCapacity: true)
            }
            if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
        }
    }
}
