import Foundation
import XCTest

/// Databases with the real upstream ISPyB schemas from ../shared/ispyb-schema on a
/// throw-away server, each with the visit mx2427-1; a test skips when the schemas are absent.
extension ThrowawayMariaDB {
    public static func schemaFile(_ relative: String) throws -> String {
        let (path, reason) = SharedSamples.path("ispyb-schema/" + relative)
        guard let path else { throw XCTSkip(reason) }
        return path
    }

    /// DLS v5.0.0: tables, lookups and stored routines.
    public func createDLS(_ name: String) throws {
        let files = try ["dls-v5.0.0/tables.sql", "dls-v5.0.0/lookups.sql", "dls-v5.0.0/routines.sql"].map(Self.schemaFile)
        try sql("CREATE DATABASE \(name)")
        for file in files { try load(file, into: name) }
        try addVisit(name)
    }

    /// ESRF v1.0.2 with its EventType rows and MAX IV's SSX tables.
    public func createESRF(_ name: String) throws {
        let files = try ["esrf-v1.0.2/1_tables.sql", "esrf-v1.0.2/2_lookups.sql",
                         "maxiv-additions/ssx_processing_result.maxiv_effective.sql"].map(Self.schemaFile)
        try sql("CREATE DATABASE \(name)")
        try load(files[0], into: name)
        try load(files[1], into: name)
        try sql(
            "INSERT IGNORE INTO EventType (name) VALUES ('XrayDetection'),('XrayExposure'),('LaserExcitation'),('ReactionTrigger')",
            database: name)
        try load(files[2], into: name)
        try addVisit(name)
    }

    private func addVisit(_ name: String) throws {
        try sql(
            """
            INSERT INTO Person (login, familyName) VALUES ('xtalreport', 'Tester');
            INSERT INTO Proposal (personId, title, proposalCode, proposalNumber) VALUES (LAST_INSERT_ID(), 'test', 'mx', '2427');
            INSERT INTO BLSession (proposalId, visit_number, beamLineName, startDate) VALUES (LAST_INSERT_ID(), 1, 'i24', NOW());
            """, database: name)
    }
}
