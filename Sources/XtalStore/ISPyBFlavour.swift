/// Which ISPyB a database is and what it has, decided per feature from probes (shared/docs/
/// ispyb.md §1): `AdminVar` schemaVersion (5.x DLS, 1.x ESRF/community), then
/// information_schema for `ProcessingJob` (DLS), `AutoProcProgram.dataCollectionId` (ESRF),
/// `SSXProcessingResult` (MAX IV), the type of `processingStatus`, the key of
/// `ImageQualityIndicators` and the length of `DataCollection.imagePrefix`.
public struct ISPyBFlavour: Sendable, Equatable, Codable {
    public enum Family: String, Sendable, Codable {
        case dls = "DLS"
        case esrf = "ESRF/community"
        case sqliteSubset = "xtalreport SQLite subset"
    }

    public var family: Family
    public var schemaVersion: String?
    public var hasProcessingJob: Bool
    public var programHasDataCollectionId: Bool
    public var hasSSXProcessingResult: Bool
    /// `processingStatus` is an enum/text ('SUCCESS') rather than DLS's tinyint (1/0).
    public var statusIsText: Bool
    /// `ImageQualityIndicators` has ESRF's surrogate key (else DLS's (dataCollectionId, imageNumber)).
    public var qualityIndicatorsHaveSurrogateKey: Bool
    /// Columns of ImageQualityIndicators (lower case), to write only what exists.
    public var qualityIndicatorColumns: Set<String>
    public var imagePrefixLength: Int?
    public var hasSessions: Bool
    public var hasExperimentTypeTable: Bool
    public var hasExtensionTables: Bool
    /// XtalReportRun has the image-rows fingerprint (migration `ExtensionSchema.imageRowsScript`),
    /// so a re-run can leave unchanged per-image rows alone.
    public var hasImageRowsFingerprint = false
    /// Tables stored in latin1 (most ISPyB core tables; the SSX and xtalreport tables are utf8mb4).
    public var latin1Tables: Set<String> = []
    /// Width of each character column (`Table.column` → characters) on MariaDB; empty on
    /// SQLite, whose TEXT has none.
    public var columnWidths: [String: Int] = [:]
    /// DLS programs are frozen once their status is set (upsert_processing_program_v2).
    public var programsFreezeOnStatus: Bool { family == .dls }

    /// Tables every flavour must have for the store to write.
    static let requiredTables = [
        "DataCollectionGroup", "DataCollection", "SSXDataCollection", "EventChain", "Event", "EventType",
        "AutoProcProgram", "AutoProcProgramAttachment", "AutoProcIntegration", "AutoProc", "ImageQualityIndicators",
        "SchemaStatus",
    ]

    /// Probes `db`; throws `missingSchema` naming what a store cannot do without.
    public static func detect(_ db: SQLConnection) throws(StoreError) -> ISPyBFlavour {
        let tables = Set(try SchemaProbe.tables(db))
        let missing = requiredTables.filter { !tables.contains($0) }
        guard missing.isEmpty else {
            throw .missingSchema(database: db.target, missing: missing.map { "table \($0)" })
        }
        let version = tables.contains("AdminVar")
            ? try db.scalar("SELECT value FROM AdminVar WHERE name = 'schemaVersion'")?.stringValue : nil
        let program = try SchemaProbe.columns(db, of: "AutoProcProgram")
        let quality = try SchemaProbe.columns(db, of: "ImageQualityIndicators")
        let collection = try SchemaProbe.columns(db, of: "DataCollection")
        let extensionRun = tables.contains("XtalReportRun") ? try SchemaProbe.columns(db, of: "XtalReportRun") : [:]
        let status = program["processingstatus"] ?? ""
        let family: Family =
            db.dialect == .sqlite ? .sqliteSubset : (version?.hasPrefix("1.") == true || program["datacollectionid"] != nil) ? .esrf : .dls
        var prefixLength: Int?
        if let type = collection["imageprefix"], let open = type.firstIndex(of: "("), let close = type.firstIndex(of: ")") {
            prefixLength = Int(type[type.index(after: open)..<close])
        }
        return ISPyBFlavour(
            family: family, schemaVersion: version, hasProcessingJob: tables.contains("ProcessingJob"),
            programHasDataCollectionId: program["datacollectionid"] != nil,
            hasSSXProcessingResult: tables.contains("SSXProcessingResult"),
            statusIsText: status.hasPrefix("enum") || status.hasPrefix("text") || status.hasPrefix("varchar"),
            qualityIndicatorsHaveSurrogateKey: quality["imagequalityindicatorsid"] != nil,
            qualityIndicatorColumns: Set(quality.keys), imagePrefixLength: prefixLength,
            hasSessions: tables.contains("BLSession") && tables.contains("Proposal"),
            hasExperimentTypeTable: tables.contains("ExperimentType"),
            hasExtensionTables: ExtensionSchema.tables.allSatisfy { tables.contains($0) },
            hasImageRowsFingerprint: ExtensionSchema.imageRowsColumns.allSatisfy { extensionRun[$0.name.lowercased()] != nil },
            latin1Tables: db.dialect == .mariadb ? Set(try db.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_collation LIKE 'latin1%'",
                [.text(db.databaseName)]).compactMap { $0.first?.stringValue }) : [],
            columnWidths: db.dialect == .mariadb ? try widths(db) : [:])
    }

    /// `CHARACTER_MAXIMUM_LENGTH` of every character column of the database.
    private static func widths(_ db: SQLConnection) throws(StoreError) -> [String: Int] {
        var widths: [String: Int] = [:]
        for row in try db.query(
            "SELECT table_name, column_name, character_maximum_length FROM information_schema.columns "
                + "WHERE table_schema = ? AND character_maximum_length IS NOT NULL", [.text(db.databaseName)])
        where row.count == 3 {
            if let t = row[0].stringValue, let c = row[1].stringValue, let n = row[2].intValue.map({ Int($0) }) ?? row[2].stringValue.flatMap({ Int($0) }) {
                widths[t + "." + c] = n
            }
        }
        return widths
    }

    /// `text` for `column` of `table`: as `fit(_:table:)` makes it, then fitted to the
    /// column's width (`ColumnText`: cut, with a hash of the whole text) where it has one.
    func fit(_ text: String?, table: String, column: String) -> SQLValue {
        guard case .text(let value) = fit(text, table: table) else { return .null }
        guard let width = columnWidths[table + "." + column] else { return .text(value) }
        return .text(ColumnText.fitted(value, to: width))
    }

    /// `text` for a column of `table`: in a latin1 table, characters outside Latin-1 become
    /// `?` (a strict server would refuse the row); elsewhere verbatim.
    func fit(_ text: String?, table: String) -> SQLValue {
        guard let text else { return .null }
        guard latin1Tables.contains(table) else { return .text(text) }
        return .text(String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value <= 0xFF ? $0 : "?" })))
    }

    /// True when `text` would lose characters in a latin1 table.
    func losesCharacters(_ text: String) -> Bool {
        !latin1Tables.isEmpty && text.unicodeScalars.contains { $0.value > 0xFF }
    }

    /// `processingStatus` for success / running on this flavour.
    var successStatus: SQLValue { statusIsText ? .text("SUCCESS") : .int(1) }
    var runningStatus: SQLValue { statusIsText ? .text("RUNNING") : .null }
}
