import XCTest
import XtalTestSupport

@testable import XtalIngest

final class IndexamajigLogTests: XCTestCase {
    func testSampleLogsFinalLines() throws {
        let (lyso, reason) = SharedSamples.path("samples/ssx/indexamajig-0.11.1_stderr_synthetic-lyso.log")
        guard let lyso else { throw XCTSkip(reason) }
        let log = try IndexamajigLog.read(path: lyso)
        XCTAssertEqual(log.final, .init(images: 12, hits: 8, indexable: 8, crystals: 8))
        XCTAssertEqual(log.processedImages, 12)

        let (amarcord, reason2) = SharedSamples.path("samples/ssx/indexamajig-stderr_amarcord_test.log")
        guard let amarcord else { throw XCTSkip(reason2) }
        let other = try IndexamajigLog.read(path: amarcord)
        XCTAssertEqual(other.final, .init(images: 4999, hits: 2523, indexable: 1263, crystals: 1263))
        XCTAssertNotNil(other.lastProgress)
    }

    func testProgressLineAndOldFinalFormat() {
        XCTAssertEqual(
            IndexamajigLog.parse(
                "537 images processed, 229 hits (42.6%), 131 indexable (57.2% of hits, 24.4% overall), 131 crystals, 107.4 images/sec."
            ),
            .init(images: 537, hits: 229, indexable: 131, crystals: 131))
        // CrystFEL <= 0.8 (im-sandbox.c @0.8.0): no hit count.
        XCTAssertEqual(
            IndexamajigLog.parse("4999 images processed, 1263 had crystals (25.3%), 1300 crystals overall."),
            .init(images: 4999, hits: nil, indexable: 1263, crystals: 1300))
        XCTAssertNil(IndexamajigLog.parse("Waiting for the last patterns to be processed..."))
    }

    func testKilledRunUsesLastProgressLine() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(
            "killed.log",
            "100 images processed, 10 hits (10.0%), 5 indexable (50.0% of hits, 5.0% overall), 5 crystals, 9.0 images/sec.\n"
                + "200 images processed, 20 hits (10.0%), 9 indexable (45.0% of hits, 4.5% overall), 9 crystals, 9.0 images/sec.\n")
        let log = try IndexamajigLog.read(path: path)
        XCTAssertNil(log.final)
        XCTAssertEqual(log.processedImages, 200)
    }

    func testLogWithoutCountsIsAnError() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("empty.log", "nothing here\n")
        XCTAssertThrowsError(try IndexamajigLog.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains("empty.log"))
        }
    }
}
