import Foundation
import XCTest
import XtalTestSupport

@testable import XtalStore

/// `insertRows` on both drivers (SQLite's 100-row statements, MariaDB's bound arrays) and
/// the multi-row fallback: the same rows, NULLs included, whatever the batch size, and an
/// upsert over rows already there.
final class ColumnBatchInsertTests: XCTestCase {
    static let create = "CREATE TABLE T (a BIGINT NOT NULL, b BIGINT NOT NULL, c BIGINT, d DOUBLE, PRIMARY KEY (a, b))"

    /// Rows `range` of a batch for dataCollection-like key 7: c is NULL on every 5th row,
    /// d on every 7th; `shift` changes the values (for the upsert).
    static func batch(_ range: Range<Int>, shift: Int) -> ColumnBatch {
        let rows = Array(range)
        return ColumnBatch(columns: [
            ColumnBatch.repeating(7, count: rows.count),
            .integers(rows.map { Int64($0) }, nulls: nil),
            .integers(rows.map { Int64($0 * 3 + shift) }, nulls: rows.map { $0 % 5 == 0 }),
            .reals(rows.map { Double($0) / 8 + Double(shift) }, nulls: rows.map { $0 % 7 == 0 }),
        ])
    }

    /// What T must hold after the first batch (0..<257) and the upsert (100..<357, shift 1).
    static var expected: [[Double?]] {
        (0..<357).map { r in
            let shift = r >= 100 ? 1 : 0
            return [7, Double(r), r % 5 == 0 ? nil : Double(r * 3 + shift), r % 7 == 0 ? nil : Double(r) / 8 + Double(shift)]
        }
    }

    func contents(_ db: SQLConnection) throws -> [[Double?]] {
        try db.query("SELECT a, b, c, d FROM T ORDER BY b").map { $0.map(\.doubleValue) }
    }

    func fill(_ db: SQLConnection, upsert: String, viaStatements: Bool) throws {
        let head = "INSERT INTO T (a, b, c, d) VALUES"
        try db.transaction { () throws(StoreError) in
            for (range, shift) in [(0..<257, 0), (100..<357, 1)] {
                if viaStatements {
                    try db.insertRowsByStatements(head, suffix: upsert, Self.batch(range, shift: shift), rowsPerStatement: 33)
                } else {
                    try db.insertRows(head, suffix: upsert, Self.batch(range, shift: shift))
                }
            }
        }
    }

    func testSQLiteRowsAndUpsert() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let upsert = " ON CONFLICT (a, b) DO UPDATE SET c = excluded.c, d = excluded.d"
        for viaStatements in [false, true] {
            let db = try SQLiteConnection(path: folder.appendingPathComponent("\(viaStatements).sqlite").path)
            try db.executeScript(Self.create)
            try fill(db, upsert: upsert, viaStatements: viaStatements)
            XCTAssertEqual(try contents(db), Self.expected, "viaStatements \(viaStatements)")
        }
    }

    func testMariaDBBulkRowsAndUpsert() throws {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        let server = try ThrowawayMariaDB()
        try server.sql("CREATE DATABASE batch")
        let upsert = " ON DUPLICATE KEY UPDATE c = VALUES(c), d = VALUES(d)"
        for viaStatements in [false, true] {
            let db = try MariaDBConnection(
                .init(user: server.user, password: nil, host: "localhost", port: 0, database: "batch", socket: server.socket))
            try db.executeScript("DROP TABLE IF EXISTS T")
            try db.executeScript(Self.create)
            try fill(db, upsert: upsert, viaStatements: viaStatements)
            XCTAssertEqual(try contents(db), Self.expected, "viaStatements \(viaStatements)")
        }
    }
}
