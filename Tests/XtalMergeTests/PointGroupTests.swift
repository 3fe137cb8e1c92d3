import Foundation
import XCTest
import XtalMerge
import XtalTestSupport

final class PointGroupTests: XCTestCase {
    /// Orders of every group CrystFEL's `-y` accepts.
    func testEveryGroupHasItsOrder() throws {
        let orders: [String: Int] = [
            "1": 1, "-1": 2, "2/m": 4, "2": 2, "m": 2, "mmm": 8, "222": 4, "mm2": 4, "4/m": 8, "4": 4, "-4": 4,
            "4/mmm": 16, "422": 8, "-42m": 8, "-4m2": 8, "4mm": 8, "3_R": 3, "-3_R": 6, "32_R": 6, "3m_R": 6,
            "-3m_R": 12, "3_H": 3, "-3_H": 6, "321_H": 6, "312_H": 6, "3m1_H": 6, "31m_H": 6, "-3m1_H": 12,
            "-31m_H": 12, "6/m": 12, "6": 6, "-6": 6, "6/mmm": 24, "622": 12, "-62m": 12, "-6m2": 12, "6mm": 12,
            "23": 12, "m-3": 24, "432": 24, "-43m": 24, "m-3m": 48,
        ]
        XCTAssertEqual(Set(orders.keys), Set(PointGroup.baseNames))
        for (name, order) in orders {
            let g = try XCTUnwrap(PointGroup(named: name), name)
            XCTAssertEqual(g.order, order, name)
            XCTAssertEqual(g.isCentrosymmetric, ["-1", "2/m", "mmm", "4/m", "4/mmm", "-3_R", "-3m_R", "-3_H", "-3m1_H",
                                                 "-31m_H", "6/m", "6/mmm", "m-3", "m-3m"].contains(name), name)
            // A unique-axis suffix applies to the groups without a lattice suffix (CrystFEL
            // rejects a second underscore).
            for axis in ["a", "b", "c"] {
                if name.contains("_") {
                    XCTAssertNil(PointGroup(named: "\(name)_ua\(axis)"))
                } else {
                    XCTAssertEqual(try XCTUnwrap(PointGroup(named: "\(name)_ua\(axis)"), name).order, order)
                }
            }
        }
        XCTAssertNil(PointGroup(named: "4/mmmm"))
        XCTAssertNil(PointGroup(named: "2/m_uax"))
        XCTAssertNil(PointGroup(named: "3_H_uab"))
    }

    /// Every equivalent of an index has the same representative, the representative is an
    /// equivalent, and it is its own representative.
    func testRepresentativeIsAFunctionOfTheOrbit() throws {
        var generator = SystemRandomNumberGenerator()
        let names = PointGroup.baseNames + ["2/m_uab", "2_uaa", "4/mmm_uaa", "mmm_uab", "6/mmm_uab"]
        for name in names {
            let g = try XCTUnwrap(PointGroup(named: name))
            for _ in 0..<300 {
                let x = MillerIndex(Int32.random(in: -20...20, using: &generator), Int32.random(in: -20...20, using: &generator),
                                    Int32.random(in: -20...20, using: &generator))
                let rep = g.asymmetricUnit(of: x)
                XCTAssertEqual(g.asymmetricUnit(of: rep), rep, "\(name) \(x)")
                let orbit = g.operators.map { $0.apply(x) }
                XCTAssertTrue(orbit.contains(rep), "\(name) \(x)")
                for e in orbit { XCTAssertEqual(g.asymmetricUnit(of: e), rep, "\(name) \(x) \(e)") }
            }
        }
        // Unique axis b: the two-fold of 2/m_uab turns (h, k, l) into (−h, k, −l).
        let b = try XCTUnwrap(PointGroup(named: "2/m_uab"))
        XCTAssertEqual(b.asymmetricUnit(of: MillerIndex(-1, 2, -3)), MillerIndex(1, 2, 3))
        XCTAssertNotEqual(b.asymmetricUnit(of: MillerIndex(-1, -2, 3)), MillerIndex(1, 2, 3))
        XCTAssertEqual(PointGroup(named: "4/mmm")!.asymmetricUnit(of: MillerIndex(0, -1, -3)), MillerIndex(1, 0, 3))
    }

    /// The indices CrystFEL wrote in every merged sample list are their own representatives.
    func testSampleListsAreInTheAsymmetricUnit() throws {
        let (path, reason) = SharedSamples.path("samples/merge/truth.hkl")
        guard let path else { throw XCTSkip(reason) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let g = try XCTUnwrap(PointGroup(named: "4/mmm"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".hkl") }
        XCTAssertGreaterThan(files.count, 30)
        for file in files {
            let list = try HKLFormat.read(path: folder.appendingPathComponent(file).path)
            XCTAssertEqual(list.symmetry, "4/mmm")
            for x in list.indices where g.asymmetricUnit(of: x) != x { XCTFail("\(file): \(x) is not a representative") }
        }
    }

    func testLaueClassOfTheLattice() {
        XCTAssertEqual(PointGroup.laueClass(latticeType: "tetragonal", uniqueAxis: "c", centering: "P")?.name, "4/mmm")
        XCTAssertEqual(PointGroup.laueClass(latticeType: "monoclinic", uniqueAxis: "b", centering: "C")?.name, "2/m_uab")
        XCTAssertEqual(PointGroup.laueClass(latticeType: "hexagonal", uniqueAxis: "c", centering: "P")?.name, "6/mmm")
        XCTAssertEqual(PointGroup.laueClass(latticeType: "rhombohedral", uniqueAxis: "*", centering: "R")?.name, "-3m_R")
        XCTAssertNil(PointGroup.laueClass(latticeType: "unknown", uniqueAxis: nil, centering: nil))
    }
}

final class RoundTripTests: XCTestCase {
    /// The numeric emulation of "%.2f then strtof" equals the text route on values near
    /// every kind of tie.
    func testPrintedAndReadEqualsTheTextRoute() {
        var g = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.004, 0.005, 0.015, 0.025, 1.005, 2.675, -2.675, 1234.565, 99999.995, 1e9 + 0.125]
        for _ in 0..<20000 { values.append(Double.random(in: -5000...50000, using: &g)) }
        for _ in 0..<5000 { values.append(Double(Int.random(in: -100000...100000, using: &g)) / 1000 + 0.005) }
        var list = MergedReflections(symmetry: "1")
        for (i, v) in values.enumerated() { list.append(MillerIndex(Int32(i), 0, 0), intensity: v, sigma: v.magnitude, measurements: 2) }
        let ours = list.roundTripped()
        for (i, v) in values.enumerated() {
            let text = Double(Float32(String(format: "%.2f", v))!)
            XCTAssertEqual(ours.intensity[i].bitPattern, text.bitPattern, "\(v)")
        }
    }
}

final class HKLFormatTests: XCTestCase {
    /// Rows formatted directly equal printf's, including signs of small negatives and ties.
    func testRowsEqualPrintf() {
        var g = SystemRandomNumberGenerator()
        var list = MergedReflections(symmetry: "4/mmm")
        var values: [Double] = [0, -0.0, -0.004, -0.005, 0.005, 0.125, -0.125, 2.675, 1234567.891, -99999999.995, 1e15, .nan, .infinity]
        for _ in 0..<5000 { values.append(Double.random(in: -1e6...1e6, using: &g)) }
        for _ in 0..<2000 { values.append(Double(Int.random(in: -1_000_000...1_000_000, using: &g)) / 200) }
        for (i, v) in values.enumerated() {
            list.append(MillerIndex(Int32(i % 2000) - 1000, -Int32(i % 37), Int32(i % 11)), intensity: v, sigma: abs(v) / 3,
                        measurements: Int32(i % 300 + 1))
        }
        var expected = "CrystFEL reflection list version 2.0\nSymmetry: 4/mmm\n   h    k    l          I    phase   sigma(I)   nmeas\n"
        for i in 0..<list.count {
            let x = list.indices[i]
            expected += String(format: "%4d %4d %4d %10.2f        - %10.2f %7d\n", x.h, x.k, x.l, list.intensity[i], list.sigma[i], list.measurements[i])
        }
        expected += "End of reflections\n"
        XCTAssertEqual(HKLFormat.text(of: list), expected)
    }
}
