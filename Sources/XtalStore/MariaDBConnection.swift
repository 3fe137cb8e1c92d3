import CMariaDB
import Foundation

/// A connection to an ISPyB MariaDB through MariaDB Connector/C: every statement prepared
/// with bound parameters, utf8mb4, TLS used when the server offers it over TCP.
public final class MariaDBConnection: SQLConnection {
    public let dialect = SQLDialect.mariadb
    public let target: String
    public let databaseName: String
    private let mysql: UnsafeMutablePointer<MYSQL>
    private var lastID: Int64 = 0
    /// Whether the server takes parameters as arrays (COM_STMT_BULK_EXECUTE, MariaDB ≥ 10.2).
    private lazy var bulkSupported = xr_mariadb_bulk_supported(mysql) != 0

    /// Where to connect and as whom. The password is never printed or logged.
    public struct Endpoint: Sendable {
        public var user: String
        public var password: String?
        public var host: String
        public var port: Int
        public var database: String
        /// A unix socket, used instead of host and port when set.
        public var socket: String?

        public init(user: String, password: String?, host: String, port: Int, database: String, socket: String?) {
            self.user = user
            self.password = password
            self.host = host
            self.port = port
            self.database = database
            self.socket = socket
        }

        /// `user@host:port/db` or `user@socket:/path/db`, no password.
        public var description: String {
            socket.map { "\(user)@\($0)/\(database)" } ?? "\(user)@\(host):\(port)/\(database)"
        }
    }

    public init(_ endpoint: Endpoint) throws(StoreError) {
        guard let handle = mysql_init(nil) else { throw .cannotConnect(target: endpoint.description, reason: "out of memory") }
        mysql = handle
        target = endpoint.description
        databaseName = endpoint.database
        _ = mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        var timeout: UInt32 = 10
        _ = mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        if endpoint.socket == nil {
            // Ask for TLS; Connector/C falls back to plain TCP when the server has none.
            _ = mysql_ssl_set(mysql, nil, nil, nil, nil, nil)
        }
        let connected = mysql_real_connect(
            mysql, endpoint.socket == nil ? endpoint.host : nil, endpoint.user, endpoint.password, endpoint.database,
            UInt32(endpoint.port), endpoint.socket, 0)
        guard connected != nil else {
            let reason = "\(String(cString: mysql_error(mysql))) (error \(mysql_errno(mysql)))"
            // deinit closes the handle (every stored property is set by now).
            throw .cannotConnect(target: endpoint.description, reason: reason)
        }
        // A strict session without zero-date rejection (some ISPyB tables default to zero dates).
        try executeScript("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'")
    }

    deinit { mysql_close(mysql) }

    private func failure(_ sql: String, _ statement: UnsafeMutablePointer<MYSQL_STMT>? = nil) -> StoreError {
        let (message, code) =
            statement.map { (String(cString: mysql_stmt_error($0)), mysql_stmt_errno($0)) }
            ?? (String(cString: mysql_error(mysql)), mysql_errno(mysql))
        let reason = "\(message) (error \(code))"
        // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT: the server rolled the transaction back.
        return Self.conflictCodes.contains(code) ? .conflict(sql: sql, reason: reason) : .statement(sql: sql, reason: reason)
    }

    /// MariaDB's codes for a transaction that lost to another one (retryable).
    static let conflictCodes: Set<UInt32> = [1213, 1205]

    /// Prepares, binds and executes `sql`; `body` reads results before the statement closes.
    private func run<T>(
        _ sql: String, _ parameters: [SQLValue], _ body: (UnsafeMutablePointer<MYSQL_STMT>) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        guard let statement = mysql_stmt_init(mysql) else { throw failure(sql) }
        defer { mysql_stmt_close(statement) }
        guard mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) == 0 else { throw failure(sql, statement) }
        var buffers: [UnsafeMutableRawPointer] = []
        defer { for b in buffers { b.deallocate() } }
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: parameters.count)
        for (i, value) in parameters.enumerated() {
            switch value {
            case .null:
                binds[i].buffer_type = MYSQL_TYPE_NULL
            case .int(let v):
                binds[i].buffer_type = MYSQL_TYPE_LONGLONG
                binds[i].buffer = Self.copy(v, into: &buffers)
            case .double(let v):
                binds[i].buffer_type = MYSQL_TYPE_DOUBLE
                binds[i].buffer = Self.copy(v, into: &buffers)
            case .text(let s):
                let bytes = Array(s.utf8)
                let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
                p.copyMemory(from: bytes, byteCount: bytes.count)
                buffers.append(p)
                binds[i].buffer_type = MYSQL_TYPE_STRING
                binds[i].buffer = p
                binds[i].buffer_length = UInt(bytes.count)
            }
        }
        if !binds.isEmpty {
            let ok = binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_param(statement, $0.baseAddress) == 0 }
            guard ok else { throw failure(sql, statement) }
        }
        guard mysql_stmt_execute(statement) == 0 else { throw failure(sql, statement) }
        return try body(statement)
    }

    /// An 8-byte value in a buffer that lives until the statement has run.
    private static func copy<T: BitwiseCopyable>(_ value: T, into buffers: inout [UnsafeMutableRawPointer]) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        p.storeBytes(of: value, as: T.self)
        buffers.append(p)
        return p
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> Int {
        try run(sql, parameters) { statement in
            lastID = Int64(mysql_stmt_insert_id(statement))
            return Int(mysql_stmt_affected_rows(statement))
        }
    }

    /// The rows as bound arrays, one single-row statement executed for all of them in one
    /// round trip (MariaDB Connector/C's array binding, STMT_ATTR_ARRAY_SIZE, column-wise);
    /// multi-row statements on a server without bulk operations.
    public func insertRows(_ head: String, suffix: String, _ batch: ColumnBatch) throws(StoreError) {
        guard batch.count > 0 else { return }
        guard bulkSupported else {
            try insertRowsByStatements(head, suffix: suffix, batch, rowsPerStatement: 500)
            return
        }
        let sql = insertStatement(head, suffix: suffix, columns: batch.columns.count, rows: 1)
        guard let statement = mysql_stmt_init(mysql) else { throw failure(sql) }
        defer { mysql_stmt_close(statement) }
        guard mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) == 0 else { throw failure(sql, statement) }
        var rows = UInt32(batch.count)
        guard mysql_stmt_attr_set(statement, STMT_ATTR_ARRAY_SIZE, &rows) == 0 else { throw failure(sql, statement) }
        // Copies of the columns that live until the statement has run.
        var buffers: [UnsafeMutableRawPointer] = []
        defer { for b in buffers { b.deallocate() } }
        func place<T: BitwiseCopyable>(_ values: [T]) -> UnsafeMutableRawPointer {
            let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, values.count * MemoryLayout<T>.stride), alignment: 8)
            values.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            buffers.append(p)
            return p
        }
        var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: batch.columns.count)
        for (c, column) in batch.columns.enumerated() {
            let nulls: [Bool]?
            switch column {
            case .integers(let v, let n):
                binds[c].buffer_type = MYSQL_TYPE_LONGLONG
                binds[c].buffer = place(v)
                nulls = n
            case .reals(let v, let n):
                binds[c].buffer_type = MYSQL_TYPE_DOUBLE
                binds[c].buffer = place(v)
                nulls = n
            }
            if let nulls {
                let indicators = nulls.map { CChar($0 ? STMT_INDICATOR_NULL.rawValue : STMT_INDICATOR_NONE.rawValue) }
                binds[c].u.indicator = place(indicators).assumingMemoryBound(to: CChar.self)
            }
        }
        let bound = binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_param(statement, $0.baseAddress) == 0 }
        guard bound else { throw failure(sql, statement) }
        guard mysql_stmt_execute(statement) == 0 else { throw failure(sql, statement) }
    }

    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> [[SQLValue]] {
        try run(sql, parameters) { statement throws(StoreError) in
            guard let metadata = mysql_stmt_result_metadata(statement) else { return [] }
            defer { mysql_free_result(metadata) }
            var update: my_bool = 1
            _ = mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &update)
            guard mysql_stmt_store_result(statement) == 0 else { throw failure(sql, statement) }
            let count = Int(mysql_num_fields(metadata))
            let fields = mysql_fetch_fields(metadata)!
            var binds = [MYSQL_BIND](repeating: MYSQL_BIND(), count: count)
            let lengths = UnsafeMutablePointer<UInt>.allocate(capacity: max(1, count))
            let nulls = UnsafeMutablePointer<my_bool>.allocate(capacity: max(1, count))
            var buffers: [UnsafeMutablePointer<UInt8>] = []
            defer {
                lengths.deallocate()
                nulls.deallocate()
                for b in buffers { b.deallocate() }
            }
            for c in 0..<count {
                let size = Int(fields[c].max_length) + 1
                let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
                buffers.append(buffer)
                binds[c].buffer_type = MYSQL_TYPE_STRING
                binds[c].buffer = UnsafeMutableRawPointer(buffer)
                binds[c].buffer_length = UInt(size)
                binds[c].length = lengths + c
                binds[c].is_null = nulls + c
            }
            let bound = binds.withUnsafeMutableBufferPointer { mysql_stmt_bind_result(statement, $0.baseAddress) == 0 }
            guard bound else { throw failure(sql, statement) }
            var rows: [[SQLValue]] = []
            while true {
                let status = mysql_stmt_fetch(statement)
                if status == MYSQL_NO_DATA { break }
                guard status == 0 else { throw failure(sql, statement) }
                rows.append(
                    (0..<count).map { c in
                        nulls[c] != 0
                            ? .null
                            : .text(String(decoding: UnsafeBufferPointer(start: buffers[c], count: Int(lengths[c])), as: UTF8.self))
                    })
            }
            return rows
        }
    }

    public func lastInsertID() -> Int64 { lastID }

    public func executeScript(_ sql: String) throws(StoreError) {
        for statement in Self.statements(of: sql) {
            guard mysql_real_query(mysql, statement, UInt(statement.utf8.count)) == 0 else { throw failure(statement) }
            if let result = mysql_store_result(mysql) { mysql_free_result(result) }
        }
    }

    public func begin() throws(StoreError) { try executeScript("START TRANSACTION") }
    public func commit() throws(StoreError) { try executeScript("COMMIT") }
    public func rollback() { _ = mysql_rollback(mysql) }
}
