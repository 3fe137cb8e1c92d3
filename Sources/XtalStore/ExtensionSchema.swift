import Foundation

/// xtalreport's own tables, for what ISPyB has no table for: per-run SSX counts and rates,
/// histograms, per-time-point statistics, light − dark, the honest-count check. One
/// migration, the same on SQLite and on an ISPyB MariaDB (either flavour), idempotent
/// (`CREATE TABLE IF NOT EXISTS`) and recorded in ISPyB's `SchemaStatus` style: a row
/// `ONGOING` while it runs, `DONE` after.
///
/// A second migration (`imageRowsScript`) adds XtalReportRun's `imageRows` and
/// `imageRowsFingerprint`: what the run's per-image rows were when written, so that a
/// re-run finds them unchanged and leaves them alone (`ImageQualityWriter.expectedRows`).
/// It adds only the columns that are missing, on a store made before it or after.
///
/// Idempotency key of stored results: (`dataCollectionId`, `jobName`) in `XtalReportRun`,
/// where jobName is `xtalreport:<experiment>`. Re-running the same job finds that row and
/// replaces what hangs off it.
public enum ExtensionSchema {
    /// The migration's name in `SchemaStatus`.
    public static let scriptName = "xtalreport_2026_11_21_results.sql"

    /// The second migration's name in `SchemaStatus`, and the columns it adds.
    public static let imageRowsScript = "xtalreport_2026_12_02_image_rows.sql"
    static let imageRowsColumns: [(name: String, type: String)] = [("imageRows", "INT"), ("imageRowsFingerprint", "VARCHAR(32)")]

    /// Every migration, in order.
    public static let scriptNames = [scriptName, imageRowsScript]

    /// Widths of the name columns (the writer fits names to them, `ColumnText`).
    static let nameWidth = 255, visitWidth = 45, labelWidth = 64

    /// The tables, in creation order.
    public static let tables = [
        "XtalReportRun", "XtalReportHistogram", "XtalReportTimePoint", "XtalReportLightDark", "XtalReportMergedDataset",
    ]

    static let template = """
        CREATE TABLE IF NOT EXISTS XtalReportRun (
            xtalreportRunId {ID},
            dataCollectionId {FK} NOT NULL,
            autoProcProgramId {FK},
            jobName VARCHAR(255) NOT NULL,
            runName VARCHAR(\(nameWidth)) NOT NULL,
            experiment VARCHAR(\(nameWidth)), sampleName VARCHAR(\(nameWidth)), visit VARCHAR(\(visitWidth)), engineVersion VARCHAR(45),
            imagesCollected INT, imagesProcessed INT, chunks INT, hits INT, indexedFrames INT, nonIndexedHits INT,
            crystals INT, multiLatticeFrames INT, skippedImages INT,
            hitRate DOUBLE, indexingRateOfHits DOUBLE, indexingRateOverall DOUBLE,
            meanCellA DOUBLE, meanCellB DOUBLE, meanCellC DOUBLE, meanCellAlpha DOUBLE, meanCellBeta DOUBLE,
            meanCellGamma DOUBLE, medianResolution DOUBLE, bestResolution DOUBLE,
            malformedChunks INT, incompleteChunks INT,
            imageCountAgrees TINYINT, imageCountExplanation TEXT,
            summaryFile TEXT,
            recordTimeStamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            UNIQUE (dataCollectionId, jobName),
            FOREIGN KEY (dataCollectionId) REFERENCES DataCollection (dataCollectionId) ON DELETE CASCADE
        ){TAIL};
        CREATE TABLE IF NOT EXISTS XtalReportHistogram (
            xtalreportHistogramId {ID},
            xtalreportRunId {FK} NOT NULL,
            quantity VARCHAR(32) NOT NULL, unit VARCHAR(8),
            valueCount INT, mean DOUBLE, median DOUBLE,
            binEdges TEXT, binCounts TEXT,
            UNIQUE (xtalreportRunId, quantity),
            FOREIGN KEY (xtalreportRunId) REFERENCES XtalReportRun (xtalreportRunId) ON DELETE CASCADE
        ){TAIL};
        CREATE TABLE IF NOT EXISTS XtalReportTimePoint (
            xtalreportTimePointId {ID},
            xtalreportRunId {FK} NOT NULL,
            label VARCHAR(\(labelWidth)) NOT NULL, laserOn TINYINT, delay DOUBLE, delaySource TEXT, dosePoint INT,
            imagesCollected INT, imagesProcessed INT, hits INT, indexedFrames INT, crystals INT,
            hitRate DOUBLE, indexingRateOfHits DOUBLE,
            meanCellA DOUBLE, meanCellB DOUBLE, meanCellC DOUBLE, meanCellAlpha DOUBLE, meanCellBeta DOUBLE,
            meanCellGamma DOUBLE,
            UNIQUE (xtalreportRunId, label),
            FOREIGN KEY (xtalreportRunId) REFERENCES XtalReportRun (xtalreportRunId) ON DELETE CASCADE
        ){TAIL};
        CREATE TABLE IF NOT EXISTS XtalReportLightDark (
            xtalreportLightDarkId {ID},
            xtalreportRunId {FK} NOT NULL,
            quantity VARCHAR(64) NOT NULL, unit VARCHAR(16),
            light DOUBLE, dark DOUBLE, difference DOUBLE, uncertainty DOUBLE, sigmas DOUBLE,
            UNIQUE (xtalreportRunId, quantity),
            FOREIGN KEY (xtalreportRunId) REFERENCES XtalReportRun (xtalreportRunId) ON DELETE CASCADE
        ){TAIL};
        CREATE TABLE IF NOT EXISTS XtalReportMergedDataset (
            xtalreportMergedDatasetId {ID},
            autoProcProgramId {FK} NOT NULL,
            jobName VARCHAR(255) NOT NULL,
            datasetName VARCHAR(\(nameWidth)) NOT NULL,
            producer VARCHAR(64) NOT NULL,
            runs TEXT, parameters TEXT, fingerprint VARCHAR(16),
            details {LONGTEXT},
            recordTimeStamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            UNIQUE (autoProcProgramId),
            FOREIGN KEY (autoProcProgramId) REFERENCES AutoProcProgram (autoProcProgramId) ON DELETE CASCADE
        ){TAIL};
        """

    /// The DDL for `dialect`.
    static func ddl(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            return template.replacingOccurrences(of: "{ID}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{FK}", with: "INTEGER").replacingOccurrences(of: "{TAIL}", with: "")
                .replacingOccurrences(of: "{LONGTEXT}", with: "TEXT")
        case .mariadb:
            return template.replacingOccurrences(of: "{ID}", with: "INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY")
                .replacingOccurrences(of: "{FK}", with: "INT UNSIGNED").replacingOccurrences(of: "{LONGTEXT}", with: "LONGTEXT")
                .replacingOccurrences(of: "{TAIL}", with: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4")
        }
    }

    /// Applies each migration that `SchemaStatus` does not record as done (or whose tables
    /// or columns are missing); returns true when one ran.
    @discardableResult
    public static func migrate(_ db: SQLConnection) throws(StoreError) -> Bool {
        var applied = false
        // (Separate lets: `||` takes an autoclosure, which loses the typed throw.)
        let baseDone = try status(db, scriptName) == "DONE"
        let tablesMissing = try !missingTables(db).isEmpty
        if !baseDone || tablesMissing {
            try record(db, scriptName, "ONGOING")
            try db.executeScript(ddl(for: db.dialect))
            try record(db, scriptName, "DONE")
            applied = true
        }
        let present = try SchemaProbe.columns(db, of: "XtalReportRun")
        let missing = imageRowsColumns.filter { present[$0.name.lowercased()] == nil }
        let columnsDone = try status(db, imageRowsScript) == "DONE"
        if !columnsDone || !missing.isEmpty {
            try record(db, imageRowsScript, "ONGOING")
            // One column per statement: SQLite's ALTER TABLE adds one at a time.
            for column in missing { try db.executeScript("ALTER TABLE XtalReportRun ADD COLUMN \(column.name) \(column.type)") }
            try record(db, imageRowsScript, "DONE")
            applied = true
        }
        return applied
    }

    private static func status(_ db: SQLConnection, _ script: String) throws(StoreError) -> String? {
        try db.scalar("SELECT schemaStatus FROM SchemaStatus WHERE scriptName = ?", [.text(script)])?.stringValue
    }

    private static func record(_ db: SQLConnection, _ script: String, _ state: String) throws(StoreError) {
        if try db.scalar("SELECT 1 FROM SchemaStatus WHERE scriptName = ?", [.text(script)]) == nil {
            try db.execute("INSERT INTO SchemaStatus (scriptName, schemaStatus) VALUES (?, ?)", [.text(script), .text(state)])
        } else {
            try db.execute("UPDATE SchemaStatus SET schemaStatus = ? WHERE scriptName = ?", [.text(state), .text(script)])
        }
    }

    /// Extension tables that do not exist yet.
    static func missingTables(_ db: SQLConnection) throws(StoreError) -> [String] {
        let present = Set(try SchemaProbe.tables(db))
        return tables.filter { !present.contains($0) }
    }
}
