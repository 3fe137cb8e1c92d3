import Foundation
import XCTest
import XtalCore
import XtalExample
import XtalMerge

/// The merge sums combine: merging a table in parts (as segments, runs or cluster tasks
/// would) and combining gives the sums of one pass, half-sets included, and survive JSON.
final class MergeAccumulatorTests: XCTestCase {
    func merge(_ table: ReflectionTable, crystals: Range<Int>) -> MergedDatasetSums {
        var merger = UnityMerger(pointGroup: PointGroup(named: "4/mmm")!)
        var sums = [MergedDatasetSums()]
        for c in crystals { merger.add(crystal: c, of: table, to: [0], in: &sums) }
        return sums[0]
    }

    func assertSame(_ a: UniqueReflectionSums, _ b: UniqueReflectionSums, file: StaticString = #filePath, line: UInt = #line) {
        let x = a.merged(symmetry: "4/mmm", minimumMeasurements: 1), y = b.merged(symmetry: "4/mmm", minimumMeasurements: 1)
        XCTAssertEqual(x.indices, y.indices, file: file, line: line)
        XCTAssertEqual(x.measurements, y.measurements, file: file, line: line)
        for i in 0..<min(x.count, y.count) {
            XCTAssertEqual(x.intensity[i], y.intensity[i], accuracy: 1e-9 * max(1, abs(y.intensity[i])), file: file, line: line)
            XCTAssertEqual(x.sigma[i], y.sigma[i], accuracy: 1e-9 * max(1, abs(y.sigma[i])), file: file, line: line)
        }
    }

    /// The merge pass corrects a block's measurements ahead, on another thread, and adds
    /// them with `add(crystal:of:corrected:…)`: the sums are bit for bit those of `add`.
    func testMeasurementsCorrectedAheadGiveTheSameSums() throws {
        let table = SyntheticReflections.make(crystals: 211, reflectionsPerCrystal: 70)
        let plain = merge(table, crystals: 0..<211)
        var corrected: [Double] = []
        UnityMerger.correctedIntensities(of: table, polarisation: .processHKLDefault, into: &corrected)
        XCTAssertEqual(corrected.count, table.count)
        var merger = UnityMerger(pointGroup: PointGroup(named: "4/mmm")!)
        var sums = [MergedDatasetSums()]
        corrected.withUnsafeBufferPointer { v in
            for c in 0..<211 { merger.add(crystal: c, of: table, corrected: v, to: [0], in: &sums) }
        }
        XCTAssertEqual(sums[0].crystals, 211)
        for (a, b) in [(sums[0].all, plain.all), (sums[0].half1, plain.half1), (sums[0].half2, plain.half2)] {
            let x = a.merged(symmetry: "4/mmm", minimumMeasurements: 1), y = b.merged(symmetry: "4/mmm", minimumMeasurements: 1)
            XCTAssertEqual(x.indices, y.indices)
            XCTAssertEqual(x.measurements, y.measurements)
            XCTAssertEqual(x.intensity.map(\.bitPattern), y.intensity.map(\.bitPattern))
            XCTAssertEqual(x.sigma.map(\.bitPattern), y.sigma.map(\.bitPattern))
        }
    }

    /// The correction of a block takes two measurements at a time (`SIMD2`): every value,
    /// the odd one at the end of a crystal included, is bit for bit the formula of
    /// `PolarisationCorrection` in plain scalar arithmetic, for any degree and angle of
    /// polarisation. (The formula is restated here on purpose: it is the reference the
    /// two-lane code must reproduce, not a call into it.)
    func testPairedCorrectionIsTheScalarOne() {
        let table = SyntheticReflections.make(crystals: 57, reflectionsPerCrystal: 33)
        for (fraction, angle, disabled) in [(1.0, 0.0, false), (0.7, 0.3, false), (1.0, 0.0, true)] {
            let polarisation = PolarisationCorrection(fraction: fraction, angle: angle, disabled: disabled)
            var corrected: [Double] = []
            UnityMerger.correctedIntensities(of: table, polarisation: polarisation, into: &corrected)
            XCTAssertEqual(corrected.count, table.count)
            var differ = 0
            for c in 0..<table.crystalCount {
                let r = (0..<9).map { Double(table.reciprocalAxes[9 * c + $0]) * 1e9 }
                let kpred = 1.0 / (6.62606896e-34 * 299_792_458.0 / (table.photonEnergy[c] * 1.6021773e-19))
                for j in table.rows(ofCrystal: c) {
                    let intensity = Double(table.intensity[j])
                    let h = Double(table.h[j]), k = Double(table.k[j]), l = Double(table.l[j])
                    let xl = h * r[0] + k * r[3] + l * r[6]
                    let yl = h * r[1] + k * r[4] + l * r[7]
                    let zl = h * r[2] + k * r[5] + l * r[8]
                    let z = zl + kpred
                    let planar = xl * xl + yl * yl
                    let v = planar + z * z
                    let projection = xl * cos(angle) + yl * sin(angle)
                    let q = projection * projection
                    let scalar = disabled ? intensity : intensity * (v / (fraction * (v - q) + (1 - fraction) * (v - planar + q)))
                    if corrected[j].bitPattern != scalar.bitPattern { differ += 1 }
                }
            }
            XCTAssertEqual(differ, 0, "values that differ from scalar arithmetic (P \(fraction), angle \(angle), disabled \(disabled))")
        }
    }

    func testPartsCombineToOnePass() throws {
        let table = SyntheticReflections.make(crystals: 301, reflectionsPerCrystal: 60)
        let whole = merge(table, crystals: 0..<301)
        XCTAssertEqual(whole.crystals, 301)
        // An odd first part: the second part's half-sets must swap on joining.
        for cut in [1, 100, 151, 300] {
            var joined = merge(table, crystals: 0..<cut)
            joined.append(merge(table, crystals: cut..<301))
            XCTAssertEqual(joined.crystals, 301)
            assertSame(joined.all, whole.all)
            assertSame(joined.half1, whole.half1)
            assertSame(joined.half2, whole.half2)
        }
        XCTAssertEqual(whole.all.measurements, whole.half1.measurements + whole.half2.measurements)
    }

    func testSumsSurviveJSON() throws {
        let table = SyntheticReflections.make(crystals: 20, reflectionsPerCrystal: 50)
        let sums = merge(table, crystals: 0..<20)
        let back = try JSONDecoder().decode(MergedDatasetSums.self, from: JSONEncoder().encode(sums))
        XCTAssertEqual(back, sums)
        XCTAssertEqual(HKLFormat.text(of: back.all.merged(symmetry: "4/mmm")), HKLFormat.text(of: sums.all.merged(symmetry: "4/mmm")))
        // Corrupt columns are refused, not trusted.
        let bad = #"{"keys":[1,2],"count":[1],"mean":[0,0],"squaredDeviations":[0,0]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(UniqueReflectionSums.self, from: Data(bad.utf8)))
    }

    /// An index far outside the slot box still merges (the dictionary beyond the box).
    func testIndicesBeyondTheBoxStillMerge() {
        var table = ReflectionTable()
        for (h, l) in [(Int16(1), Int16(0)), (30000, 1), (-30000, 1), (1, 0)] {
            table.h.append(h)
            table.k.append(0)
            table.l.append(l)
            table.intensity.append(10)
            table.sigma.append(1)
            table.reciprocalAxes += [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.02]
            table.photonEnergy.append(12400)
            table.start.append(table.h.count)
        }
        let sums = merge(table, crystals: 0..<4)
        XCTAssertEqual(sums.all.measurements, 4)
        XCTAssertEqual(sums.all.uniqueCount, 2)  // (±30000, 0, 1) are one orbit
        XCTAssertEqual(sums.all.merged(symmetry: "4/mmm").measurements, [2, 2])
    }
}
