import Foundation
import XCTest
import XtalMerge
import XtalTestSupport

/// Replays every `check_hkl` and `compare_hkl` command of `../shared/samples/merge/commands.txt`
/// (real CrystFEL 0.11.1 runs) with xtalreport's figures of merit, on the same input files,
/// and requires the shell files to be identical, byte for byte.
final class FigureOfMeritSampleTests: XCTestCase {
    struct Command {
        var program: String
        var inputs: [String]
        var options: [String: String]
    }

    func sampleCommands() throws -> (folder: URL, commands: [Command]) {
        let (path, reason) = SharedSamples.path("samples/merge/commands.txt")
        guard let path else { throw XCTSkip(reason) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var commands: [Command] = []
        for line in text.split(separator: "\n") {
            var words = line.split(separator: " ").map(String.init)
            if words.first?.hasPrefix("[") == true { words.removeFirst() }
            guard let program = words.first, program == "check_hkl" || program == "compare_hkl" else { continue }
            var inputs: [String] = []
            var options: [String: String] = [:]
            var i = 1
            while i < words.count {
                let w = words[i]
                if w.hasPrefix("--"), let eq = w.firstIndex(of: "=") {
                    options[String(w[..<eq])] = String(w[w.index(after: eq)...])
                } else if w == "-y" || w == "-p" {
                    options[w] = words[i + 1]
                    i += 1
                } else if !w.hasPrefix("-") {
                    inputs.append(w)
                }
                i += 1
            }
            commands.append(Command(program: program, inputs: inputs, options: options))
        }
        return (URL(fileURLWithPath: path).deletingLastPathComponent(), commands)
    }

    func testEveryCheckHKLShellFileIsReproduced() throws {
        let (folder, commands) = try sampleCommands()
        var checked = 0
        var sphere: ReflectionSphere?
        for c in commands where c.program == "check_hkl" {
            let cell = try UnitCell(crystFELCellText: String(contentsOf: folder.appendingPathComponent(c.options["-p"]!), encoding: .utf8))
            let group = try XCTUnwrap(PointGroup(named: c.options["-y"]!))
            if sphere == nil { sphere = ReflectionSphere(cell: cell, group: group, reach: 5e9) }
            let list = try HKLFormat.read(path: folder.appendingPathComponent(c.inputs[0]).path)
            let stats = ListStatistics(list: list, cell: cell, group: group, shellCount: Int(c.options["--nshells"] ?? "10")!,
                                       lowResolution: c.options["--lowres"].flatMap(Double.init),
                                       highResolution: c.options["--highres"].flatMap(Double.init), sphere: sphere)
            let expected = try String(contentsOf: folder.appendingPathComponent(c.options["--shell-file"]!), encoding: .utf8)
            XCTAssertEqual(stats.shellFileText, expected, "check_hkl \(c.inputs[0]) → \(c.options["--shell-file"]!)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 26)
    }

    func testEveryCompareHKLShellFileIsReproduced() throws {
        let (folder, commands) = try sampleCommands()
        var checked = 0
        var lists: [String: MergedReflections] = [:]
        func list(_ name: String) throws -> MergedReflections {
            if let l = lists[name] { return l }
            let l = try HKLFormat.read(path: folder.appendingPathComponent(name).path)
            lists[name] = l
            return l
        }
        for c in commands where c.program == "compare_hkl" {
            let cell = try UnitCell(crystFELCellText: String(contentsOf: folder.appendingPathComponent(c.options["-p"]!), encoding: .utf8))
            let group = try XCTUnwrap(PointGroup(named: c.options["-y"]!))
            let figure: ListComparison.Figure
            switch c.options["--fom"]!.lowercased() {
            case "cc": figure = .cc
            case "ccstar": figure = .ccStar
            case "rsplit": figure = .rSplit
            case "r1i": figure = .r1I
            default: XCTFail("unknown figure \(c.options["--fom"]!)"); continue
            }
            let comparison = ListComparison(try list(c.inputs[0]), try list(c.inputs[1]), cell: cell, group: group,
                                            shellCount: Int(c.options["--nshells"] ?? "10")!)
            let expected = try String(contentsOf: folder.appendingPathComponent(c.options["--shell-file"]!), encoding: .utf8)
            XCTAssertEqual(comparison.shellFileText(figure), expected, "compare_hkl \(c.inputs) → \(c.options["--shell-file"]!)")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 60)
    }

    /// The overall figures compare_hkl prints in its log, to its printed precision.
    func testOverallFiguresMatchTheLogs() throws {
        let (folder, _) = try sampleCommands()
        let cell = try UnitCell(crystFELCellText: String(contentsOf: folder.appendingPathComponent("cell.cell"), encoding: .utf8))
        let group = try XCTUnwrap(PointGroup(named: "4/mmm"))
        let h1 = try HKLFormat.read(path: folder.appendingPathComponent("A300-unity.hkl1").path)
        let h2 = try HKLFormat.read(path: folder.appendingPathComponent("A300-unity.hkl2").path)
        let c = ListComparison(h1, h2, cell: cell, group: group)
        XCTAssertEqual(String(format: "%.7f", c.overall.cc), "0.7014972")
        XCTAssertEqual(c.acceptedPairs, 3405)
        XCTAssertEqual(String(format: "%f", c.relativeScale ?? 0), "0.951867")
        XCTAssertEqual(String(format: "%f", c.relativeB ?? 0), "1.645270")
        let check = ListStatistics(list: try HKLFormat.read(path: folder.appendingPathComponent("A300-unity.hkl").path),
                                   cell: cell, group: group)
        XCTAssertEqual(String(format: "%.2f", 100 * check.overall.completeness), "72.21")
        XCTAssertEqual(check.overall.measured, 5041)
    }
}
