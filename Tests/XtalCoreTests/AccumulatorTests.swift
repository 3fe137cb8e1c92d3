import Foundation
import XCTest

@testable import XtalCore

/// `combine` must give exactly the answer of one pass over everything.
final class AccumulatorTests: XCTestCase {
    /// A synthetic table of `n` images with crystals, from a fixed seed.
    private func makeTables(_ n: Int, seed: UInt64) -> (ImageTable, CrystalTable) {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var images = ImageTable()
        var crystals = CrystalTable()
        for i in 0..<n {
            let peaks = UInt32(next() % 80)
            let hit = peaks >= 10
            let count = hit && next() % 3 != 0 ? UInt8(1 + next() % 2) : 0
            images.serial.append(UInt32(i + 1))
            images.hit.append(hit)
            images.hitLineAbsent.append(false)
            images.crystalCount.append(count)
            images.indexedByMethod.append(count > 0)
            images.numPeaks.append(peaks)
            images.peakResolution.append(hit ? Float32(1.5 + Double(next() % 100) / 50) : .infinity)
            images.photonEnergy.append(12400)
            images.headers.appendImage(numeric: [], text: [])
            for _ in 0..<count {
                crystals.imageIndex.append(UInt32(i))
                crystals.a.append(79 + Float32(next() % 100) / 100)
                crystals.b.append(79 + Float32(next() % 100) / 100)
                crystals.c.append(38 + Float32(next() % 100) / 100)
                crystals.alpha.append(90)
                crystals.beta.append(90)
                crystals.gamma.append(90 + Float32(next() % 10) / 100)
                crystals.latticeType.append(next() % 10 == 0 ? .orthorhombic : .tetragonal)
                crystals.centering.append(UInt8(ascii: "P"))
                crystals.uniqueAxis.append(UInt8(ascii: "c"))
                crystals.resolutionLimit.append(next() % 20 == 0 ? .infinity : 1.8 + Float32(next() % 100) / 100)
                crystals.numReflections.append(100)
                crystals.profileRadius.append(0.002)
                crystals.detShiftX.append(0)
                crystals.detShiftY.append(0)
            }
        }
        return (images, crystals)
    }

    func testCombineEqualsOnePass() {
        let (i1, c1) = makeTables(1000, seed: 1)
        let (i2, c2) = makeTables(777, seed: 2)
        let (i3, c3) = makeTables(3, seed: 3)

        var parts = [StatisticsAccumulator(), StatisticsAccumulator(), StatisticsAccumulator()]
        parts[0].add(images: i1, crystals: c1)
        parts[1].add(images: i2, crystals: c2)
        parts[2].add(images: i3, crystals: c3)
        let combined = parts[0].combined(with: parts[1]).combined(with: parts[2])

        var allImages = i1
        var allCrystals = c1
        allCrystals.append(contentsOf: c2, imageOffset: UInt32(allImages.count))
        allImages.append(contentsOf: i2)
        allCrystals.append(contentsOf: c3, imageOffset: UInt32(allImages.count))
        allImages.append(contentsOf: i3)
        var onePass = StatisticsAccumulator()
        onePass.add(images: allImages, crystals: allCrystals)

        XCTAssertEqual(combined, onePass)
        XCTAssertEqual(combined.finalize(), onePass.finalize())
        // Combined in another order, the samples are the same values in another order:
        // counts, quantiles and histograms are identical; means and standard deviations are
        // summed in sample order, so they agree to rounding.
        let reversed = parts[2].combined(with: parts[1]).combined(with: parts[0]).finalize()
        let expected = onePass.finalize()
        XCTAssertEqual(reversed.cell.a.standardDeviation!, expected.cell.a.standardDeviation!, accuracy: 1e-12)
        XCTAssertEqual(reversed.peakResolution.mean!, expected.peakResolution.mean!, accuracy: 1e-12)
        XCTAssertEqual(reversed.withMomentsCleared(), expected.withMomentsCleared())
    }

    func testCountsAndRates() {
        let (images, crystals) = makeTables(500, seed: 9)
        var acc = StatisticsAccumulator()
        acc.add(images: images, crystals: crystals)
        let s = acc.finalize()
        let hits = (0..<images.count).filter { images.hit[$0] }.count
        let indexed = images.crystalCount.filter { $0 > 0 }.count
        XCTAssertEqual(s.images, 500)
        XCTAssertEqual(s.hits, hits)
        XCTAssertEqual(s.indexedFrames, indexed)
        XCTAssertEqual(s.crystals, crystals.count)
        XCTAssertEqual(s.multiLatticeFrames, images.crystalCount.filter { $0 >= 2 }.count)
        XCTAssertEqual(s.skippedImages, 500 - hits)
        XCTAssertEqual(s.nonIndexedHits, hits - indexed)
        XCTAssertEqual(s.hitRate!, Double(hits) / 500, accuracy: 1e-15)
        XCTAssertEqual(s.latticeTypes.values.reduce(0, +), crystals.count)
        XCTAssertEqual(s.latticeCenterings["tetragonal P"], crystals.latticeType.filter { $0 == .tetragonal }.count)
        XCTAssertEqual(
            s.resolutionLimit.noEstimate + s.resolutionLimit.distribution.count, crystals.count)
    }

    func testProcessedImagesFromLogRaiseImagesNotChunks() {
        let (images, crystals) = makeTables(100, seed: 4)
        var acc = StatisticsAccumulator()
        acc.add(images: images, crystals: crystals)
        acc.declareProcessedImages(250)
        let s = acc.finalize()
        XCTAssertEqual(s.images, 250)
        XCTAssertEqual(s.chunks, 100)
        XCTAssertEqual(s.skippedImages, 250 - s.hits)
    }

    func testAccumulatorSurvivesJSONRoundTrip() throws {
        let (images, crystals) = makeTables(200, seed: 5)
        var acc = StatisticsAccumulator()
        acc.add(images: images, crystals: crystals)
        let data = try JSONEncoder().encode(acc)
        let back = try JSONDecoder().decode(StatisticsAccumulator.self, from: data)
        XCTAssertEqual(back, acc)
        XCTAssertEqual(back.finalize(), acc.finalize())
    }

    func testHeaderColumnsBackfillAndAppend() {
        var h = HeaderColumns()
        h.appendImage(numeric: [], text: [])
        let laser = h.columnIndex(for: "header/int//entry/data/laser_on", kind: .int)
        h.appendImage(numeric: [(laser, 1)], text: [])
        let name = h.columnIndex(for: "header/str//entry/name", kind: .string)
        h.appendImage(numeric: [], text: [(name, "x")])
        XCTAssertEqual(h.imageCount, 3)
        let column = h.column("header/int//entry/data/laser_on")!
        XCTAssertTrue(column.numbers[0].isNaN)
        XCTAssertEqual(column.numbers[1], 1)
        XCTAssertEqual(column.path, "/entry/data/laser_on")
        XCTAssertEqual(h.column("header/str//entry/name")!.text(at: 2), "x")
        XCTAssertNil(h.column("header/str//entry/name")!.text(at: 0))
        var doubled = h
        doubled.append(contentsOf: h)
        XCTAssertEqual(doubled.imageCount, 6)
        XCTAssertEqual(doubled.column("header/str//entry/name")!.text(at: 5), "x")
    }
}

extension RunStatistics {
    /// A copy with every mean and standard deviation set to nil, to compare the rest exactly.
    fileprivate func withMomentsCleared() -> RunStatistics {
        func clear(_ d: DistributionSummary) -> DistributionSummary {
            var copy = d
            (copy.mean, copy.standardDeviation) = (nil, nil)
            return copy
        }
        var copy = self
        copy.cell = .init(
            a: clear(cell.a), b: clear(cell.b), c: clear(cell.c),
            alpha: clear(cell.alpha), beta: clear(cell.beta), gamma: clear(cell.gamma))
        copy.resolutionLimit.distribution = clear(resolutionLimit.distribution)
        copy.peaksPerFrame = clear(peaksPerFrame)
        copy.peakResolution = clear(peakResolution)
        return copy
    }
}
