import Foundation
import XtalCore

/// Loads a result file whole, refusing one larger than a bound before reading it (result
/// files are kilobytes to a few megabytes; a bound keeps a mistaken or hostile path from
/// taking the machine's memory) and anything that is not a regular file.
enum MXFileData {
    static func load(_ path: String, largest: Int) throws -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw MXReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw MXReadError.unreadable(path: path, reason: "not a regular file")
        }
        guard Int(status.st_size) <= largest else {
            throw MXReadError.unreadable(
                path: path, reason: "\(status.st_size) bytes; result files over \(largest >> 20) MiB are not read")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MXReadError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// The lines of `data` as text (invalid UTF-8 replaced), without their line ends.
    static func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }
}
