/// What a database holds: its tables and a table's columns, read from `sqlite_master` /
/// `PRAGMA table_info` or MariaDB's `information_schema`.
enum SchemaProbe {
    static func tables(_ db: SQLConnection) throws(StoreError) -> [String] {
        switch db.dialect {
        case .sqlite:
            return try db.query("SELECT name FROM sqlite_master WHERE type = 'table'", []).compactMap { $0.first?.stringValue }
        case .mariadb:
            return try db.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [.text(db.databaseName)]
            ).compactMap { $0.first?.stringValue }
        }
    }

    /// Column name → SQL type (lower case), for `table`.
    static func columns(_ db: SQLConnection, of table: String) throws(StoreError) -> [String: String] {
        var result: [String: String] = [:]
        switch db.dialect {
        case .sqlite:
            // PRAGMA takes no parameters: the table name comes from the store's own list.
            precondition(table.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
            for row in try db.query("PRAGMA table_info(\(table))", []) where row.count > 2 {
                if let name = row[1].stringValue { result[name.lowercased()] = (row[2].stringValue ?? "").lowercased() }
            }
        case .mariadb:
            for row in try db.query(
                "SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                [.text(db.databaseName), .text(table)])
            {
                if let name = row[0].stringValue { result[name.lowercased()] = (row[1].stringValue ?? "").lowercased() }
            }
        }
        return result
    }
}
