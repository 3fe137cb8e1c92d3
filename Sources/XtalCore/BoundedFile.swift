import Foundation

/// Reads a small input file whole — a peer's result, log or split file — refusing one
/// larger than `largest` before reading it, and anything that is not a regular file (a
/// device such as /dev/zero would otherwise be read without end).
public enum BoundedFile {
    /// Why the file was not read, without its path.
    public struct Refusal: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// `mapped`: the file is memory-mapped rather than read (for a large file that is
    /// scanned once, such as partialator's `--unmerged-output`).
    public static func read(_ path: String, largest: Int, mapped: Bool = false) throws(Refusal) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else { throw Refusal(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Refusal(reason: "not a regular file") }
        guard Int(status.st_size) <= largest else {
            throw Refusal(reason: "\(status.st_size) bytes; files of this kind over \(largest >> 20) MiB are not read")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: mapped ? [.alwaysMapped] : [])
        } catch {
            throw Refusal(reason: (error as NSError).localizedDescription)
        }
    }
}
