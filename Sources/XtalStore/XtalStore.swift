import CMariaDB

/// Results into a database: embedded SQLite by default, ISPyB on MariaDB. Filled by the
/// issue "Results into the database"; this file proves the MariaDB client library links.
public enum XtalStore {
    /// Version of the MariaDB Connector/C the engine was linked against.
    public static var mariaDBClientVersion: String {
        String(cString: mysql_get_client_info())
    }
}
