/// The columns each table of the connected database has (lower-cased), looked up once:
/// the flavours differ (ESRF's `ccAno` for DLS's `ccAnomalous`, STARANISO columns only at
/// ESRF), so writers insert the columns that exist.
final class TableColumns {
    private let db: SQLConnection
    private var known: [String: Set<String>] = [:]

    init(db: SQLConnection) {
        self.db = db
    }

    func of(_ table: String) throws(StoreError) -> Set<String> {
        if let columns = known[table] { return columns }
        let rows: [[SQLValue]]
        switch db.dialect {
        case .sqlite: rows = try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)])
        case .mariadb:
            rows = try db.query(
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                [.text(table)])
        }
        let columns = Set(rows.compactMap { row -> String? in
            if case .text(let name) = row.first { return name.lowercased() }
            return nil
        })
        known[table] = columns
        return columns
    }

    /// Inserts the pairs whose column `table` has; returns the new row's id.
    @discardableResult
    func insert(into table: String, _ pairs: [(String, SQLValue)]) throws(StoreError) -> Int64 {
        let existing = try of(table)
        let kept = pairs.filter { existing.contains($0.0.lowercased()) }
        return try db.insert(
            "INSERT INTO \(table) (\(kept.map(\.0).joined(separator: ", "))) VALUES (\(placeholders(kept.count)))", kept.map(\.1))
    }
}
