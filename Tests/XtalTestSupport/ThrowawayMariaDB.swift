import Foundation

/// A MariaDB server of the test's own: data directory and unix socket in a temporary
/// folder, no network, stopped (and deleted) when the value goes away. Needs Debian's
/// `mariadb-server` (installed by `scripts/install-deps.sh --test`).
public final class ThrowawayMariaDB {
    public let folder: URL
    public var socket: String { folder.appendingPathComponent("sock").path }
    public let user: String
    /// The TCP port on 127.0.0.1 when the server was started with TLS (else nil: socket only).
    public let port: Int?
    private let server: Process

    /// Why a server cannot be started here (nil when it can).
    public static var unavailableReason: String? {
        for tool in ["/usr/bin/mariadb-install-db", "/usr/sbin/mariadbd", "/usr/bin/mariadb", "/usr/bin/openssl"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is absent: install mariadb-server (scripts/install-deps.sh --test)"
        }
        return nil
    }

    /// Starts the server; with `tlsOverTCP` it also listens on 127.0.0.1 with a fresh
    /// self-signed certificate (made with openssl), so that TLS can be required of a user.
    public init(tlsOverTCP: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-mariadb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        user = ProcessInfo.processInfo.environment["USER"] ?? (getuid() == 0 ? "root" : NSUserName())
        let data = folder.appendingPathComponent("data").path
        let install = try Self.run(
            "/usr/bin/mariadb-install-db", ["--user=\(user)", "--datadir=\(data)", "--auth-root-authentication-method=socket",
                                            "--skip-test-db"])
        guard install.status == 0 else { throw Failure(message: "mariadb-install-db failed: \(install.output)") }
        server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        server.arguments = [
            "--no-defaults", "--user=\(user)", "--datadir=\(data)", "--socket=\(folder.appendingPathComponent("sock").path)", "--skip-networking",
            "--pid-file=\(folder.appendingPathComponent("mariadbd.pid").path)",
            "--log-error=\(folder.appendingPathComponent("error.log").path)", "--innodb-buffer-pool-size=64M",
        ]
        if tlsOverTCP {
            let key = folder.appendingPathComponent("key.pem").path
            let cert = folder.appendingPathComponent("cert.pem").path
            let made = try Self.run(
                "/usr/bin/openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", key, "-out", cert])
            guard made.status == 0 else { throw Failure(message: "openssl: \(made.output)") }
            let chosen = 20000 + Int.random(in: 0..<20000)
            port = chosen
            server.arguments!.removeAll { $0 == "--skip-networking" }
            server.arguments! += ["--port=\(chosen)", "--bind-address=127.0.0.1", "--ssl-cert=\(cert)", "--ssl-key=\(key)"]
        } else {
            port = nil
        }
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: socket), (try? sql("SELECT 1"))?.trimmingCharacters(in: .whitespacesAndNewlines) == "1" {
                return
            }
            guard server.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        server.terminate()
        throw Failure(message: "mariadbd did not start: \(log.suffix(2000))")
    }

    deinit {
        server.terminate()
        server.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs SQL through the `mariadb` client (tab-separated rows, no header).
    @discardableResult
    public func sql(_ statements: String, database: String? = nil) throws -> String {
        var arguments = ["--no-defaults", "-u\(user)", "--socket=\(socket)", "-N", "-B", "-e", statements]
        if let database { arguments.append(database) }
        let result = try Self.run("/usr/bin/mariadb", arguments)
        guard result.status == 0 else { throw Failure(message: "mariadb: \(result.output)") }
        return result.output
    }

    /// Feeds a SQL file to the `mariadb` client.
    public func load(_ file: String, into database: String) throws {
        let result = try Self.run(
            "/usr/bin/mariadb", ["--no-defaults", "-u\(user)", "--socket=\(socket)", database], input: file)
        guard result.status == 0 else { throw Failure(message: "loading \(file): \(result.output)") }
    }

    /// The connection URL the store takes.
    public func url(database: String) -> String { "mariadb://\(user)@localhost/\(database)?socket=\(socket)" }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    static func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        if let input { process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input)) }
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
