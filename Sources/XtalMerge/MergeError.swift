import Foundation
import XtalCore

/// What merging could not do, with the reason a user can act on.
public enum MergeError: Error, CustomStringConvertible, Sendable {
    case badCell(String)
    case unknownPointGroup(String)
    case badReflectionList(file: String, line: Int, reason: String)
    /// A peer's file (partialator log, custom-split file) that could not be opened.
    case unreadable(path: String, reason: String)
    /// A file that is not of the expected kind at all.
    case notThisFormat(path: String, reason: String)

    public var description: String {
        switch self {
        case .badCell(let why): return "unusable unit cell: \(why)"
        case .unknownPointGroup(let name):
            return "unknown point group '\(name)' (CrystFEL's names: \(PointGroup.baseNames.joined(separator: " ")), optionally with _uaa/_uab/_uac)"
        case .badReflectionList(let file, let line, let reason): return "\(file):\(line): \(reason)"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .notThisFormat(let path, let reason): return "\(path): \(reason)"
        }
    }
}

extension MergeError {
    /// The message without the file it names (for a list that names the file beside it).
    public var reason: String {
        switch self {
        case .unreadable(_, let reason), .notThisFormat(_, let reason): reason
        case .badReflectionList(_, let line, let reason): "line \(line): \(reason)"
        default: description
        }
    }

    /// A peer's file read whole within `largest` bytes (`BoundedFile`), or the reason as
    /// `unreadable`. `mapped`: memory-mapped rather than read.
    static func contents(of path: String, largest: Int, mapped: Bool = false) throws(MergeError) -> Data {
        do {
            return try BoundedFile.read(path, largest: largest, mapped: mapped)
        } catch {
            throw MergeError.unreadable(path: path, reason: error.reason)
        }
    }

    /// The same as text (UTF-8, invalid bytes replaced).
    static func text(of path: String, largest: Int) throws(MergeError) -> String {
        String(decoding: try contents(of: path, largest: largest), as: UTF8.self)
    }
}
