import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalStore

/// The embedded default store: the example written, read back with SQL, written again
/// without duplicates, a failed run rolled back, awkward names stored verbatim.
final class SQLiteStoreTests: XCTestCase {
    func counts(_ db: SQLConnection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for table in ExampleJob.countedTables {
            result[table] = try db.scalar("SELECT COUNT(*) FROM \(table)")?.intValue
        }
        return result
    }

    func testTheExampleIsStoredOnceAndUpdatedInPlace() throws {
        let example = try ExampleJob()
        let path = example.folder.url.appendingPathComponent("x.sqlite").path
        let store = try ResultStore.open(.sqlite(path))
        XCTAssertEqual(store.flavour.family, .sqliteSubset)
        let first = try store.write(example.job)
        XCTAssertEqual(first.runs.map(\.link), ["created", "created", "created"])
        let db = store.db
        let before = try counts(db)
        XCTAssertEqual(before["DataCollection"], 3)
        XCTAssertEqual(before["DataCollectionGroup"], 1)
        XCTAssertEqual(before["AutoProcProgramAttachment"], 6)
        XCTAssertEqual(before["EventChain"], 1)
        XCTAssertEqual(before["XtalReportTimePoint"], 2)
        let chunks = example.job.runs.reduce(0) { $0 + $1.results.statistics.chunks }
        XCTAssertEqual(before["ImageQualityIndicators"], Int64(chunks))
        // Counts agree with the results model.
        let hits = try db.query("SELECT runName, hits, imagesCollected FROM XtalReportRun ORDER BY runName")
        for (row, run) in zip(hits, example.job.runs) {
            XCTAssertEqual(row[0].stringValue, run.results.name)
            XCTAssertEqual(row[1].intValue, Int64(run.results.statistics.hits))
            XCTAssertEqual(row[2].intValue, Int64(run.results.statistics.imagesCollected))
        }
        // The pump offset is stored on ISPyB's clock; py-ISPyB's keys are in the attachment.
        XCTAssertEqual(try db.scalar("SELECT `offset` FROM Event WHERE eventTypeId = 3")?.doubleValue, -0.00001)
        let stats = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: example.job.outputDirectory + "/ispyb/run01/ssx_stats.json"))) as! [String: Any]
        XCTAssertEqual(Set(stats.keys), ["nbHits", "nbIndexed", "laticeType", "estimatedResolution"])
        XCTAssertEqual(stats["nbHits"] as? Int, example.job.runs[0].results.statistics.hits)

        let second = try ResultStore.open(.sqlite(path)).write(example.job)
        XCTAssertEqual(second.runs.map(\.updated), [true, true, true])
        XCTAssertEqual(second.runs.map(\.dataCollectionId), first.runs.map(\.dataCollectionId))
        XCTAssertEqual(try counts(db), before)
    }

    /// Two jobs into one SQLite file at the same time: the second waits for the database
    /// lock at BEGIN IMMEDIATE, then finds the first one's collections.
    func testTwoConcurrentJobsIntoOneFileWriteTheRowsOfOne() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try run(["example", folder.path, "--no-rotation-run", "--images", "600", "--seed", "4", "-q"]).status, 0)
        let path = folder.path + "/shared.sqlite"
        let arguments = (0..<2).map { k in
            ["run", folder.path + "/manifest.yaml", "--db", path, "-q", "--no-report", "--output", folder.path + "/out-\(k)"]
        }
        for outcome in try runConcurrently(arguments, environment: ["XTALREPORT_TEST_STORE_PAUSE": "0.5"]) {
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
        }
        let db = try SQLiteConnection(path: path)
        let rows = try counts(db)
        XCTAssertEqual(rows["DataCollectionGroup"], 1)
        XCTAssertEqual(rows["DataCollection"], 3)
        XCTAssertEqual(rows["AutoProcProgram"], 10, "3 runs and 7 merged datasets, once")
        XCTAssertEqual(rows["XtalReportMergedDataset"], 7)
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) - COUNT(DISTINCT dataCollectionId || ':' || imageNumber) FROM ImageQualityIndicators")?.intValue, 0)
    }

    /// A transaction that lost to another (deadlock, lock wait timeout, busy file) is tried
    /// again; any other failure is not.
    func testConflictsAreRetriedAndOtherErrorsAreNot() throws {
        var attempts = 0
        let value = try StoreLock.retrying { () throws(StoreError) -> Int in
            attempts += 1
            if attempts < 3 { throw .conflict(sql: "INSERT", reason: "Deadlock found when trying to get lock (error 1213)") }
            return 42
        }
        XCTAssertEqual([value, attempts], [42, 3])
        attempts = 0
        XCTAssertThrowsError(try StoreLock.retrying { () throws(StoreError) -> Int in
            attempts += 1
            throw .statement(sql: "INSERT", reason: "Data too long")
        })
        XCTAssertEqual(attempts, 1)
        XCTAssertEqual(StoreLock.names(try ExampleJob().job).count, 3)
        XCTAssertTrue(StoreLock.names(try ExampleJob().job).allSatisfy { $0.count <= 64 })
    }

    func testAFailedRunIsRolledBackAndARerunCompletes() throws {
        let example = try ExampleJob()
        let path = example.folder.url.appendingPathComponent("x.sqlite").path
        var options = StoreOptions()
        options.failInRun = "run02"
        XCTAssertThrowsError(try ResultStore.open(.sqlite(path)).write(example.job, options: options)) { error in
            XCTAssertTrue("\(error)".contains("run02"))
        }
        let db = try SQLiteConnection(path: path)
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) FROM DataCollection")?.intValue, 1, "run01 committed, run02 rolled back")
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) FROM XtalReportRun WHERE runName = 'run02'")?.intValue, 0)
        XCTAssertEqual(
            try db.scalar("SELECT COUNT(*) FROM ImageQualityIndicators")?.intValue,
            Int64(example.job.runs[0].results.statistics.chunks))
        let report = try ResultStore.open(.sqlite(path)).write(example.job)
        XCTAssertEqual(report.runs.map(\.link), ["matched image directory + file template", "created", "created"])
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) FROM DataCollection")?.intValue, 3)
        XCTAssertEqual(try db.scalar("SELECT COUNT(*) FROM DataCollectionGroup")?.intValue, 1)
    }

    func testNamesWithQuotesAndSQLAreStoredVerbatim() throws {
        let name = #"lyso 'A'; DROP TABLE DataCollection; -- "B" \ %_"#
        let example = try ExampleJob(sample: name)
        let store = try ResultStore.open(.sqlite(example.folder.url.appendingPathComponent("x.sqlite").path))
        _ = try store.write(example.job)
        XCTAssertEqual(try store.db.scalar("SELECT DISTINCT sampleName FROM XtalReportRun")?.stringValue, name)
        XCTAssertEqual(
            try store.db.scalar("SELECT comments FROM DataCollectionGroup")?.stringValue,
            "xtalreport: experiment lysozyme-chip-example, sample \(name)")
        XCTAssertEqual(try store.db.scalar("SELECT COUNT(*) FROM DataCollection")?.intValue, 3)
    }

    func testMigrationIsIdempotentAndRecorded() throws {
        let folder = try TemporaryFolder()
        let store = try ResultStore.open(.sqlite(folder.url.appendingPathComponent("m.sqlite").path))
        XCTAssertFalse(try ExtensionSchema.migrate(store.db), "opening applied it already")
        XCTAssertEqual(
            try store.db.scalar("SELECT schemaStatus FROM SchemaStatus WHERE scriptName = ?", [.text(ExtensionSchema.scriptName)])?
                .stringValue, "DONE")
    }

    /// The key of a job fits `processingEnvironment` (varchar 255, latin1 on DLS) and stays
    /// unique for names too long for it or differing only outside Latin-1.
    func testJobNamesFitTheirColumnAndStayUnique() {
        func key(_ experiment: String) -> String {
            StoreJob(experiment: experiment, visit: nil, sample: nil, components: [], outputDirectory: "/tmp",
                     summaryFile: nil, commandLine: "", runs: []).jobName
        }
        XCTAssertEqual(key("lyso"), "xtalreport:lyso")
        XCTAssertEqual(key("lysozyme à 20 °C"), "xtalreport:lysozyme à 20 °C")
        let long = String(repeating: "x", count: 300)
        for name in [long + "a", long + "b", "lyso 🧪", "lyso 🔬", String(repeating: "é", count: 5000)] {
            XCTAssertLessThanOrEqual(key(name).unicodeScalars.count, 255, name)
            XCTAssertTrue(key(name).unicodeScalars.allSatisfy { $0.value <= 0xFF }, name)
        }
        XCTAssertNotEqual(key(long + "a"), key(long + "b"))
        XCTAssertNotEqual(key("lyso 🧪"), key("lyso 🔬"))
        XCTAssertEqual(ColumnText.fitted("short", to: 64), "short")
        let cut = ColumnText.fitted(long + "a", to: 64)
        XCTAssertEqual(cut.unicodeScalars.count, 64)
        XCTAssertNotEqual(cut, ColumnText.fitted(long + "b", to: 64))
    }

    func testLocations() throws {
        let env = ["XTALREPORT_DB_PASSWORD": "secret"]
        guard case .mariadb(let e) = try StoreLocation.resolve(
            "mariadb://ispyb@db.example:3307/ispyb_dls", passwordFile: nil, environment: env, defaultSQLite: "d.sqlite")
        else { return XCTFail("not mariadb") }
        XCTAssertEqual([e.user, e.host, e.database, e.password], ["ispyb", "db.example", "ispyb_dls", "secret"])
        XCTAssertEqual(e.port, 3307)
        XCTAssertFalse(e.description.contains("secret"))
        XCTAssertThrowsError(
            try StoreLocation.resolve("mariadb://u:pw@h/db", passwordFile: nil, environment: [:], defaultSQLite: "d"))
        let folder = try TemporaryFolder()
        let ini = try folder.write(
            "ispyb.cfg", "[ispyb_mariadb_sp]\nuser = ispyb_api\npw = password_1234\nhost = localhost\nport = 3306\ndb = ispybtest\n")
        guard case .mariadb(let c) = try StoreLocation.resolve(
            nil, passwordFile: nil, environment: ["ISPYB_CREDENTIALS": ini], defaultSQLite: "d")
        else { return XCTFail("credentials file not used") }
        XCTAssertEqual([c.user, c.password, c.database], ["ispyb_api", "password_1234", "ispybtest"])
        guard case .sqlite(let p) = try StoreLocation.resolve(nil, passwordFile: nil, environment: [:], defaultSQLite: "d.sqlite")
        else { return XCTFail("default is not SQLite") }
        XCTAssertEqual(p, "d.sqlite")
        // A password in a location is never echoed, whatever else is wrong with it.
        for bad in ["mariadb://u:hunter2@/db", "mariadb://u:hunter2@h:notaport/db", "postgres://u:hunter2@h/db",
                    "mariadb://u:hunter2@h", "mariadb://:hunter2@h/db"] {
            XCTAssertThrowsError(try StoreLocation.resolve(bad, passwordFile: nil, environment: [:], defaultSQLite: "d"), bad) {
                XCTAssertFalse("\($0)".contains("hunter2"), "\($0)")
            }
        }
        XCTAssertEqual(StoreLocation.masked("mariadb://u:p@ss@h:1/db?socket=/s"), "mariadb://u:***@h:1/db?socket=/s")
        XCTAssertEqual(StoreLocation.masked("mariadb://u@h/db"), "mariadb://u@h/db")
        // Files written on Windows (\r\n), as ispyb-api accepts them.
        let crlf = try folder.write(
            "crlf.cfg", "[ispyb_mariadb_sp]\r\nuser = ispyb_api\r\npw = password_1234\r\nhost = localhost\r\ndb = ispybtest\r\n")
        guard case .mariadb(let w) = try StoreLocation.resolve(
            nil, passwordFile: nil, environment: ["ISPYB_CREDENTIALS": crlf], defaultSQLite: "d")
        else { return XCTFail("CRLF credentials file not used") }
        XCTAssertEqual([w.user, w.password, w.host, w.database], ["ispyb_api", "password_1234", "localhost", "ispybtest"])
        let passwordFile = try folder.write("pw.txt", "s3cret\r\n")
        guard case .mariadb(let f) = try StoreLocation.resolve(
            "mariadb://ispyb@h/db", passwordFile: passwordFile, environment: [:], defaultSQLite: "d")
        else { return XCTFail("not mariadb") }
        XCTAssertEqual(f.password, "s3cret")
        XCTAssertEqual(CollectionLinker.parseVisit("mx2427-1")?.code, "mx")
        XCTAssertEqual(CollectionLinker.parseVisit("mx2427-1")?.number, "2427")
        XCTAssertNil(CollectionLinker.parseVisit("2427"))
    }
}
