import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalMerge

/// partialator's own outputs from ../shared/samples/merge, read: its log (the custom-split
/// check, CC½, rejections, the final merge's crystals, the datasets written) and the
/// `--custom-split` files, with the README's numbers pinned.
final class PartialatorOutputTests: XCTestCase {
    func testSplitMergeLog() throws {
        let log = try PartialatorLog.read(path: try SharedSamples.file("samples/merge/A300-split-unity.log"))
        XCTAssertEqual(log.splitCheck, .init(crystalsAssigned: 190, crystalsUnassigned: 0, datasetsWithCrystals: 2, datasetsWithoutCrystals: 0))
        XCTAssertEqual(log.overallCCHalfPercent, 68.786165)
        XCTAssertEqual(log.overallCCHalfReflections, 5059)
        XCTAssertEqual(log.badCrystals, 3)
        XCTAssertEqual(log.crystalsByFlag, ["OK": 187, "negative delta CC½": 3])
        XCTAssertEqual(log.finalMergeCrystals, 187)
        XCTAssertEqual(log.overallResults, "A300-split-unity.hkl")
        XCTAssertEqual(log.datasets, [
            .init(name: "light", file: "A300-split-unity-light.hkl", crystals: 87),
            .init(name: "dark", file: "A300-split-unity-dark.hkl", crystals: 103),
        ])
        XCTAssertEqual(log.warnings.count, 4)
        XCTAssertEqual(log.issues, [])
    }

    /// README "crystals": the final merge of each partialator run; the last rejection block counts.
    func testFinalCrystalsOfEveryMerge() throws {
        for (name, crystals, cc) in [("A300-unity", 187, 68.78619), ("A300-xsphere", 181, 97.849618), ("A-unity", 738, nil), ("A-xsphere", 729, nil)] {
            let log = try PartialatorLog.read(path: try SharedSamples.file("samples/merge/\(name).log"))
            XCTAssertEqual(log.finalMergeCrystals, crystals, name)
            XCTAssertNil(log.splitCheck, name)
            if let cc { XCTAssertEqual(log.overallCCHalfPercent, cc, name) }
            XCTAssertEqual(log.crystalsByFlag["OK"], crystals, name)
        }
        let a = try PartialatorLog.read(path: try SharedSamples.file("samples/merge/A-split-unity.log"))
        XCTAssertEqual(a.datasets.map(\.crystals), [398, 357])
        XCTAssertEqual(a.datasets.map(\.name), ["dark", "light"])
    }

    func testCustomSplitFiles() throws {
        let split = try CustomSplitFile.read(path: try SharedSamples.file("samples/merge/A300-laser-split.txt"))
        XCTAssertEqual(split.frames.count, 190)
        XCTAssertEqual(split.frames.first, .init(frame: .init(filename: "runA_000.h5", event: "//1"), dataset: "light", line: 1))
        XCTAssertEqual(split.countsByDataset, ["light": 87, "dark": 103], "the crystals partialator wrote per dataset")
        XCTAssertEqual(split.issues, [])
        let full = try CustomSplitFile.read(path: try SharedSamples.file("samples/merge/A-laser-split.txt"))
        XCTAssertEqual(full.countsByDataset, ["light": 357, "dark": 398])
    }

    /// A frame listed twice and a line of the wrong shape are named with their lines.
    func testDamagedSplitFileAndForeignLog() throws {
        let split = CustomSplitFile.parse("a.h5 //1 light\na.h5 //2 dark extra words\na.h5 //1 dark\nb.h5 light\n", path: "s.txt")
        XCTAssertEqual(split.frames.map(\.dataset), ["light", "words", "light"])
        XCTAssertEqual(split.frames[1].frame.filename, "a.h5 //2 dark extra", "partialator's reading of the line")
        XCTAssertEqual(split.frames.last?.frame, .init(filename: "b.h5", event: ""))
        XCTAssertEqual(split.issues.map(\.line), [2, 3])
        XCTAssertTrue(split.issues[1].reason.contains("listed already (line 1)"), split.issues[1].reason)
        XCTAssertThrowsError(try PartialatorLog.parse("just some text\n", path: "x.log"))
        let odd = try PartialatorLog.parse("Final merge...\nLog residual went from 1 to 2, lots crystals\nWriting dataset 'x' to\n", path: "p.log")
        XCTAssertEqual(odd.issues.map(\.line), [2, 3])
        // A device is refused, not read without end.
        for read in [{ _ = try PartialatorLog.read(path: "/dev/zero") }, { _ = try CustomSplitFile.read(path: "/dev/zero") }] as [() throws -> Void] {
            XCTAssertThrowsError(try read()) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
        }
        // A split-check line without its count (found by the fuzzer: an overlapping access trapped).
        let cut = try PartialatorLog.parse("Number of crystals assigned to a dataset: many\n", path: "c.log")
        XCTAssertEqual(cut.issues.map(\.line), [1])
        XCTAssertNil(cut.splitCheck?.crystalsAssigned)
    }
}
