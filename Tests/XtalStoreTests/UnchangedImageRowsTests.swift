import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalStore

/// A re-run leaves a run's per-image rows alone when the store already holds them as the
/// run would write them (fingerprint and row count in XtalReportRun), and rewrites them
/// when anything differs: the values, a row another program took, a store written
/// without per-image rows, a store made before the fingerprint columns existed.
final class UnchangedImageRowsTests: XCTestCase {
    func rows(_ db: SQLConnection) throws -> [[SQLValue]] {
        try db.query("SELECT dataCollectionId, imageNumber, autoProcProgramId, spotTotal, method1Res FROM ImageQualityIndicators ORDER BY 1, 2")
    }

    func testUnchangedRowsAreLeftAndChangedOnesRewritten() throws {
        let example = try ExampleJob()
        let path = example.folder.url.appendingPathComponent("x.sqlite").path
        let store = try ResultStore.open(.sqlite(path))
        XCTAssertTrue(store.flavour.hasImageRowsFingerprint)
        let first = try store.write(example.job)
        XCTAssertEqual(first.runs.map(\.imageRowsUnchanged), [false, false, false])
        let written = try rows(store.db)

        let second = try ResultStore.open(.sqlite(path)).write(example.job)
        XCTAssertEqual(second.runs.map(\.imageRowsUnchanged), [true, true, true])
        XCTAssertEqual(second.runs.map(\.imageRows), first.runs.map(\.imageRows))
        XCTAssertEqual(try rows(store.db), written)

        // One value of run02 differs: only run02 is written again, and its row holds the new value.
        var changed = example.job
        changed.runs[1].images!.numPeaks[0] += 7
        let third = try ResultStore.open(.sqlite(path)).write(changed)
        XCTAssertEqual(third.runs.map(\.imageRowsUnchanged), [true, false, true])
        let dc = third.runs[1].dataCollectionId
        let frame = Int64((changed.runs[1].frameIndex?[0] ?? 0) + 1)
        XCTAssertEqual(
            try store.db.scalar("SELECT spotTotal FROM ImageQualityIndicators WHERE dataCollectionId = ? AND imageNumber = ?", [.int(dc), .int(frame)])?.intValue,
            Int64(changed.runs[1].images!.numPeaks[0]))

        // Another program took one of run01's rows: the count no longer matches, run01 is written again.
        let dc1 = third.runs[0].dataCollectionId
        try store.db.execute(
            "UPDATE ImageQualityIndicators SET autoProcProgramId = 999 WHERE dataCollectionId = ? AND imageNumber = (SELECT MIN(imageNumber) FROM ImageQualityIndicators WHERE dataCollectionId = ?)",
            [.int(dc1), .int(dc1)])
        let fourth = try ResultStore.open(.sqlite(path)).write(changed)
        XCTAssertEqual(fourth.runs.map(\.imageRowsUnchanged), [false, true, true])
        XCTAssertEqual(try store.db.scalar("SELECT COUNT(*) FROM ImageQualityIndicators WHERE autoProcProgramId = 999")?.intValue, 0)

        // A store without per-image rows records none; the next store with them writes them.
        var noRows = StoreOptions()
        noRows.perImage = false
        _ = try ResultStore.open(.sqlite(path)).write(changed, options: noRows)
        XCTAssertEqual(try store.db.scalar("SELECT COUNT(imageRowsFingerprint) FROM XtalReportRun")?.intValue, 0)
        let fifth = try ResultStore.open(.sqlite(path)).write(changed)
        XCTAssertEqual(fifth.runs.map(\.imageRowsUnchanged), [false, false, false])
    }

    /// A SQLite store made before the fingerprint columns gets them when it is opened.
    func testOpeningAnOlderSQLiteStoreAddsTheColumns() throws {
        let example = try ExampleJob()
        let path = example.folder.url.appendingPathComponent("old.sqlite").path
        let db = try ResultStore.open(.sqlite(path)).db
        _ = try ResultStore.open(.sqlite(path)).write(example.job)
        for column in ExtensionSchema.imageRowsColumns { try db.executeScript("ALTER TABLE XtalReportRun DROP COLUMN \(column.name)") }
        try db.execute("DELETE FROM SchemaStatus WHERE scriptName = ?", [.text(ExtensionSchema.imageRowsScript)])
        XCTAssertFalse(try ISPyBFlavour.detect(db).hasImageRowsFingerprint)

        let reopened = try ResultStore.open(.sqlite(path))
        XCTAssertTrue(reopened.flavour.hasImageRowsFingerprint)
        XCTAssertFalse(try ExtensionSchema.migrate(reopened.db), "opening applied it")
        XCTAssertEqual(
            try db.scalar("SELECT schemaStatus FROM SchemaStatus WHERE scriptName = ?", [.text(ExtensionSchema.imageRowsScript)])?.stringValue,
            "DONE")
        // The rows written before have no fingerprint: written once more, then left alone.
        XCTAssertEqual(try reopened.write(example.job).runs.map(\.imageRowsUnchanged), [false, false, false])
        XCTAssertEqual(try reopened.write(example.job).runs.map(\.imageRowsUnchanged), [true, true, true])
    }

    func testDistinctImageNumbers() {
        XCTAssertEqual(ImageQualityWriter.distinctCount([]), 0)
        XCTAssertEqual(ImageQualityWriter.distinctCount([0, 1, 5]), 3)
        XCTAssertEqual(ImageQualityWriter.distinctCount([5, 1, 5, 0, 1]), 3)
    }

    func testArrayContentsChangeTheHash() {
        func hex(_ values: [UInt32]) -> String {
            var hash = StableHash()
            hash.add(contentsOf: values)
            return hash.hex
        }
        XCTAssertEqual(hex([1, 2, 3]), hex([1, 2, 3]))
        XCTAssertNotEqual(hex([1, 2, 3]), hex([1, 2, 4]))
        XCTAssertNotEqual(hex([1, 2, 3]), hex([1, 2, 3, 0]), "the count is part of it")
        XCTAssertNotEqual(hex([0x8000_0000, 0]), hex([0, 0x8000_0000]), "high bits count in every word")
    }
}
