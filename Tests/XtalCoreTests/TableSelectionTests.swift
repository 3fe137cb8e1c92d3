import XCTest

@testable import XtalCore

/// A time point's sub-tables: the images at some rows, and their crystals renumbered to
/// those rows, each column allocated once at its size (the statistics keep them).
final class TableSelectionTests: XCTestCase {
    func testCrystalsOfTheSelectedImagesAreRenumberedInTheirOrder() {
        var images = ImageTable()
        var crystals = CrystalTable()
        for image in 0..<10 {
            images.crystalCount.append(image % 3 == 0 ? 0 : UInt8(image % 2 + 1))
            images.numPeaks.append(UInt32(image * 10))
            images.peakResolution.append(Float32(image))
            images.hit.append(image % 3 != 0)
            images.hitLineAbsent.append(false)
            images.indexedByMethod.append(image % 3 != 0)
        }
        // Crystals on images 1, 2, 2, 4, 5, 7, 8, 8 and one on image 9 (beyond every row chosen).
        for (k, image) in [1, 2, 2, 4, 5, 7, 8, 8, 9].enumerated() {
            crystals.imageIndex.append(UInt32(image))
            for column in [\CrystalTable.a, \.b, \.c, \.alpha, \.beta, \.gamma, \.resolutionLimit, \.profileRadius, \.detShiftX, \.detShiftY] {
                crystals[keyPath: column].append(Float32(100 * image + k))
            }
            crystals.latticeType.append(.tetragonal)
            crystals.centering.append(UInt8(ascii: "P"))
            crystals.uniqueAxis.append(UInt8(ascii: "c"))
            crystals.numReflections.append(Int32(k))
        }
        let rows = [2, 4, 8]
        let picked = images.selecting(rows: rows)
        XCTAssertEqual(picked.count, 3)
        XCTAssertEqual(picked.numPeaks, [20, 40, 80])
        XCTAssertEqual(picked.peakResolution, [2, 4, 8])
        let selected = crystals.selecting(imageRows: rows)
        XCTAssertEqual(selected.imageIndex, [0, 0, 1, 2, 2])
        XCTAssertEqual(selected.a, [201, 202, 403, 806, 807])
        XCTAssertEqual(selected.numReflections, [1, 2, 3, 6, 7])
        XCTAssertEqual(selected.count, 5)
        XCTAssertLessThan(selected.a.capacity, 5 + 16, "allocated at its size, not grown by doubling")
        XCTAssertEqual(crystals.selecting(imageRows: []).count, 0)
    }
}
