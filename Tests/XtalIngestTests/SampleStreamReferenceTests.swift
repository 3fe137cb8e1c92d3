import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalIngest

/// The reference counts of every stream in shared/samples/ssx/ (table in that folder's
/// README: cfelpyutils counts cross-checked against indexamajig's Final line).
final class SampleStreamReferenceTests: XCTestCase {
    struct Reference {
        var file: String
        var chunks: Int
        var hit1: Int
        var hit0: Int
        var noHitLine: Int
        var indexed: Int
        var crystals: Int
        var sumNumPeaks: UInt64
        /// Mean a, b, c in nm, as the README gives them.
        var meanABCnm: (Double, Double, Double)
        /// Median resolution limit in Å (nil: absent).
        var medianResolution: Double?
        var version: String
    }

    static let references = [
        Reference(
            file: "crystfel-0.9.1_taw10-crystfel_tests_test.stream", chunks: 70, hit1: 70, hit0: 0, noHitLine: 0,
            indexed: 32, crystals: 32, sumNumPeaks: 2172, meanABCnm: (6.1526, 12.2686, 16.8820), medianResolution: 4.47,
            version: "0.9.1+2c51b20e"),
        Reference(
            file: "crystfel-0.9.0_reciprocalspaceship_crystfel.stream", chunks: 3, hit1: 3, hit0: 0, noHitLine: 0,
            indexed: 3, crystals: 3, sumNumPeaks: 107, meanABCnm: (7.9736, 8.0541, 3.8759), medianResolution: 2.47,
            version: "0.9.0"),
        Reference(
            file: "crystfel-0.6.2_reborn_test.stream", chunks: 4, hit1: 0, hit0: 0, noHitLine: 4, indexed: 2,
            crystals: 2, sumNumPeaks: 72, meanABCnm: (28.4308, 28.8201, 16.3002), medianResolution: 25.05,
            version: "0.6.2+31235652b5cf1c1f040c762c707a5c869a3722de"),
        Reference(
            file: "crystfel-0.11.1_synthetic-lyso.stream", chunks: 12, hit1: 8, hit0: 4, noHitLine: 0, indexed: 8,
            crystals: 8, sumNumPeaks: 520, meanABCnm: (7.9239, 7.9016, 3.7988), medianResolution: 2.46,
            version: "0.11.1"),
        Reference(
            file: "crystfel-0.11.1_synthetic-lyso_no-peaks_no-refls.stream", chunks: 12, hit1: 8, hit0: 4,
            noHitLine: 0, indexed: 8, crystals: 8, sumNumPeaks: 520, meanABCnm: (7.9239, 7.9016, 3.7988),
            medianResolution: nil, version: "0.11.1"),
        Reference(
            file: "crystfel-dev80f2485_synthetic-lyso.stream", chunks: 12, hit1: 8, hit0: 4, noHitLine: 0, indexed: 8,
            crystals: 8, sumNumPeaks: 520, meanABCnm: (7.9092, 7.9092, 3.7993), medianResolution: 2.46,
            version: "0.12.0"),
    ]

    func testEverySampleStreamReproducesItsReferenceCounts() throws {
        var checked = 0
        for ref in Self.references {
            let (path, reason) = SharedSamples.path("samples/ssx/\(ref.file)")
            guard let path else {
                print(reason)
                continue
            }
            let read = try CrystFELStreamReader.read(path: path)
            var acc = StatisticsAccumulator()
            acc.add(images: read.images, crystals: read.crystals)
            let s = acc.finalize()
            let label = ref.file
            XCTAssertEqual(read.chunksSeen, ref.chunks, label)
            XCTAssertEqual(s.chunks, ref.chunks, label)
            XCTAssertEqual(read.malformedChunks + read.incompleteChunks, 0, label)
            XCTAssertEqual(s.hitLines.hit1, ref.hit1, label)
            XCTAssertEqual(s.hitLines.hit0, ref.hit0, label)
            XCTAssertEqual(s.hitLines.absent, ref.noHitLine, label)
            XCTAssertEqual(s.indexedFrames, ref.indexed, label)
            XCTAssertEqual(s.indexedByMethod, ref.indexed, label)
            XCTAssertEqual(s.crystals, ref.crystals, label)
            XCTAssertEqual(s.sumNumPeaks, ref.sumNumPeaks, label)
            // Means in Å = 10 × the README's nm values (given to 4 decimals).
            XCTAssertEqual(s.cell.a.mean! / 10, ref.meanABCnm.0, accuracy: 0.00006, label)
            XCTAssertEqual(s.cell.b.mean! / 10, ref.meanABCnm.1, accuracy: 0.00006, label)
            XCTAssertEqual(s.cell.c.mean! / 10, ref.meanABCnm.2, accuracy: 0.00006, label)
            if let median = ref.medianResolution {
                XCTAssertEqual(String(format: "%.2f", s.resolutionLimit.distribution.median!), String(format: "%.2f", median), label)
            } else {
                XCTAssertNil(s.resolutionLimit.distribution.median, label)
                XCTAssertEqual(s.resolutionLimit.absent, ref.crystals, label)
            }
            XCTAssertEqual(read.provenance.first?.crystfelVersion, ref.version, label)
            checked += 1
        }
        if checked == 0 { throw XCTSkip("no sample stream found under \(SharedSamples.root.path)") }
    }

    func testProvenanceOfTheHeader() throws {
        let (path, reason) = SharedSamples.path("samples/ssx/crystfel-0.11.1_synthetic-lyso.stream")
        guard let path else { throw XCTSkip(reason) }
        let read = try CrystFELStreamReader.read(path: path)
        let p = try XCTUnwrap(read.provenance.first)
        XCTAssertEqual(read.provenance.count, 1)
        XCTAssertEqual(p.formatVersion, "2.3")
        XCTAssertEqual(p.indexingMethods, "asdf")
        XCTAssertEqual(p.minPeaks, 10)
        XCTAssertTrue(p.commandLine!.hasPrefix("indexamajig -i events.lst"))
        XCTAssertTrue(p.geometry!.contains("p0/max_fs = 1023"))
        XCTAssertTrue(p.targetCell!.contains("a = 79.10 A"))
        XCTAssertEqual(p.chunks, 12)
        // Per-image columns: header values, filename, event, out-of-order serials.
        let energy = try XCTUnwrap(read.images.headers.column("header/float//data/photon_energy_eV"))
        XCTAssertEqual(energy.numbers.first, 12000)
        XCTAssertEqual(read.images.filenames[0], "sim_lyso.h5")
        XCTAssertEqual(read.images.events[0], "//1")
        XCTAssertEqual(Array(read.images.serial.prefix(2)), [2, 1])
        XCTAssertEqual(read.images.peakResolution[0], .infinity)  // "0.000000 nm^-1 or inf A"
        XCTAssertEqual(read.crystals.latticeType.first, .tetragonal)
        XCTAssertEqual(read.crystals.centering.first, UInt8(ascii: "P"))
        XCTAssertEqual(read.crystals.uniqueAxis.first, UInt8(ascii: "c"))
    }

    func testLegacyHDF5HeaderValuesAndVersionSpecificLines() throws {
        let (path, reason) = SharedSamples.path("samples/ssx/crystfel-0.9.1_taw10-crystfel_tests_test.stream")
        guard let path else { throw XCTSkip(reason) }
        let read = try CrystFELStreamReader.read(path: path)
        let column = try XCTUnwrap(read.images.headers.column("hdf5/LCLS/photon_energy_eV"))
        XCTAssertEqual(column.numbers[0], 9511.868397, accuracy: 1e-9)
        XCTAssertEqual(column.path, "/LCLS/photon_energy_eV")
        XCTAssertEqual(read.provenance.first?.indexingMethods, "xgandalf")
        XCTAssertEqual(read.crystals.uniqueAxis.first, UInt8(ascii: "?"))
        XCTAssertEqual(read.crystals.detShiftX.first!, 0.022, accuracy: 1e-6)
        XCTAssertEqual(read.crystals.a.first!, 61.3532, accuracy: 1e-4)  // 6.13532 nm
        XCTAssertEqual(read.crystals.numReflections.first, 257)
    }

    /// py-ISPyB's cell histograms (numpy, 1.5 × IQR filter, 50 bins), computed with numpy 2.4
    /// on the Å values of the 0.9.1 sample's 32 cells.
    func testCellHistogramsMatchPyISPyBOnTheSample() throws {
        let (path, reason) = SharedSamples.path("samples/ssx/crystfel-0.9.1_taw10-crystfel_tests_test.stream")
        guard let path else { throw XCTSkip(reason) }
        let read = try CrystFELStreamReader.read(path: path)
        var acc = StatisticsAccumulator()
        acc.add(images: read.images, crystals: read.crystals)
        let cell = acc.finalize().cell
        let expected: [(DistributionSummary, Double, Double, Double, Int, Double, Double, [Int])] = [
            (
                cell.a, 61.523450000000004, 61.3625, 61.64855, 4, 60.9408, 61.9546,
                [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 3, 0, 1, 1, 1, 1, 0, 1, 1, 3, 1, 0, 2, 1,
                 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1]
            ),
            (
                cell.b, 122.5966, 122.138225, 123.11, 1, 121.4485, 123.9051,
                [1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 3, 2, 0, 0, 3, 0, 0, 0, 0, 3, 1, 0, 2, 0, 0, 1, 1, 2, 0, 0, 2,
                 0, 0, 2, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1]
            ),
            (
                cell.c, 168.80650000000003, 168.376425, 169.05985, 3, 167.4517, 169.9923,
                [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 2, 2, 1, 0, 2, 1, 3, 2, 1, 0, 0, 0,
                 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1]
            ),
            (
                cell.gamma, 90.34416999999999, 90.146945, 90.5213, 0, 89.80557, 91.04663,
                [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 2, 0, 2, 0, 1, 2, 0, 2, 0, 1, 2, 2, 1, 2, 0, 1, 0, 1, 4, 0, 2, 0, 0,
                 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
            ),
        ]
        for (summary, median, q1, q3, excluded, firstEdge, lastEdge, counts) in expected {
            let h = try XCTUnwrap(summary.histogram)
            XCTAssertEqual(summary.median!, median, accuracy: 1e-9)
            XCTAssertEqual(summary.q1!, q1, accuracy: 1e-9)
            XCTAssertEqual(summary.q3!, q3, accuracy: 1e-9)
            XCTAssertEqual(h.excluded, excluded)
            XCTAssertEqual(h.edges.first!, firstEdge, accuracy: 1e-9)
            XCTAssertEqual(h.edges.last!, lastEdge, accuracy: 1e-9)
            XCTAssertEqual(h.counts, counts)
        }
        XCTAssertEqual(cell.a.mean!, 61.526303125, accuracy: 1e-4)
        XCTAssertEqual(cell.a.standardDeviation!, 0.3337877118060738, accuracy: 1e-4)
    }

    func testPeakListOptionCountsListedPeaks() throws {
        let (path, reason) = SharedSamples.path("samples/ssx/crystfel-0.11.1_synthetic-lyso.stream")
        guard let path else { throw XCTSkip(reason) }
        let read = try CrystFELStreamReader.read(path: path, options: StreamReadOptions(parsePeakLists: true))
        XCTAssertEqual(read.images.listedPeaks.reduce(0, +), 520)  // every peak of Σ num_peaks is listed
        for i in 0..<read.images.count where read.images.numPeaks[i] > 0 {
            XCTAssertEqual(read.images.listedPeaks[i], read.images.numPeaks[i])
            XCTAssertTrue(read.images.listedPeakResolution[i].isFinite)
        }
        let (noPeaks, reason2) = SharedSamples.path("samples/ssx/crystfel-0.11.1_synthetic-lyso_no-peaks_no-refls.stream")
        guard let noPeaks else { throw XCTSkip(reason2) }
        let bare = try CrystFELStreamReader.read(path: noPeaks, options: StreamReadOptions(parsePeakLists: true))
        XCTAssertEqual(bare.images.listedPeaks.reduce(0, +), 0)
    }

    /// The fast float parser must give exactly what strtod gives, on every number-looking
    /// token of every sample stream.
    func testFastNumberParserAgreesWithStrtodOnSampleValues() throws {
        var tokens = 0
        for ref in Self.references {
            guard let path = SharedSamples.path("samples/ssx/\(ref.file)").path else { continue }
            let file = try MappedFile(path: path)
            defer { withExtendedLifetime(file) {} }
            var cursor = LineCursor(file.bytes)
            while let line = cursor.next() {
                for token in line.string.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                    guard let expected = strtodValue(String(token)) else { continue }
                    let got = String(token).utf8CString.withUnsafeBufferPointer { p in
                        p.withMemoryRebound(to: UInt8.self) {
                            NumberParsing.wholeDouble(ByteLine(start: $0.baseAddress!, count: $0.count - 1))
                        }
                    }
                    XCTAssertEqual(got?.bitPattern, expected.bitPattern, "token \(token) in \(ref.file)")
                    tokens += 1
                }
            }
        }
        if tokens == 0 { throw XCTSkip("no sample stream found under \(SharedSamples.root.path)") }
    }

    private func strtodValue(_ s: String) -> Double? {
        s.withCString { p in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(p, &end)
            guard let end, end != UnsafeMutablePointer(mutating: p), end.pointee == 0 else { return nil }
            return v
        }
    }
}
