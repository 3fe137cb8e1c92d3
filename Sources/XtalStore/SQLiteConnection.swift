import CSQLite
import Foundation

/// The embedded default store: one SQLite file, foreign keys on, one writer.
public final class SQLiteConnection: SQLConnection {
    public let dialect = SQLDialect.sqlite
    public let target: String
    public var databaseName: String { "main" }
    private let db: OpaquePointer
    /// Prepared statements by SQL text, reset and reused (the per-image batches repeat one
    /// statement thousands of times).
    private var prepared: [String: OpaquePointer] = [:]

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws(StoreError) {
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite3_close(handle) }
            throw .cannotConnect(target: path, reason: reason)
        }
        db = handle
        target = path
        // Another job's transaction on the same file is waited for (a run's transaction
        // takes seconds at most; a job that waits longer gets a retryable conflict).
        sqlite3_busy_timeout(db, 120_000)
        // WAL with synchronous NORMAL: a commit is not synced to disk (the WAL is, at each
        // checkpoint), so a power cut can lose the last transactions but never corrupts the
        // file (sqlite.org/pragma.html#pragma_synchronous); the results are in the output
        // folder to store again.
        try executeScript("PRAGMA foreign_keys = ON;\nPRAGMA synchronous = NORMAL;")
        // The journal mode is the file's and stays once set. Switching needs the file to
        // itself, and SQLite answers "locked" at once (no busy wait) while another job holds
        // a transaction on a file still in rollback mode (a new file's first job): then this
        // connection works in rollback mode and a later one switches.
        if (try? scalar("PRAGMA journal_mode"))??.stringValue?.lowercased() != "wal" {
            _ = try? scalar("PRAGMA journal_mode = WAL")
        }
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close(db)
    }

    private func message() -> String { String(cString: sqlite3_errmsg(db)) }

    /// The error for a failed `sql`: a conflict when another writer held the database for
    /// longer than the busy timeout (retryable), else a statement error.
    private func failure(_ sql: String, reason: String? = nil) -> StoreError {
        let why = reason ?? message()
        switch sqlite3_errcode(db) & 0xFF {
        case SQLITE_BUSY: return .conflict(sql: sql, reason: why)
        case SQLITE_FULL: return .diskFull(target: target, reason: why)
        // An I/O error from a full disk (a write of the journal or WAL) is a full disk too.
        case SQLITE_IOERR where sqlite3_system_errno(db) == ENOSPC || sqlite3_system_errno(db) == EDQUOT:
            return .diskFull(target: target, reason: why)
        default: return .statement(sql: sql, reason: why)
        }
    }

    /// The statement for `sql` with `parameters` bound; call `finish` when done with it.
    private func prepare(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> OpaquePointer {
        let statement: OpaquePointer
        if let cached = prepared.removeValue(forKey: sql) {
            statement = cached
        } else {
            var fresh: OpaquePointer?
            guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &fresh, nil) == SQLITE_OK, let fresh else {
                throw failure(sql)
            }
            statement = fresh
        }
        for (i, value) in parameters.enumerated() {
            let index = Int32(i + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .int(let v): status = sqlite3_bind_int64(statement, index, v)
            case .double(let v): status = sqlite3_bind_double(statement, index, v)
            case .text(let s): status = sqlite3_bind_text(statement, index, s, -1, xr_sqlite_transient())
            }
            guard status == SQLITE_OK else {
                sqlite3_finalize(statement)
                throw failure(sql)
            }
        }
        return statement
    }

    /// Resets `statement` and keeps it for the next use of the same SQL.
    private func finish(_ statement: OpaquePointer, _ sql: String) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        if let old = prepared.updateValue(statement, forKey: sql) { sqlite3_finalize(old) }
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> Int {
        let statement = try prepare(sql, parameters)
        defer { finish(statement, sql) }
        var status = sqlite3_step(statement)
        while status == SQLITE_ROW { status = sqlite3_step(statement) }
        guard status == SQLITE_DONE else { throw failure(sql) }
        return Int(sqlite3_changes(db))
    }

    /// Prepared statements of `rowsPerInsert` rows each (one more for the remainder), bound
    /// from the columns and stepped: SQLite runs its per-statement work once per 100 rows
    /// (1.4 M rows/s against 0.8 M with one row per statement, measured on
    /// ImageQualityIndicators here), with no statement text or value box per row.
    public func insertRows(_ head: String, suffix: String, _ batch: ColumnBatch) throws(StoreError) {
        var start = 0
        while start < batch.count {
            // As many full statements as fit, then one statement for the rows left.
            let rows = min(Self.rowsPerInsert, batch.count - start)
            let sql = insertStatement(head, suffix: suffix, columns: batch.columns.count, rows: rows)
            let statement = try prepare(sql, [])
            defer { finish(statement, sql) }
            for _ in 0..<(batch.count - start) / rows {
                var index: Int32 = 1
                for row in start..<start + rows {
                    for column in batch.columns {
                        let status: Int32
                        switch column {
                        case .integers(let v, let nulls):
                            status = nulls?[row] == true ? sqlite3_bind_null(statement, index) : sqlite3_bind_int64(statement, index, v[row])
                        case .reals(let v, let nulls):
                            status = nulls?[row] == true ? sqlite3_bind_null(statement, index) : sqlite3_bind_double(statement, index, v[row])
                        }
                        guard status == SQLITE_OK else { throw failure(sql) }
                        index += 1
                    }
                }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(sql) }
                sqlite3_reset(statement)
                start += rows
            }
        }
    }

    /// Rows per INSERT statement in `insertRows`.
    static let rowsPerInsert = 100

    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        let statement = try prepare(sql, parameters)
        defer { finish(statement, sql) }
        var rows: [[SQLValue]] = []
        let columns = sqlite3_column_count(statement)
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw failure(sql) }
            rows.append(
                (0..<columns).map { c in
                    switch sqlite3_column_type(statement, c) {
                    case SQLITE_INTEGER: .int(sqlite3_column_int64(statement, c))
                    case SQLITE_FLOAT: .double(sqlite3_column_double(statement, c))
                    case SQLITE_NULL: .null
                    default: .text(String(cString: sqlite3_column_text(statement, c)))
                    }
                })
        }
        return rows
    }

    public func lastInsertID() -> Int64 { sqlite3_last_insert_rowid(db) }

    public func executeScript(_ sql: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &error) == SQLITE_OK else {
            let reason = error.map { String(cString: $0) } ?? message()
            sqlite3_free(error)
            throw failure(sql, reason: reason)
        }
    }

    public func begin() throws(StoreError) { try executeScript("BEGIN IMMEDIATE") }
    public func commit() throws(StoreError) { try executeScript("COMMIT") }
    public func rollback() { try? executeScript("ROLLBACK") }
}
