import Foundation
import XtalCore

/// Result files are read whole through `BoundedFile` (kilobytes to a few megabytes; the
/// bound keeps a mistaken or hostile path from taking the machine's memory).
enum MXFileData {
    static func load(_ path: String, largest: Int) throws -> Data {
        do {
            return try BoundedFile.read(path, largest: largest)
        } catch {
            throw MXReadError.unreadable(path: path, reason: error.reason)
        }
    }

    /// The lines of `data` as text (invalid UTF-8 replaced), without their line ends.
    static func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }
}
