import Foundation
import XCTest
import XtalTestSupport

@testable import XtalStore

/// A server that requires TLS of the user (REQUIRE SSL) over TCP: the store's connection
/// must negotiate it; a refused login names the account, never the password.
final class MariaDBTLSTests: XCTestCase {
    func testTLSIsUsedWhenTheServerRequiresIt() throws {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        let server = try ThrowawayMariaDB(tlsOverTCP: true)
        let port = try XCTUnwrap(server.port)
        try server.sql(
            """
            CREATE DATABASE tls_db;
            CREATE USER 'pipeline'@'127.0.0.1' IDENTIFIED BY 's3cret-pw' REQUIRE SSL;
            GRANT ALL ON tls_db.* TO 'pipeline'@'127.0.0.1';
            """)
        let endpoint = MariaDBConnection.Endpoint(
            user: "pipeline", password: "s3cret-pw", host: "127.0.0.1", port: port, database: "tls_db", socket: nil)
        let db = try MariaDBConnection(endpoint)
        let cipher = try db.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'").first?[1].stringValue ?? ""
        XCTAssertFalse(cipher.isEmpty, "the session is not encrypted")

        var wrong = endpoint
        wrong.password = "not-the-password"
        XCTAssertThrowsError(try MariaDBConnection(wrong)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("pipeline@127.0.0.1:\(port)/tls_db"), text)
            XCTAssertTrue(text.contains("Access denied"), text)
            XCTAssertFalse(text.contains("not-the-password"), text)
        }
    }
}
