import Foundation
import XCTest
import XtalTestSupport

/// Report pages link what is inside the output folder relatively (split files, merged
/// .hkl files, plots, other pages), so a copied or served folder has no dead links.
final class ReportLinkCommandLineTests: XCTestCase {
    /// Every href and src of every page in `folder`.
    func links(in folder: URL) throws -> [(page: String, target: String)] {
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") }
        let pattern = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        var found: [(String, String)] = []
        for page in pages {
            let html = try String(contentsOf: folder.appendingPathComponent(page), encoding: .utf8)
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                found.append((page, String(html[Range(match.range(at: 1), in: html)!])))
            }
        }
        return found
    }

    func testLinksAreRelativeAndSurviveACopy() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "1500", "-q"]).status, 0)
        let job = try run(["run", folder.path, "-q", "--no-store"])
        XCTAssertEqual(job.status, 0, job.stderr)
        let moved = folder.url.appendingPathComponent("copied-elsewhere")
        try FileManager.default.moveItem(at: folder.url.appendingPathComponent("xtalreport-out"), to: moved)
        let all = try links(in: moved)
        let targets = Set(all.map(\.target))
        XCTAssertTrue(targets.contains("time-resolved/custom-split.txt"), "\(targets.sorted())")
        XCTAssertTrue(targets.contains { $0.hasPrefix("merged/") && $0.hasSuffix(".hkl") }, "\(targets.sorted())")
        for (page, target) in all {
            XCTAssertFalse(target.hasPrefix("/") || target.hasPrefix("file:"), "\(page): absolute link \(target)")
            let file = moved.appendingPathComponent(target.removingPercentEncoding ?? target)
            XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), "\(page): dead link \(target)")
        }
    }
}
