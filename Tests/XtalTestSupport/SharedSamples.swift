import Foundation
import XCTest

/// Where the third-party reference data lives: `../shared` beside the repository. Tests
/// read it from there (it is never copied into the repository) and skip, naming the
/// missing path, when it is absent.
public enum SharedSamples {
    /// The repository root, found from this source file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` (or `$XTALREPORT_SHARED` when set).
    public static var root: URL {
        if let override = ProcessInfo.processInfo.environment["XTALREPORT_SHARED"] {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The path of `relative` under shared/; throws the skip (naming the missing path) when
    /// it is absent.
    public static func file(_ relative: String) throws -> String {
        let (path, reason) = path(relative)
        guard let path else { throw XCTSkip(reason) }
        return path
    }

    /// The path of `relative` under shared/, or nil with the reason to skip.
    public static func path(_ relative: String) -> (path: String?, skipReason: String) {
        let url = root.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) { return (url.path, "") }
        return (nil, "reference file \(url.path) is absent (shared/ not beside the checkout); skipping")
    }
}

/// A temporary folder removed when the test is done.
public final class TemporaryFolder {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` (or raw bytes) to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try data.write(to: file)
        return file.path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
