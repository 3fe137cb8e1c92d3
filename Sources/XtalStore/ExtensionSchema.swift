import Foundation

/// xtalreport's own tables, for what ISPyB has no table for: per-run SSX counts and rates,
/// histograms, per-time-point statistics, light − dark, the honest-count check. One
/// migration, the same on SQLite and on an ISPyB MariaDB (either flavour), idempotent
/// (`CREATE TABLE IF NOT EXISTS`) and recorded in ISPyB's `SchemaStatus` style: a row
/// `ONGOING` while it runs, `DONE` after.
///
/// Idempotency key of stored results: (`dataCollectionId`, `jobName`) in `XtalReportRun`,
/// where jobName is `xtalreport:<experiment>`. Re-running the same job finds that row and
/// replaces what hangs off it.
public enum ExtensionSchema {
    /// The migration's name in `SchemaStatus`.
    public static let scriptName = "xtalreport_2026_11_21_results.sql"

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

    /// Applies the migration unless `SchemaStatus` says it is done; returns true when it ran.
    @discardableResult
    public static func migrate(_ db: SQLConnection) throws(StoreError) -> Bool {
        let status = try db.scalar("SELECT schemaStatus FROM SchemaStatus WHERE scriptName = ?", [.text(scriptName)])
        if status?.stringValue == "DONE", try missingTables(db).isEmpty { return false }
        if status == nil {
            try db.execute("INSERT INTO SchemaStatus (scriptName, schemaStatus) VALUES (?, 'ONGOING')", [.text(scriptName)])
        } else {
            try db.execute("UPDATE SchemaStatus SET schemaStatus = 'ONGOING' WHERE scriptName = ?", [.text(scriptName)])
        }
        try db.executeScript(ddl(for: db.dialect))
        try db.execute("UPDATE SchemaStatus SET schemaStatus = 'DONE' WHERE scriptName = ?", [.text(scriptName)])
        return true
    }

    /// Extension tables that do not exist yet.
    static func missingTables(_ db: SQLConnection) throws(StoreError) -> [String] {
        let present = Set(try SchemaProbe.tables(db))
        return tables.filter { !present.contains($0) }
    }
}
