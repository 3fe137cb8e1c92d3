import Foundation
import XCTest
import XtalCore

@testable import XtalStore

/// ssx_cells.json written directly is byte for byte what JSONSerialization wrote before
/// (each value the shortest decimal of its Float32; crystals with a value that is not
/// finite left out).
final class PyISPyBAttachmentsTests: XCTestCase {
    func testCellsFileEqualsJSONSerialization() throws {
        var crystals = CrystalTable()
        let rows: [[Float32]] = [
            [79.7766, 79.6028, 37.7918, 90, 89.91779, 90.000_01], [78.8, 1e-5, 1234567, 120, 0.5, 89.999_99],
            [.nan, 1, 1, 90, 90, 90], [79.1, 79.1, 38, .infinity, 90, 90], [3.402_823e38, 1.5e-7, 100, 90, 90, 90],
        ]
        for r in rows {
            crystals.a.append(r[0]); crystals.b.append(r[1]); crystals.c.append(r[2])
            crystals.alpha.append(r[3]); crystals.beta.append(r[4]); crystals.gamma.append(r[5])
        }
        let finite = rows.filter { $0.allSatisfy(\.isFinite) }.map { $0.map { Double("\($0)") ?? Double($0) } }
        let expected = try JSONSerialization.data(withJSONObject: ["unit_cells": finite], options: [.sortedKeys])
        XCTAssertEqual(String(decoding: PyISPyBAttachments.cellsJSON(crystals), as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(String(decoding: PyISPyBAttachments.cellsJSON(nil), as: UTF8.self), #"{"unit_cells":[]}"#)
    }

    /// More distinct values than the formatted-value table keeps (half its 262,144 slots),
    /// repeated, each still written as its own shortest decimal.
    func testManyDistinctValuesAreEachWrittenAsTheirOwnDecimal() throws {
        var crystals = CrystalTable()
        var rows: [[Float32]] = []
        for i in 0..<140_000 {
            let v = Float32(50) + Float32(i) * 0.0001
            rows.append([v, v + 1, v + 2, 90, Float32(i % 7) + 0.5, 120])
        }
        for r in rows {
            crystals.a.append(r[0]); crystals.b.append(r[1]); crystals.c.append(r[2])
            crystals.alpha.append(r[3]); crystals.beta.append(r[4]); crystals.gamma.append(r[5])
        }
        let expected = try JSONSerialization.data(
            withJSONObject: ["unit_cells": rows.map { $0.map { Double("\($0)") ?? Double($0) } }], options: [.sortedKeys])
        XCTAssertEqual(PyISPyBAttachments.cellsJSON(crystals), expected)
    }
}
