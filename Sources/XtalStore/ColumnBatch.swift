/// Rows for one INSERT statement, held column by column: what `SQLConnection.insertRows`
/// takes, so that a driver can hand whole columns to the database (MariaDB's array binding)
/// or bind them row by row from flat arrays (SQLite), without a value box per cell.
public struct ColumnBatch: Sendable {
    /// One column's values, one per row; `nulls[row]` true stores NULL instead.
    public enum Column: Sendable {
        case integers([Int64], nulls: [Bool]?)
        case reals([Double], nulls: [Bool]?)

        var count: Int {
            switch self {
            case .integers(let v, _): v.count
            case .reals(let v, _): v.count
            }
        }

        /// The value of `row` as a boxed parameter (for drivers without a bulk path).
        func value(at row: Int) -> SQLValue {
            switch self {
            case .integers(let v, let nulls): nulls?[row] == true ? .null : .int(v[row])
            case .reals(let v, let nulls): nulls?[row] == true ? .null : .double(v[row])
            }
        }
    }

    public var columns: [Column]

    /// Rows in the batch (every column has this many values).
    public var count: Int { columns.first?.count ?? 0 }

    public init(columns: [Column]) {
        precondition(Set(columns.map(\.count)).count <= 1, "a batch's columns differ in length")
        self.columns = columns
    }

    /// A column of one value repeated `count` times.
    public static func repeating(_ value: Int64, count: Int) -> Column {
        .integers([Int64](repeating: value, count: count), nulls: nil)
    }
}

extension SQLConnection {
    /// `insertRows` through `execute`: statements of up to `rowsPerStatement` rows each,
    /// for drivers without a faster path.
    func insertRowsByStatements(
        _ head: String, suffix: String, _ batch: ColumnBatch, rowsPerStatement: Int
    ) throws(StoreError) {
        var start = 0
        while start < batch.count {
            let end = min(batch.count, start + max(1, rowsPerStatement))
            var parameters: [SQLValue] = []
            parameters.reserveCapacity((end - start) * batch.columns.count)
            for r in start..<end {
                for column in batch.columns { parameters.append(column.value(at: r)) }
            }
            try execute(insertStatement(head, suffix: suffix, columns: batch.columns.count, rows: end - start), parameters)
            start = end
        }
    }

    /// `head (?, …), (?, …), …suffix`: `rows` rows of `columns` parameters each.
    func insertStatement(_ head: String, suffix: String, columns: Int, rows: Int) -> String {
        head + " " + Array(repeating: "(" + placeholders(columns) + ")", count: rows).joined(separator: ", ") + suffix
    }
}
