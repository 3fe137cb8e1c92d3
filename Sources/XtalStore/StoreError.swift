/// Why the store could not do its work. Each case names what is missing or wrong; none
/// carries a password.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The `--db` value or credentials file cannot be understood.
    case badLocation(String)
    /// The server cannot be reached or refused the login.
    case cannotConnect(target: String, reason: String)
    /// The database lacks tables or columns the store needs.
    case missingSchema(database: String, missing: [String])
    /// A statement failed.
    case statement(sql: String, reason: String)
    /// A statement lost to a concurrent transaction (a deadlock, a lock wait timeout, a
    /// busy SQLite file): the transaction was rolled back and can be tried again.
    case conflict(sql: String, reason: String)
    /// Another job holds what this one must write, for longer than the store waits.
    case busy(target: String, reason: String)
    /// The disk holding the database (SQLite) is full: an output that cannot be written,
    /// not a database refusing the results (the CLI exits 73, not 69).
    case diskFull(target: String, reason: String)
    /// The visit named by the manifest or `--session` does not exist.
    case visitNotFound(String)
    /// A run could not be linked to a DataCollection.
    case noDataCollection(run: String, reason: String)
    /// A file the store writes beside the database (attachments) could not be written.
    case cannotWriteFile(path: String, reason: String)
    /// A failure injected by a test (`StoreOptions.failAfterRows`).
    case injectedFailure(run: String)

    public var description: String {
        switch self {
        case .badLocation(let why): return "database location: \(why)"
        case .cannotConnect(let target, let reason): return "cannot connect to \(target): \(reason)"
        case .missingSchema(let database, let missing):
            return "\(database) lacks what the store needs: \(missing.joined(separator: ", "))"
        case .statement(let sql, let reason):
            let short = sql.count > 160 ? String(sql.prefix(160)) + "…" : sql
            return "SQL failed: \(reason) (in: \(short))"
        case .conflict(let sql, let reason):
            let short = sql.count > 160 ? String(sql.prefix(160)) + "…" : sql
            return "SQL failed after retries, losing to concurrent transactions: \(reason) (in: \(short))"
        case .busy(let target, let reason): return "\(target) is busy: \(reason)"
        case .diskFull(let target, let reason): return "cannot write \(target): the disk is full (\(reason))"
        case .visitNotFound(let visit):
            return "visit '\(visit)' does not exist in the database (no BLSession for that proposal and number)"
        case .noDataCollection(let run, let reason): return "run '\(run)': no DataCollection: \(reason)"
        case .cannotWriteFile(let path, let reason): return "cannot write \(path): \(reason)"
        case .injectedFailure(let run): return "injected failure while writing run '\(run)'"
        }
    }
}

extension StoreError {
    /// A conflict with another transaction, which a retry may win.
    var isConflict: Bool {
        if case .conflict = self { return true }
        return false
    }
}
