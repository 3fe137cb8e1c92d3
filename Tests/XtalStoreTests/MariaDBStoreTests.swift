import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalStore

/// The store against real ISPyB schemas on a throw-away MariaDB: the DLS v5.0.0 and ESRF
/// v1.0.2 dumps from ../shared/ispyb-schema (plus MAX IV's SSXProcessingResult on the
/// ESRF one), each with a visit mx2427-1. The example goes in through the real binary,
/// twice; rows are checked with SQL.
final class MariaDBStoreTests: XCTestCase {
    nonisolated(unsafe) static var server: ThrowawayMariaDB?
    nonisolated(unsafe) static var startFailure: String?

    override class func setUp() {
        super.setUp()
        guard ThrowawayMariaDB.unavailableReason == nil else { return }
        do { server = try ThrowawayMariaDB() } catch { startFailure = "\(error)" }
    }

    override class func tearDown() {
        server = nil
        super.tearDown()
    }

    /// The server, or a skip naming why there is none.
    func database() throws -> ThrowawayMariaDB {
        if let reason = ThrowawayMariaDB.unavailableReason { throw XCTSkip(reason) }
        if let failure = Self.startFailure { XCTFail(failure) }
        return try XCTUnwrap(Self.server)
    }

    /// A database with the DLS v5.0.0 schema and the visit mx2427-1.
    func makeDLS(_ name: String) throws -> ThrowawayMariaDB {
        let server = try database()
        try server.createDLS(name)
        return server
    }

    /// A database with the ESRF v1.0.2 schema, its EventType rows, MAX IV's tables and mx2427-1.
    func makeESRF(_ name: String) throws -> ThrowawayMariaDB {
        let server = try database()
        try server.createESRF(name)
        return server
    }

    func counts(_ server: ThrowawayMariaDB, _ name: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for table in ExampleJob.countedTables {
            result[table] = try server.sql("SELECT COUNT(*) FROM \(table)", database: name)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return result
    }

    func value(_ server: ThrowawayMariaDB, _ name: String, _ sql: String) throws -> String {
        try server.sql(sql, database: name).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// example (into `folder`) → db migrate → run twice; returns the counts after the first run.
    func runExampleTwice(_ server: ThrowawayMariaDB, _ name: String, in folder: TemporaryFolder) throws -> [String: String] {
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "300", "--seed", "4", "-q"]).status, 0)
        let url = server.url(database: name)
        let migrate = try run(["db", "migrate", "--db", url])
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        XCTAssertTrue(migrate.stdout.contains("applied"), migrate.stdout)
        XCTAssertTrue(try run(["db", "migrate", "--db", url]).stdout.contains("already applied"))
        let manifest = folder.url.appendingPathComponent("manifest.yaml").path
        let arguments = ["run", manifest, "--db", url, "--create-collections", "--session", "mx2427-1", "-q"]
        let first = try run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("sample 'lyso-microcrystals' is not in the visit's proposal"), first.stderr)
        XCTAssertTrue(first.stdout.contains("run03: DataCollection"), first.stdout)
        let before = try counts(server, name)
        let second = try run(arguments)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("matched image directory + file template"), second.stdout)
        XCTAssertEqual(try counts(server, name), before, "a second run must not add rows")
        XCTAssertEqual(
            second.stdout.components(separatedBy: "image rows (unchanged, left as they were)").count - 1, 3,
            "the second run finds every run's per-image rows as it would write them: \(second.stdout)")
        return before
    }

    func testDLSFlavour() throws {
        let server = try makeDLS("ispyb_dls")
        let folder = try TemporaryFolder()
        let rows = try runExampleTwice(server, "ispyb_dls", in: folder)
        XCTAssertEqual(rows["DataCollection"], "3")
        XCTAssertEqual(rows["AutoProcProgramAttachment"], "6")
        XCTAssertEqual(rows["Event"], "2")
        XCTAssertEqual(rows["XtalReportTimePoint"], "2")
        let db = "ispyb_dls"
        XCTAssertEqual(try value(server, db, "SELECT DISTINCT experimentType, experimentTypeId FROM DataCollectionGroup"), "SSX-Chip\t41")
        XCTAssertEqual(try value(server, db, "SELECT COUNT(DISTINCT SESSIONID) FROM DataCollection"), "1")
        // DLS: status 1 set last, one ProcessingJob with its image sweep per run.
        XCTAssertEqual(try value(server, db, "SELECT COUNT(*) FROM AutoProcProgram WHERE processingStatus = 1 AND processingJobId IS NOT NULL AND processingPrograms = 'xtalreport'"), "3")
        XCTAssertEqual(try value(server, db, "SELECT COUNT(*) FROM ProcessingJobImageSweep JOIN ProcessingJob USING (processingJobId) WHERE startImage = 1 AND endImage = 100 AND recipe = 'xtalreport-ssx'"), "3")
        XCTAssertEqual(try value(server, db, "SELECT e.`offset` FROM Event e JOIN EventType t USING (eventTypeId) WHERE t.name = 'LaserExcitation'"), "-0.00001")
        XCTAssertEqual(
            try value(server, db, "SELECT SUM(hits) FROM XtalReportRun"),
            try value(server, db, "SELECT COUNT(*) FROM ImageQualityIndicators WHERE spotTotal >= 10"))
    }

    func testESRFFlavourIsVisibleToPyISPyB() throws {
        let server = try makeESRF("ispyb_esrf")
        let folder = try TemporaryFolder()
        let rows = try runExampleTwice(server, "ispyb_esrf", in: folder)
        XCTAssertEqual(rows["DataCollection"], "3")
        let db = "ispyb_esrf"
        XCTAssertEqual(try value(server, db, "SELECT COUNT(*) FROM AutoProcProgram WHERE processingStatus = 'SUCCESS' AND dataCollectionId IS NOT NULL AND processingPrograms = 'xtalreport'"), "3")
        // py-ISPyB's lookup: Result attachments of programs joined on dataCollectionId.
        let files = try value(
            server, db,
            """
            SELECT a.fileName FROM AutoProcProgramAttachment a JOIN AutoProcProgram p ON p.autoProcProgramId = a.autoProcProgramId
            JOIN DataCollection d ON d.dataCollectionId = p.dataCollectionId WHERE a.fileType = 'Result' ORDER BY a.fileName
            """)
        XCTAssertEqual(files.split(separator: "\n").map(String.init), Array(repeating: "ssx_cells.json", count: 3) + Array(repeating: "ssx_stats.json", count: 3))
        let path = try value(server, db, "SELECT CONCAT(filePath, '/', fileName) FROM AutoProcProgramAttachment WHERE fileName = 'ssx_stats.json' LIMIT 1")
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        XCTAssertNotNil(stats?["nbHits"] as? Int)
        XCTAssertEqual(try value(server, db, "SELECT COUNT(*) FROM SSXProcessingResult WHERE status = 'Success' AND nbCrystals > 0"), "3")
    }

    /// CrystFEL's light/dark merge of the samples into both flavours, twice: the three
    /// statistics rows hold what check_hkl and compare_hkl printed, the merge links every
    /// run, and the second run adds no rows.
    func testSampleMergesInBothFlavours() throws {
        let folder = try TemporaryFolder()
        let (manifest, reason) = try SampleMergeManifest.write(into: folder)
        guard let manifest else { throw XCTSkip(reason) }
        for (flavour, make) in [("dls", makeDLS), ("esrf", makeESRF)] {
            let name = "ispyb_\(flavour)_merges"
            let server = try make(name)
            let url = server.url(database: name)
            XCTAssertEqual(try run(["db", "migrate", "--db", url]).status, 0)
            let arguments = ["run", manifest, "--db", url, "--create-collections", "--session", "mx2427-1", "-q", "--no-report",
                             "--threads", "2", "--output", folder.path + "/out-\(flavour)"]
            let first = try run(arguments)
            XCTAssertEqual(first.status, 0, first.stderr)
            let statistics = """
                SELECT s.scalingStatisticsType, s.completeness, s.multiplicity, s.meanIOverSigI, s.nTotalObservations,
                       s.nTotalUniqueObservations, IFNULL(s.ccHalf, '-'), s.resolutionLimitHigh
                FROM AutoProcProgram p JOIN AutoProc a USING (autoProcProgramId) JOIN AutoProcScaling c USING (autoProcId)
                JOIN AutoProcScalingStatistics s USING (autoProcScalingId)
                WHERE p.processingPrograms = 'partialator' AND p.processingMessage = 'merged dataset \\'dark\\''
                ORDER BY s.autoProcScalingStatisticsId
                """
            // README "Headline numbers", A300-split-unity-dark: 60.51 %, 5.87, 3.14, 4157 unique, CC½ 0.6343.
            XCTAssertEqual(try value(server, name, statistics).split(separator: "\n").map { $0.split(separator: "\t").prefix(7).joined(separator: " ") }, [
                "overall 60.5095 5.8725 3.14038 24412 4157 0.634343",
                "innerShell 98.31 10.2 2.99 7759 757 -",
                "outerShell 1.77 2 3.11 24 12 -",
            ], flavour)
            XCTAssertEqual(try value(server, name, "SELECT COUNT(*) FROM AutoProcScalingStatistics"), "27", "9 merges × 3 rows")
            XCTAssertEqual(try value(server, name, "SELECT COUNT(*) FROM AutoProcScaling_has_Int"), "9")
            XCTAssertEqual(try value(server, name, "SELECT COUNT(*) FROM XtalReportMergedDataset WHERE producer = 'partialator'"), "3")
            if flavour == "dls" {
                XCTAssertEqual(try value(server, name, "SELECT COUNT(*) FROM ProcessingJobImageSweep s JOIN ProcessingJob j USING (processingJobId) WHERE j.recipe = 'xtalreport-merge'"), "9")
                XCTAssertEqual(try value(server, name, "SELECT parameterValue FROM ProcessingJobParameter WHERE parameterKey = 'laser' ORDER BY 1 LIMIT 1"), "dark")
            } else {
                XCTAssertEqual(try value(server, name, "SELECT COUNT(*) FROM AutoProcProgram WHERE processingPrograms = 'partialator' AND dataCollectionId IS NOT NULL"), "3")
            }
            let before = try counts(server, name)
            let second = try run(arguments)
            XCTAssertEqual(second.status, 0, second.stderr)
            XCTAssertTrue(second.stdout.contains("merged dataset light (partialator): AutoProcProgram"), second.stdout)
            XCTAssertTrue(second.stdout.contains("unchanged"), second.stdout)
            XCTAssertEqual(try counts(server, name), before, "\(flavour): a second run must not add rows")
        }
    }

    func testAFailedRunRollsBackOnMariaDBAndAwkwardNamesAreVerbatim() throws {
        let server = try makeESRF("ispyb_rollback")
        let name = #"lyso-β 'A'; DROP TABLE DataCollection; -- "B" \ %_"#
        let example = try ExampleJob(sample: name)
        guard case .mariadb(let endpoint) = try StoreLocation.resolve(
            server.url(database: "ispyb_rollback"), passwordFile: nil, environment: [:], defaultSQLite: "")
        else { return XCTFail("not a MariaDB location") }
        let store = try ResultStore.open(.mariadb(endpoint))
        try ExtensionSchema.migrate(store.db)
        let migrated = try ResultStore.open(.mariadb(endpoint))
        var options = StoreOptions()
        options.createCollections = true
        options.failInRun = "run03"
        XCTAssertThrowsError(try migrated.write(example.job, options: options))
        XCTAssertEqual(try value(server, "ispyb_rollback", "SELECT COUNT(*) FROM DataCollection"), "2")
        XCTAssertEqual(try value(server, "ispyb_rollback", "SELECT COUNT(*) FROM XtalReportRun WHERE runName = 'run03'"), "0")
        options.failInRun = nil
        let report = try migrated.write(example.job, options: options)
        XCTAssertEqual(report.runs.last?.link, "created")
        XCTAssertEqual(try value(server, "ispyb_rollback", "SELECT COUNT(*) FROM DataCollection"), "3")
        XCTAssertEqual(try migrated.db.scalar("SELECT DISTINCT sampleName FROM XtalReportRun")?.stringValue, name)
        // DataCollectionGroup is latin1: β cannot be stored there and becomes '?'; the utf8mb4 table keeps it.
        XCTAssertEqual(
            try migrated.db.scalar("SELECT comments FROM DataCollectionGroup")?.stringValue,
            "xtalreport: experiment lysozyme-chip-example, sample \(name.replacingOccurrences(of: "β", with: "?"))")
        XCTAssertTrue(report.notes.contains { $0.contains("outside Latin-1") }, "\(report.notes)")
    }

    /// An ISPyB migrated before the image-rows columns existed: every store writes every
    /// row, until `db migrate` adds the columns; from then on unchanged rows are left alone.
    func testADatabaseMigratedBeforeTheImageRowsColumns() throws {
        let server = try makeDLS("ispyb_old_migration")
        let example = try ExampleJob()
        guard case .mariadb(let endpoint) = try StoreLocation.resolve(
            server.url(database: "ispyb_old_migration"), passwordFile: nil, environment: [:], defaultSQLite: "")
        else { return XCTFail("not a MariaDB location") }
        let db = try ResultStore.open(.mariadb(endpoint)).db
        try ExtensionSchema.migrate(db)
        try db.executeScript("ALTER TABLE XtalReportRun DROP COLUMN imageRows, DROP COLUMN imageRowsFingerprint")
        try db.execute("DELETE FROM SchemaStatus WHERE scriptName = ?", [.text(ExtensionSchema.imageRowsScript)])
        var options = StoreOptions()
        options.createCollections = true
        let old = try ResultStore.open(.mariadb(endpoint))
        XCTAssertFalse(old.flavour.hasImageRowsFingerprint)
        for _ in 0..<2 { XCTAssertEqual(try old.write(example.job, options: options).runs.map(\.imageRowsUnchanged), [false, false, false]) }
        XCTAssertTrue(try ExtensionSchema.migrate(db))
        XCTAssertFalse(try ExtensionSchema.migrate(db))
        let migrated = try ResultStore.open(.mariadb(endpoint))
        XCTAssertTrue(migrated.flavour.hasImageRowsFingerprint)
        XCTAssertEqual(try migrated.write(example.job, options: options).runs.map(\.imageRowsUnchanged), [false, false, false])
        XCTAssertEqual(try migrated.write(example.job, options: options).runs.map(\.imageRowsUnchanged), [true, true, true])
        XCTAssertEqual(try value(server, "ispyb_old_migration", "SELECT COUNT(*) FROM DataCollection"), "3")
    }

    /// Names longer than their columns are stored fitted, not a failed store; experiments
    /// whose names differ only after the cut or outside Latin-1 keep their own programs.
    func testLongAndNonLatin1NamesAreFittedAndStayApart() throws {
        let server = try makeDLS("ispyb_long")
        let example = try ExampleJob(sample: String(repeating: "s", count: 5000))
        guard case .mariadb(let endpoint) = try StoreLocation.resolve(
            server.url(database: "ispyb_long"), passwordFile: nil, environment: [:], defaultSQLite: "")
        else { return XCTFail("not a MariaDB location") }
        try ExtensionSchema.migrate(try ResultStore.open(.mariadb(endpoint)).db)
        let store = try ResultStore.open(.mariadb(endpoint))
        var options = StoreOptions()
        options.createCollections = true
        let long = String(repeating: "e", count: 300)
        for experiment in [long + "1", long + "2", "lyso 🧪", "lyso 🔬"] {
            var job = example.job
            job.experiment = experiment
            job.runs[0].results.name = String(repeating: "r", count: 5000)
            XCTAssertNoThrow(try store.write(job, options: options), experiment)
        }
        XCTAssertEqual(try value(server, "ispyb_long", "SELECT COUNT(DISTINCT processingEnvironment) FROM AutoProcProgram"), "4")
        XCTAssertEqual(try value(server, "ispyb_long", "SELECT MAX(CHAR_LENGTH(runName)) FROM XtalReportRun"), "255")
        XCTAssertEqual(try value(server, "ispyb_long", "SELECT COUNT(*) FROM XtalReportRun"), "12")
        // Attachments of runs named outside Latin-1 and beyond any column are found where
        // the latin1 filePath says (their folder names are FileStems).
        var job = example.job
        job.runs[0].results.name = "lyso 🧪 β"
        XCTAssertNoThrow(try store.write(job, options: options))
        let files = try value(server, "ispyb_long", "SELECT CONCAT(filePath, '/', fileName) FROM AutoProcProgramAttachment")
        for path in files.split(separator: "\n") {
            XCTAssertFalse(path.contains("?"), String(path))
            XCTAssertTrue(FileManager.default.fileExists(atPath: String(path)), "py-ISPyB could not open \(path)")
        }
    }

    func testErrorsNameWhatIsMissingAndExit69() throws {
        let server = try database()
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "150", "-q"]).status, 0)
        let manifest = folder.url.appendingPathComponent("manifest.yaml").path
        try server.sql("CREATE DATABASE empty_db")

        let unreachable = try run(["run", manifest, "--db", "mariadb://nobody@localhost/x?socket=/nonexistent/sock", "-q"])
        XCTAssertEqual(unreachable.status, 69)
        XCTAssertTrue(unreachable.stderr.contains("cannot connect to nobody@/nonexistent/sock/x"), unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("results are kept in"), unreachable.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("xtalreport-out/summary.json").path))

        let empty = try run(["run", manifest, "--db", server.url(database: "empty_db"), "-q"])
        XCTAssertEqual(empty.status, 69)
        XCTAssertTrue(empty.stderr.contains("lacks what the store needs: table DataCollectionGroup"), empty.stderr)

        _ = try makeDLS("ispyb_visits")
        let visit = try run(["run", manifest, "--db", server.url(database: "ispyb_visits"), "--session", "mx9999-9", "-q"])
        XCTAssertEqual(visit.status, 69)
        XCTAssertTrue(visit.stderr.contains("visit 'mx9999-9' does not exist"), visit.stderr)

        let noLink = try run(["run", manifest, "--db", server.url(database: "ispyb_visits"), "--session", "mx2427-1", "-q"])
        XCTAssertEqual(noLink.status, 69)
        XCTAssertTrue(noLink.stderr.contains("use --create-collections"), noLink.stderr)
    }

    /// Two jobs writing the same experiment at the same time leave the rows of one job
    /// (before: duplicate groups, collections and per-image rows, or a deadlock exit 69),
    /// on both flavours; a later single job adds nothing.
    func testTwoConcurrentJobsWriteTheRowsOfOne() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "600", "--seed", "4", "-q"]).status, 0)
        let manifest = folder.url.appendingPathComponent("manifest.yaml").path
        for (flavour, make) in [("dls", makeDLS), ("esrf", makeESRF)] {
            let name = "ispyb_\(flavour)_raced"
            let server = try make(name)
            let url = server.url(database: name)
            XCTAssertEqual(try run(["db", "migrate", "--db", url]).status, 0)
            let arguments = (0..<2).map { k in
                ["run", manifest, "--db", url, "--create-collections", "--session", "mx2427-1", "-q", "--no-report",
                 "--output", folder.path + "/out-\(name)-\(k)"]
            }
            // Each run's transaction pauses after looking for its DataCollection: without
            // the locks both jobs find nothing and both create (tested to fail so).
            let raced = try runConcurrently(arguments, environment: ["XTALREPORT_TEST_STORE_PAUSE": "0.5"])
            for outcome in raced { XCTAssertEqual(outcome.status, 0, outcome.stderr) }
            let rows = try counts(server, name)
            // 3 runs and 7 merged datasets (each run, the manifest's two merges, two time points).
            for (table, expected) in [("DataCollectionGroup", "1"), ("DataCollection", "3"), ("AutoProcProgram", "10"), ("XtalReportRun", "3")] {
                XCTAssertEqual(rows[table], expected, "\(flavour): \(table)")
            }
            XCTAssertEqual(
                try value(server, name, "SELECT COUNT(*) - COUNT(DISTINCT dataCollectionId, imageNumber) FROM ImageQualityIndicators"),
                "0", "\(flavour): no image twice")
            XCTAssertEqual(try run(arguments[0]).status, 0)
            XCTAssertEqual(try counts(server, name), rows, "\(flavour): a later job adds nothing")
        }
    }
}
