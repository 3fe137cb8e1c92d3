/// The ISPyB-compatible subset the embedded SQLite store is created with: ISPyB's table
/// and column names (DLS v5.0.0 / ESRF v1.0.2, from shared/docs/ispyb.md §2–3 and
/// mx-results.md §6), with the columns the store writes and the keys that join them.
/// Written for this project from those column facts. Where the flavours differ, the
/// subset takes the form that needs no other table: `AutoProcProgram` carries both
/// `dataCollectionId` (ESRF) and `processingJobId` (DLS); `processingStatus` holds ESRF's
/// 'SUCCESS'/'FAILED'; `ImageQualityIndicators` is keyed like DLS (dataCollectionId,
/// imageNumber) and, in stores made since, clustered on that key as InnoDB keeps it (WITHOUT
/// ROWID: one B-tree per row written instead of a table and its key's index); a DataCollectionGroup needs no session (there is no BLSession table).
enum SQLiteSubsetSchema {
    static let version = "xtalreport-sqlite-1"

    static let ddl = """
        CREATE TABLE IF NOT EXISTS AdminVar (
            varId INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, value TEXT);
        CREATE TABLE IF NOT EXISTS SchemaStatus (
            schemaStatusId INTEGER PRIMARY KEY AUTOINCREMENT, scriptName TEXT NOT NULL UNIQUE,
            schemaStatus TEXT, recordTimeStamp TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS DataCollectionGroup (
            dataCollectionGroupId INTEGER PRIMARY KEY AUTOINCREMENT, sessionId INTEGER, comments TEXT,
            blSampleId INTEGER, experimentType TEXT, startTime TEXT, endTime TEXT);
        CREATE TABLE IF NOT EXISTS DataCollection (
            dataCollectionId INTEGER PRIMARY KEY AUTOINCREMENT,
            dataCollectionGroupId INTEGER NOT NULL REFERENCES DataCollectionGroup(dataCollectionGroupId),
            SESSIONID INTEGER, BLSAMPLEID INTEGER, dataCollectionNumber INTEGER, startTime TEXT, endTime TEXT,
            runStatus TEXT, axisStart REAL, axisEnd REAL, axisRange REAL, numberOfImages INTEGER,
            startImageNumber INTEGER, exposureTime REAL, imageDirectory TEXT, imagePrefix TEXT, imageSuffix TEXT,
            imageContainerSubPath TEXT, fileTemplate TEXT, wavelength REAL, resolution REAL, detectorDistance REAL,
            xBeam REAL, yBeam REAL, comments TEXT, transmission REAL, beamSizeAtSampleX REAL, beamSizeAtSampleY REAL,
            flux REAL);
        CREATE TABLE IF NOT EXISTS SSXDataCollection (
            dataCollectionId INTEGER PRIMARY KEY REFERENCES DataCollection(dataCollectionId) ON DELETE CASCADE,
            repetitionRate REAL, energyBandwidth REAL, monoStripe TEXT, jetSpeed REAL, jetSize REAL,
            chipPattern TEXT, chipModel TEXT, reactionDuration REAL, laserEnergy REAL, experimentName TEXT);
        CREATE TABLE IF NOT EXISTS EventType (
            eventTypeId INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
        INSERT OR IGNORE INTO EventType (eventTypeId, name) VALUES
            (1, 'XrayDetection'), (2, 'XrayExposure'), (3, 'LaserExcitation'), (4, 'ReactionTrigger');
        CREATE TABLE IF NOT EXISTS EventChain (
            eventChainId INTEGER PRIMARY KEY AUTOINCREMENT,
            dataCollectionId INTEGER NOT NULL REFERENCES DataCollection(dataCollectionId) ON DELETE CASCADE,
            name TEXT);
        CREATE TABLE IF NOT EXISTS Event (
            eventId INTEGER PRIMARY KEY AUTOINCREMENT,
            eventChainId INTEGER NOT NULL REFERENCES EventChain(eventChainId) ON DELETE CASCADE,
            componentId INTEGER, eventTypeId INTEGER NOT NULL REFERENCES EventType(eventTypeId), name TEXT,
            `offset` REAL NOT NULL, duration REAL, period REAL, repetition REAL);
        CREATE TABLE IF NOT EXISTS ProcessingJob (
            processingJobId INTEGER PRIMARY KEY AUTOINCREMENT,
            dataCollectionId INTEGER REFERENCES DataCollection(dataCollectionId), displayName TEXT, comments TEXT,
            recordTimestamp TEXT DEFAULT CURRENT_TIMESTAMP, recipe TEXT, automatic INTEGER);
        CREATE TABLE IF NOT EXISTS ProcessingJobImageSweep (
            processingJobImageSweepId INTEGER PRIMARY KEY AUTOINCREMENT,
            processingJobId INTEGER REFERENCES ProcessingJob(processingJobId) ON DELETE CASCADE,
            dataCollectionId INTEGER REFERENCES DataCollection(dataCollectionId), startImage INTEGER, endImage INTEGER);
        CREATE TABLE IF NOT EXISTS ProcessingJobParameter (
            processingJobParameterId INTEGER PRIMARY KEY AUTOINCREMENT,
            processingJobId INTEGER REFERENCES ProcessingJob(processingJobId) ON DELETE CASCADE,
            parameterKey TEXT, parameterValue TEXT);
        CREATE TABLE IF NOT EXISTS AutoProcProgram (
            autoProcProgramId INTEGER PRIMARY KEY AUTOINCREMENT,
            dataCollectionId INTEGER REFERENCES DataCollection(dataCollectionId) ON DELETE CASCADE,
            processingJobId INTEGER REFERENCES ProcessingJob(processingJobId),
            processingCommandLine TEXT, processingPrograms TEXT, processingStatus TEXT, processingMessage TEXT,
            processingStartTime TEXT, processingEndTime TEXT, processingEnvironment TEXT,
            recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS AutoProcProgramAttachment (
            autoProcProgramAttachmentId INTEGER PRIMARY KEY AUTOINCREMENT,
            autoProcProgramId INTEGER NOT NULL REFERENCES AutoProcProgram(autoProcProgramId) ON DELETE CASCADE,
            fileType TEXT, fileName TEXT, filePath TEXT, recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP,
            importanceRank INTEGER);
        CREATE TABLE IF NOT EXISTS ImageQualityIndicators (
            dataCollectionId INTEGER NOT NULL REFERENCES DataCollection(dataCollectionId) ON DELETE CASCADE,
            imageNumber INTEGER NOT NULL, autoProcProgramId INTEGER, spotTotal INTEGER, inResTotal INTEGER,
            goodBraggCandidates INTEGER, method1Res REAL, method2Res REAL, totalIntegratedSignal REAL,
            dozor_score REAL, recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP,
            PRIMARY KEY (dataCollectionId, imageNumber)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS AutoProc (
            autoProcId INTEGER PRIMARY KEY AUTOINCREMENT,
            autoProcProgramId INTEGER REFERENCES AutoProcProgram(autoProcProgramId) ON DELETE CASCADE,
            spaceGroup TEXT, refinedCell_a REAL, refinedCell_b REAL, refinedCell_c REAL, refinedCell_alpha REAL,
            refinedCell_beta REAL, refinedCell_gamma REAL, recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS AutoProcScaling (
            autoProcScalingId INTEGER PRIMARY KEY AUTOINCREMENT,
            autoProcId INTEGER REFERENCES AutoProc(autoProcId) ON DELETE CASCADE,
            recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS AutoProcScalingStatistics (
            autoProcScalingStatisticsId INTEGER PRIMARY KEY AUTOINCREMENT,
            autoProcScalingId INTEGER REFERENCES AutoProcScaling(autoProcScalingId) ON DELETE CASCADE,
            scalingStatisticsType TEXT NOT NULL DEFAULT 'overall', comments TEXT, resolutionLimitLow REAL,
            resolutionLimitHigh REAL, rMerge REAL, rMeasAllIPlusIMinus REAL, rPimAllIPlusIMinus REAL,
            nTotalObservations INTEGER, nTotalUniqueObservations INTEGER, meanIOverSigI REAL, completeness REAL,
            multiplicity REAL, anomalousCompleteness REAL, anomalousMultiplicity REAL, ccHalf REAL,
            ccAnomalous REAL, rMeasWithinIPlusIMinus REAL, rPimWithinIPlusIMinus REAL, fractionalPartialBias REAL,
            anomalous INTEGER DEFAULT 0, recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS AutoProcIntegration (
            autoProcIntegrationId INTEGER PRIMARY KEY AUTOINCREMENT,
            dataCollectionId INTEGER NOT NULL REFERENCES DataCollection(dataCollectionId) ON DELETE CASCADE,
            autoProcProgramId INTEGER REFERENCES AutoProcProgram(autoProcProgramId) ON DELETE CASCADE,
            startImageNumber INTEGER, endImageNumber INTEGER, cell_a REAL, cell_b REAL, cell_c REAL,
            cell_alpha REAL, cell_beta REAL, cell_gamma REAL, anomalous INTEGER DEFAULT 0,
            recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP, refinedDetectorDistance REAL, refinedXBeam REAL,
            refinedYBeam REAL, rotationAxisX REAL, rotationAxisY REAL, rotationAxisZ REAL, beamVectorX REAL,
            beamVectorY REAL, beamVectorZ REAL);
        CREATE TABLE IF NOT EXISTS AutoProcScaling_has_Int (
            autoProcScaling_has_IntId INTEGER PRIMARY KEY AUTOINCREMENT,
            autoProcScalingId INTEGER REFERENCES AutoProcScaling(autoProcScalingId) ON DELETE CASCADE,
            autoProcIntegrationId INTEGER NOT NULL REFERENCES AutoProcIntegration(autoProcIntegrationId) ON DELETE CASCADE,
            recordTimeStamp TEXT DEFAULT CURRENT_TIMESTAMP);
        INSERT OR IGNORE INTO AdminVar (name, value) VALUES ('schemaVersion', '\(version)');
        """

    /// Columns added since the first subset, added to a store made before them (SQLite's
    /// `CREATE TABLE IF NOT EXISTS` leaves an existing table as it is).
    static let addedColumns: [(table: String, column: String, type: String)] =
        ["rMeasWithinIPlusIMinus", "rPimWithinIPlusIMinus", "fractionalPartialBias"].map { ("AutoProcScalingStatistics", $0, "REAL") }
        + [("AutoProcScalingStatistics", "anomalous", "INTEGER DEFAULT 0"), ("AutoProcScalingStatistics", "recordTimeStamp", "TEXT")]
        + ["refinedDetectorDistance", "refinedXBeam", "refinedYBeam", "rotationAxisX", "rotationAxisY", "rotationAxisZ",
           "beamVectorX", "beamVectorY", "beamVectorZ"].map { ("AutoProcIntegration", $0, "REAL") }

    static func addMissingColumns(_ db: SQLConnection) throws(StoreError) {
        let columns = TableColumns(db: db)
        for added in addedColumns where !(try columns.of(added.table)).contains(added.column.lowercased()) {
            try db.executeScript("ALTER TABLE \(added.table) ADD COLUMN \(added.column) \(added.type)")
        }
    }
}
