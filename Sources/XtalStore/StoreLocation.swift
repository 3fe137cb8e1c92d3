import Foundation

/// Where results are stored: the embedded SQLite file (default) or an ISPyB MariaDB.
///
/// - no `--db`: `$ISPYB_CREDENTIALS` when set (ispyb-api's file, section
///   `[ispyb_mariadb_sp]`: user, pw, host, port, db), else `OUTPUT/xtalreport.sqlite`;
/// - `--db sqlite:PATH` or a path ending in `.sqlite`/`.db`;
/// - `--db ispyb`: `$ISPYB_CREDENTIALS`, required;
/// - `--db mariadb://USER@HOST[:PORT]/DB[?socket=PATH]`: the password from
///   `--db-password-file` or `$XTALREPORT_DB_PASSWORD`, never from the command line.
public enum StoreLocation: Sendable {
    case sqlite(String)
    case mariadb(MariaDBConnection.Endpoint)

    public static let passwordVariable = "XTALREPORT_DB_PASSWORD"
    public static let credentialsVariable = "ISPYB_CREDENTIALS"

    public static func resolve(
        _ value: String?, passwordFile: String?, environment: [String: String], defaultSQLite: String
    ) throws(StoreError) -> StoreLocation {
        guard let value else {
            if let file = environment[credentialsVariable], !file.isEmpty { return try fromCredentials(file) }
            return .sqlite(defaultSQLite)
        }
        if value.hasPrefix("sqlite:") { return .sqlite(String(value.dropFirst("sqlite:".count))) }
        if value.hasSuffix(".sqlite") || value.hasSuffix(".db") { return .sqlite(value) }
        if value == "ispyb" {
            guard let file = environment[credentialsVariable], !file.isEmpty else {
                throw .badLocation("--db ispyb needs $\(credentialsVariable) (ispyb-api's credentials file)")
            }
            return try fromCredentials(file)
        }
        guard value.hasPrefix("mariadb://") || value.hasPrefix("mysql://") else {
            throw .badLocation("'\(masked(value))' is neither sqlite:PATH, ispyb, nor mariadb://USER@HOST:PORT/DB")
        }
        return .mariadb(try parseURL(value, passwordFile: passwordFile, environment: environment))
    }

    static func parseURL(_ value: String, passwordFile: String?, environment: [String: String]) throws(StoreError)
        -> MariaDBConnection.Endpoint
    {
        let shown = masked(value)
        guard let url = URLComponents(string: value) else {
            throw .badLocation("cannot read '\(shown)' as mariadb://USER@HOST:PORT/DB")
        }
        let host = url.host ?? ""
        let socket = url.queryItems?.first { $0.name == "socket" }?.value
        if host.isEmpty, socket == nil { throw .badLocation("'\(shown)' names no host (or ?socket=PATH)") }
        if url.password != nil {
            throw .badLocation("the URL carries a password; give it with --db-password-file or $\(passwordVariable) instead")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard let user = url.user, !user.isEmpty, !database.isEmpty else {
            throw .badLocation("'\(shown)' needs a user and a database: mariadb://USER@HOST:PORT/DB")
        }
        var password = environment[passwordVariable]
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw .badLocation("cannot read the password file \(passwordFile)")
            }
            // The first line, whatever ends it (\n, \r\n or \r: a file written on Windows).
            password = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        return .init(user: user, password: password, host: host.isEmpty ? "localhost" : host, port: url.port ?? 3306,
                     database: database, socket: socket)
    }

    /// ispyb-api's INI file, section `[ispyb_mariadb_sp]`.
    static func fromCredentials(_ path: String) throws(StoreError) -> StoreLocation {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .badLocation("cannot read the credentials file \(path) ($\(credentialsVariable))")
        }
        var section = ""
        var values: [String: String] = [:]
        // Lines end in \n, \r\n or \r (ispyb-api's configparser accepts each).
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard section == "ispyb_mariadb_sp", let eq = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            values[line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        let missing = ["user", "host", "db"].filter { values[$0] == nil }
        guard missing.isEmpty else {
            throw .badLocation("\(path): section [ispyb_mariadb_sp] lacks \(missing.joined(separator: ", "))")
        }
        guard let port = Int(values["port"] ?? "3306") else { throw .badLocation("\(path): port is not a number") }
        return .mariadb(
            .init(user: values["user"]!, password: values["pw"], host: values["host"]!, port: port, database: values["db"]!,
                  socket: values["socket"]))
    }

    /// `location` with the password of a `scheme://user:password@host…` authority replaced
    /// by `***`: how every message quotes a location.
    public static func masked(_ location: String) -> String {
        guard let schemeEnd = location.range(of: "://") else { return location }
        let authorityEnd = location[schemeEnd.upperBound...].firstIndex { "/?#".contains($0) } ?? location.endIndex
        let authority = location[schemeEnd.upperBound..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return location }
        return String(location[..<authority.index(after: colon)]) + "***" + String(location[at...])
    }

    /// What the location is, without secrets.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite \(path)"
        case .mariadb(let e): "MariaDB \(e.description)"
        }
    }
}
