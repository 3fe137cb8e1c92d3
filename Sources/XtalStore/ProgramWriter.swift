import Foundation
import XtalCore

/// A run's processing record: AutoProcProgram (found again by the job's key, so a re-run
/// updates it), its ProcessingJob and image sweep (DLS), AutoProcIntegration (the run's
/// image range and mean cell), AutoProc (median cell), the py-ISPyB attachments, the MAX IV
/// SSXProcessingResult row where that table exists, and the status — written last, because
/// DLS freezes a program once its status is set.
struct ProgramWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let job: StoreJob

    static let programName = "xtalreport"

    /// The program of an earlier store of this job for `dc`, with its status.
    func existingProgram(dataCollectionId dc: Int64) throws(StoreError) -> (id: Int64, status: SQLValue)? {
        let row = try db.query(
            """
            SELECT p.autoProcProgramId, p.processingStatus FROM AutoProcProgram p
            JOIN AutoProcIntegration i ON i.autoProcProgramId = p.autoProcProgramId
            WHERE i.dataCollectionId = ? AND p.processingPrograms = ? AND p.processingEnvironment = ?
            ORDER BY p.autoProcProgramId DESC LIMIT 1
            """, [.int(dc), .text(Self.programName), flavour.fit(job.jobName, table: "AutoProcProgram")]
        ).first
        guard let row, let id = row[0].intValue else { return nil }
        return (id, row[1])
    }

    /// Creates or refreshes the program of `run` on `dc`; returns its id.
    func write(_ run: StoreJob.Run, dataCollectionId dc: Int64) throws(StoreError) -> (id: Int64, updated: Bool) {
        let now = Self.sqlNow()
        let message = "\(run.results.statistics.hits) hits, \(run.results.statistics.indexedFrames) indexed"
        let programId: Int64
        let updated: Bool
        if let existing = try existingProgram(dataCollectionId: dc) {
            programId = existing.id
            updated = true
            // A DLS program with a status is frozen: leave its row as it is.
            if !(flavour.programsFreezeOnStatus && !existing.status.isNull) {
                try db.execute(
                    "UPDATE AutoProcProgram SET processingCommandLine = ?, processingMessage = ?, processingStartTime = ? WHERE autoProcProgramId = ?",
                    [flavour.fit(String(job.commandLine.prefix(255)), table: "AutoProcProgram"), .text(message), .text(now),
                     .int(programId)])
            }
            for table in ["AutoProcProgramAttachment", "AutoProc"] {
                try db.execute("DELETE FROM \(table) WHERE autoProcProgramId = ?", [.int(programId)])
            }
        } else {
            var columns = ["processingCommandLine", "processingPrograms", "processingStatus", "processingMessage",
                           "processingStartTime", "processingEnvironment"]
            var values: [SQLValue] = [
                flavour.fit(String(job.commandLine.prefix(255)), table: "AutoProcProgram"), .text(Self.programName),
                flavour.runningStatus, .text(message), .text(now), flavour.fit(job.jobName, table: "AutoProcProgram"),
            ]
            if flavour.programHasDataCollectionId {
                columns.append("dataCollectionId")
                values.append(.int(dc))
            }
            if flavour.hasProcessingJob {
                columns.append("processingJobId")
                values.append(.int(try processingJob(run, dataCollectionId: dc)))
            }
            programId = try db.insert(
                "INSERT INTO AutoProcProgram (\(columns.joined(separator: ", "))) VALUES (\(placeholders(values.count)))", values)
            updated = false
        }
        try integration(run, dataCollectionId: dc, programId: programId)
        try autoProc(run, programId: programId)
        try attachments(run, programId: programId)
        if flavour.hasSSXProcessingResult { try ssxProcessingResult(run, dataCollectionId: dc) }
        return (programId, updated)
    }

    /// Sets the final status (last, see the type's documentation).
    func finish(programId: Int64) throws(StoreError) {
        let frozen = flavour.programsFreezeOnStatus ? " AND processingStatus IS NULL" : ""
        try db.execute(
            "UPDATE AutoProcProgram SET processingStatus = ?, processingEndTime = ? WHERE autoProcProgramId = ?" + frozen,
            [flavour.successStatus, .text(Self.sqlNow()), .int(programId)])
    }

    private func processingJob(_ run: StoreJob.Run, dataCollectionId dc: Int64) throws(StoreError) -> Int64 {
        let jobId = try db.insert(
            "INSERT INTO ProcessingJob (dataCollectionId, displayName, comments, recipe, automatic) VALUES (?, ?, ?, ?, ?)",
            [.int(dc), .text(Self.programName), flavour.fit(job.jobName, table: "ProcessingJob", column: "comments"),
             .text("xtalreport-ssx"), .int(0)])
        try db.execute(
            "INSERT INTO ProcessingJobImageSweep (processingJobId, dataCollectionId, startImage, endImage) VALUES (?, ?, ?, ?)",
            [.int(jobId), .int(dc), .int(1), .int(run.results.statistics.imagesCollected)])
        return jobId
    }

    private func integration(_ run: StoreJob.Run, dataCollectionId dc: Int64, programId: Int64) throws(StoreError) {
        let cell = run.results.statistics.cell
        let values: [SQLValue] = [
            .int(1), .int(run.results.statistics.imagesCollected), .number(cell.a.mean), .number(cell.b.mean),
            .number(cell.c.mean), .number(cell.alpha.mean), .number(cell.beta.mean), .number(cell.gamma.mean),
        ]
        let existing = try db.scalar(
            "SELECT autoProcIntegrationId FROM AutoProcIntegration WHERE dataCollectionId = ? AND autoProcProgramId = ?",
            [.int(dc), .int(programId)])
        if let id = existing?.intValue {
            try db.execute(
                "UPDATE AutoProcIntegration SET startImageNumber = ?, endImageNumber = ?, cell_a = ?, cell_b = ?, cell_c = ?, cell_alpha = ?, cell_beta = ?, cell_gamma = ? WHERE autoProcIntegrationId = ?",
                values + [.int(id)])
        } else {
            try db.execute(
                "INSERT INTO AutoProcIntegration (dataCollectionId, autoProcProgramId, startImageNumber, endImageNumber, cell_a, cell_b, cell_c, cell_alpha, cell_beta, cell_gamma) VALUES (?, ?, \(placeholders(values.count)))",
                [.int(dc), .int(programId)] + values)
        }
    }

    private func autoProc(_ run: StoreJob.Run, programId: Int64) throws(StoreError) {
        let cell = run.results.statistics.cell
        guard cell.a.count > 0 else { return }
        try db.execute(
            "INSERT INTO AutoProc (autoProcProgramId, refinedCell_a, refinedCell_b, refinedCell_c, refinedCell_alpha, refinedCell_beta, refinedCell_gamma) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.int(programId), .number(cell.a.median), .number(cell.b.median), .number(cell.c.median),
             .number(cell.alpha.median), .number(cell.beta.median), .number(cell.gamma.median)])
    }

    private func attachments(_ run: StoreJob.Run, programId: Int64) throws(StoreError) {
        // The run's own folder, whatever its name holds ('/', '..', anything else).
        let directory = URL(fileURLWithPath: job.outputDirectory).appendingPathComponent("ispyb")
            .appendingPathComponent(FileStem.of(run.results.name)).path
        let folder = try PyISPyBAttachments.write(run, into: directory)
        for name in [PyISPyBAttachments.statsFile, PyISPyBAttachments.cellsFile] {
            try db.execute(
                "INSERT INTO AutoProcProgramAttachment (autoProcProgramId, fileType, fileName, filePath) VALUES (?, 'Result', ?, ?)",
                [.int(programId), .text(name), flavour.fit(folder, table: "AutoProcProgramAttachment")])
        }
    }

    /// MAX IV's per-run row (hit and indexing rate, crystals).
    private func ssxProcessingResult(_ run: StoreJob.Run, dataCollectionId dc: Int64) throws(StoreError) {
        let s = run.results.statistics
        let marker = String(job.jobName.prefix(100))
        try db.execute("DELETE FROM SSXProcessingResult WHERE dataCollectionId = ? AND comments = ?", [.int(dc), .text(marker)])
        try db.execute(
            "INSERT INTO SSXProcessingResult (dataCollectionId, hitRate, indexingRate, indexingType, status, comments, nbCrystals) VALUES (?, ?, ?, 'Final', 'Success', ?, ?)",
            [.int(dc), .number(s.hitRate), .number(s.indexingRateOfHits), .text(marker), .int(s.crystals)])
    }

    /// The current UTC time as `YYYY-MM-DD hh:mm:ss`.
    static func sqlNow() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date())
    }
}
