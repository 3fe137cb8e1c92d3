import Foundation
import XCTest
import XtalCore
import XtalTestSupport

/// The AutoProc rows the store writes for an ISPyB XML file against those ispyb-api's own
/// importer (`ispyb.xmltools.mx_data_reduction_to_ispyb`, PyPI `ispyb` 12.1.1, through
/// DLS's stored procedures) writes for it, into the same DLS v5.0.0 schema on a real
/// MariaDB. Equal except where docs/store.md says why: xtalreport keeps the rotation axis
/// and beam vector (the importer passes none) and stores autoPROC's repeated scalings once.
/// A second run of the job adds no rows.
final class ISPyBImporterComparisonTests: XCTestCase {
    nonisolated(unsafe) static var server: ThrowawayMariaDB?
    nonisolated(unsafe) static var startFailure: String?
    static let password = "importer-pw"

    override class func setUp() {
        super.setUp()
        guard ThrowawayMariaDB.unavailableReason == nil else { return }
        do {
            let server = try ThrowawayMariaDB(tlsOverTCP: true)
            try server.sql("CREATE USER 'importer'@'127.0.0.1' IDENTIFIED BY '\(password)'; GRANT ALL ON *.* TO 'importer'@'127.0.0.1';")
            Self.server = server
        } catch {
            startFailure = "\(error)"
        }
    }

    override class func tearDown() {
        server = nil
        super.tearDown()
    }

    func prerequisites() throws -> (ThrowawayMariaDB, python: String) {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        guard let python = ProcessInfo.processInfo.environment["XTALREPORT_ISPYB_PYTHON"] else {
            throw XCTSkip("XTALREPORT_ISPYB_PYTHON is not set (scripts/test.sh installs ispyb from PyPI and sets it)")
        }
        if let failure = Self.startFailure { XCTFail(failure) }
        return (try XCTUnwrap(Self.server), python)
    }

    static func shared(_ relative: String) throws -> String { try SharedSamples.file(relative) }

    /// A DLS v5.0.0 (or ESRF v1.0.2) database with one visit, group and DataCollection (id 1).
    func makeDatabase(_ server: ThrowawayMariaDB, _ name: String, esrf: Bool = false) throws {
        if esrf { try server.createESRF(name) } else { try server.createDLS(name) }
        try server.sql(
            """
            INSERT INTO DataCollectionGroup (sessionId, experimentType) VALUES ((SELECT MAX(sessionId) FROM BLSession), 'OSC');
            INSERT INTO DataCollection (dataCollectionId, dataCollectionGroupId, imageDirectory, fileTemplate)
              VALUES (1, LAST_INSERT_ID(), '/dls/i04/data/', 'x_####.cbf');
            """, database: name)
    }

    /// ispyb-api's importer on `xml`, for DataCollection 1 of `database`.
    func importWithISPyBAPI(_ xml: String, into database: String, server: ThrowawayMariaDB, python: String) throws {
        let script = """
            import sys
            import ispyb.xmltools
            from ispyb.connector.mysqlsp.main import ISPyBMySQLSPConnector
            conn = ISPyBMySQLSPConnector(user="importer", pw=sys.argv[2], host="127.0.0.1", port=int(sys.argv[3]), db=sys.argv[4])
            ispyb.xmltools.mx_data_reduction_to_ispyb(ispyb.xmltools.xml_file_to_dict(sys.argv[1]), 1, conn.mx_processing)
            conn.disconnect()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, xml, Self.password, String(try XCTUnwrap(server.port)), database]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ispyb-api importer: \(message)")
    }

    /// xtalreport's store of `xml` as the processing result of a rotation run on DataCollection 1.
    func storeWithXtalreport(_ xml: String, into database: String, server: ThrowawayMariaDB) throws -> Outcome {
        let folder = try TemporaryFolder()
        try folder.write("manifest.yaml", """
            experiment: importer-comparison
            session: mx2427-1
            runs:
              - name: rot
                kind: rotation
                processing: ["\(xml)"]
                data_collection_id: 1
            """)
        let job = try run(["run", folder.path + "/manifest.yaml", "--no-report", "-q", "--db", server.url(database: database)])
        XCTAssertEqual(job.status, 0, job.stderr)
        return job
    }

    /// The rows of the imported result, ids replaced by their order: what both importers
    /// should agree on. `AutoProcProgram` rows of xtalreport's own program are left out.
    func rows(_ server: ThrowawayMariaDB, _ database: String) throws -> [String: [String]] {
        let imported = "p.processingPrograms <> 'xtalreport'"
        let queries = [
            "AutoProcProgram": "SELECT processingCommandLine, processingPrograms, processingStatus, processingMessage, processingStartTime, processingEndTime, processingEnvironment, processingJobId FROM AutoProcProgram p WHERE \(imported) ORDER BY autoProcProgramId",
            "AutoProcProgramAttachment": "SELECT a.fileType, a.fileName, a.filePath, a.importanceRank FROM AutoProcProgramAttachment a JOIN AutoProcProgram p USING (autoProcProgramId) WHERE \(imported) ORDER BY a.autoProcProgramAttachmentId",
            "AutoProc": "SELECT a.spaceGroup, a.refinedCell_a, a.refinedCell_b, a.refinedCell_c, a.refinedCell_alpha, a.refinedCell_beta, a.refinedCell_gamma FROM AutoProc a JOIN AutoProcProgram p USING (autoProcProgramId) WHERE \(imported) ORDER BY a.autoProcId",
            "AutoProcScalingStatistics": "SELECT s.scalingStatisticsType, s.comments, s.resolutionLimitLow, s.resolutionLimitHigh, s.rMerge, s.rMeasWithinIPlusIMinus, s.rMeasAllIPlusIMinus, s.rPimWithinIPlusIMinus, s.rPimAllIPlusIMinus, s.fractionalPartialBias, s.nTotalObservations, s.nTotalUniqueObservations, s.meanIOverSigI, s.completeness, s.multiplicity, s.anomalousCompleteness, s.anomalousMultiplicity, s.anomalous, s.ccHalf, s.ccAnomalous, s.resIOverSigI2 FROM AutoProcScalingStatistics s ORDER BY s.autoProcScalingStatisticsId",
            "AutoProcIntegration": "SELECT i.dataCollectionId, i.startImageNumber, i.endImageNumber, i.refinedDetectorDistance, i.refinedXBeam, i.refinedYBeam, i.cell_a, i.cell_b, i.cell_c, i.cell_alpha, i.cell_beta, i.cell_gamma, i.anomalous FROM AutoProcIntegration i JOIN AutoProcProgram p USING (autoProcProgramId) WHERE \(imported) ORDER BY i.autoProcIntegrationId",
            "AutoProcIntegration axes": "SELECT i.rotationAxisX, i.rotationAxisY, i.rotationAxisZ, i.beamVectorX, i.beamVectorY, i.beamVectorZ FROM AutoProcIntegration i JOIN AutoProcProgram p USING (autoProcProgramId) WHERE \(imported) ORDER BY i.autoProcIntegrationId",
            "AutoProcScaling_has_Int": "SELECT COUNT(*) FROM AutoProcScaling_has_Int h JOIN AutoProcIntegration i USING (autoProcIntegrationId) JOIN AutoProcProgram p USING (autoProcProgramId) WHERE \(imported)",
            "AutoProcScaling": "SELECT COUNT(*) FROM AutoProcScaling",
        ]
        var rows: [String: [String]] = [:]
        for (table, query) in queries {
            rows[table] = try server.sql(query, database: database).split(separator: "\n").map(String.init)
        }
        return rows
    }

    /// ispyb-api's own test file: one scaling, two integrations with rotation axis and beam vector.
    func testSameRowsAsISPyBAPIImporter() throws {
        let (server, python) = try prerequisites()
        let xml = try Self.shared("samples/mx/ispyb-xml/ispyb-api_mx_data_reduction_pipeline_results.xml")
        try makeDatabase(server, "peer_one")
        try makeDatabase(server, "ours_one")
        try importWithISPyBAPI(xml, into: "peer_one", server: server, python: python)
        let job = try storeWithXtalreport(xml, into: "ours_one", server: server)
        XCTAssertTrue(job.stdout.contains("1 processing result(s)"), job.stdout)
        let peer = try rows(server, "peer_one")
        var ours = try rows(server, "ours_one")
        XCTAssertEqual(peer["AutoProcProgram"]?.count, 1)
        XCTAssertTrue(peer["AutoProcProgram"]?.first?.contains("my_pipeline 1.3.0") ?? false, "\(peer)")
        XCTAssertEqual(peer["AutoProcProgramAttachment"]?.count, 2)
        XCTAssertEqual(peer["AutoProcScalingStatistics"]?.count, 3)
        XCTAssertTrue(peer["AutoProcScalingStatistics"]?.last?.hasPrefix("overall\tNULL\t73.502\t4.004\t0.063\t") ?? false, "\(peer)")
        XCTAssertEqual(peer["AutoProcIntegration"]?.count, 2)
        XCTAssertEqual(peer["AutoProcScaling_has_Int"], ["2"])
        // xtalreport keeps what the importer drops: the rotation axis and beam vector.
        XCTAssertEqual(peer["AutoProcIntegration axes"], ["NULL\tNULL\tNULL\tNULL\tNULL\tNULL", "NULL\tNULL\tNULL\tNULL\tNULL\tNULL"])
        XCTAssertFalse(ours["AutoProcIntegration axes"]?.first?.hasPrefix("NULL") ?? true, "\(ours)")
        ours["AutoProcIntegration axes"] = peer["AutoProcIntegration axes"]
        for table in peer.keys.sorted() {
            XCTAssertEqual(ours[table], peer[table], table)
        }

        // Stored again: no new rows.
        let before = try rows(server, "ours_one")
        let again = try storeWithXtalreport(xml, into: "ours_one", server: server)
        XCTAssertFalse(again.stdout.contains("processing result(s)"), again.stdout)
        XCTAssertEqual(try rows(server, "ours_one"), before)
    }

    /// autoPROC with two AutoProc and two scaling containers holding the same statistics:
    /// the importer writes both scalings, xtalreport one with both integrations (mx-results.md
    /// §1.5 rule 2); every other row is the same.
    func testRepeatedScalingIsStoredOnce() throws {
        let (server, python) = try prerequisites()
        let xml = try Self.shared("samples/mx/ispyb-xml/ispyb-api_autoPROC-two-ap_scaling_containers.xml")
        try makeDatabase(server, "peer_two")
        try makeDatabase(server, "ours_two")
        try importWithISPyBAPI(xml, into: "peer_two", server: server, python: python)
        _ = try storeWithXtalreport(xml, into: "ours_two", server: server)
        let peer = try rows(server, "peer_two")
        let ours = try rows(server, "ours_two")
        XCTAssertEqual(peer["AutoProcScaling"], ["2"])
        XCTAssertEqual(ours["AutoProcScaling"], ["1"])
        XCTAssertEqual(peer["AutoProcScalingStatistics"]?.count, 6)
        XCTAssertEqual(ours["AutoProcScalingStatistics"], Array(peer["AutoProcScalingStatistics"]!.prefix(3)))
        XCTAssertEqual(Array(peer["AutoProcScalingStatistics"]!.suffix(3)), Array(peer["AutoProcScalingStatistics"]!.prefix(3)))
        for table in ["AutoProcProgram", "AutoProcProgramAttachment", "AutoProc", "AutoProcIntegration", "AutoProcScaling_has_Int"] {
            XCTAssertEqual(ours[table], peer[table], table)
        }
    }

    /// ESRF's schema has what DLS's lacks: STARANISO's ellipsoid on AutoProcScaling, its
    /// spherical/ellipsoidal completeness, and `ccAno` for CC_anom; the store fills them.
    func testESRFFlavourKeepsSTARANISO() throws {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        let server = try XCTUnwrap(Self.server, Self.startFailure ?? "no server")
        let xml = try Self.shared("samples/mx/ispyb-xml/autoPROC-STARANISO_esrf-id30a1_2024_4-sweeps.xml")
        try makeDatabase(server, "esrf_staraniso", esrf: true)
        _ = try storeWithXtalreport(xml, into: "esrf_staraniso", server: server)
        let value = { (query: String) in try server.sql(query, database: "esrf_staraniso").trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(try value("SELECT COUNT(*) FROM AutoProcScaling"), "2")
        XCTAssertEqual(try value("SELECT resolutionEllipsoidValue1, resolutionEllipsoidValue3 FROM AutoProcScaling WHERE resolutionEllipsoidValue1 IS NOT NULL"), "2.151\t2.259")
        XCTAssertEqual(try value("SELECT ccAno FROM AutoProcScalingStatistics WHERE scalingStatisticsType = 'overall' ORDER BY 1 LIMIT 1"), "-0.355")
        XCTAssertEqual(try value("SELECT COUNT(*) FROM AutoProcScalingStatistics WHERE completenessSpherical IS NOT NULL"), "3")
        XCTAssertEqual(try value("SELECT COUNT(*) FROM AutoProcIntegration i JOIN AutoProcProgram p USING (autoProcProgramId) WHERE p.processingPrograms LIKE 'autoPROC%'"), "4")
        XCTAssertEqual(try value("SELECT dataCollectionId FROM AutoProcProgram WHERE processingPrograms LIKE 'autoPROC%'"), "1")
    }

    /// Dozor and DIALS of one rotation run fill one ImageQualityIndicators row per image,
    /// each its own columns (mx-results.md §6), on DLS's key and ESRF's surrogate key alike;
    /// a second run adds no rows.
    func testPerImageQualityRows() throws {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        let server = try XCTUnwrap(Self.server, Self.startFailure ?? "no server")
        let dozor = try Self.shared("samples/mx/image-quality/dozor_v2.0.2_2019.log")
        let dials = try Self.shared("samples/mx/json/dials_per_image_analysis_stats_centroid_test_data.json")
        for (name, esrf) in [("iqi_dls", false), ("iqi_esrf", true)] {
            try makeDatabase(server, name, esrf: esrf)
            let folder = try TemporaryFolder()
            try folder.write("manifest.yaml", """
                experiment: iqi
                session: mx2427-1
                runs:
                  - name: rot
                    kind: rotation
                    image_quality: ["\(dials)", "\(dozor)"]
                    data_collection_id: 1
                """)
            for _ in 0..<2 {
                let job = try run(["run", folder.path + "/manifest.yaml", "--no-report", "-q", "--db", server.url(database: name)])
                XCTAssertEqual(job.status, 0, job.stderr)
            }
            let value = { (query: String) in try server.sql(query, database: name).trimmingCharacters(in: .whitespacesAndNewlines) }
            XCTAssertEqual(try value("SELECT COUNT(*) FROM ImageQualityIndicators"), "10", name)
            XCTAssertEqual(
                try value("SELECT spotTotal, goodBraggCandidates, totalIntegratedSignal, dozor_score FROM ImageQualityIndicators WHERE imageNumber = 1"),
                "654\t578\t919847\t967.135", name)
            XCTAssertEqual(try value("SELECT spotTotal, dozor_score FROM ImageQualityIndicators WHERE imageNumber = 2"), "NULL\t1044.98", name)
        }
    }
}
