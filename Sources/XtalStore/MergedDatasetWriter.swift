import Foundation
import XtalCore

/// A merged dataset into ISPyB as a merge of several runs is held there
/// (../shared/docs/merging.md §4, as dlstbx's xia2.ssx and multiplex wrappers write one):
///
/// - DLS (and SQLite): a ProcessingJob on the first run's DataCollection with one
///   ProcessingJobImageSweep per run and ProcessingJobParameter rows for the selection;
///   ESRF has no ProcessingJob tables, so its program names the first run's DataCollection;
/// - AutoProcProgram (the producer, its command line; key below), AutoProc (point group in
///   `spaceGroup`, the cell), one AutoProcScaling with exactly three
///   AutoProcScalingStatistics rows (overall, innerShell, outerShell; what SSX has no value
///   for stays NULL) and per run an AutoProcIntegration linked through AutoProcScaling_has_Int;
/// - XtalReportMergedDataset (where the extension tables exist): everything else, as JSON,
///   with a fingerprint of what was written.
///
/// Key: AutoProcProgram (processingEnvironment = the job's key, processingPrograms = the
/// producer, processingMessage = `merged dataset 'NAME'`). A re-run finds it: with the same
/// fingerprint nothing is written; with other inputs the rows that hang off the program are
/// replaced in place (same program, same row counts).
struct MergedDatasetWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let job: StoreJob
    let columns: TableColumns

    /// `collections`: each run's DataCollection and image count, by run name.
    func write(_ merge: StoreJob.Merge, collections: [String: (dc: Int64, images: Int)]) throws(StoreError) -> StoredMerge {
        let runs = merge.runs.compactMap { name in collections[name].map { (name, $0.dc, $0.images) } }
        guard let first = runs.first else {
            throw .noDataCollection(run: merge.runs.first ?? merge.dataset, reason: "merged dataset '\(merge.dataset)' has no stored run")
        }
        let key: [SQLValue] = [
            flavour.fit(job.jobName, table: "AutoProcProgram"), flavour.fit(merge.programs, table: "AutoProcProgram"),
            flavour.fit(String(merge.message.prefix(255)), table: "AutoProcProgram"),
        ]
        let fingerprint = Self.fingerprint(merge, runs: runs)
        let found = try db.query(
            """
            SELECT autoProcProgramId, \(flavour.hasProcessingJob ? "processingJobId" : "NULL") FROM AutoProcProgram
            WHERE processingEnvironment = ? AND processingPrograms = ? AND processingMessage = ?
            ORDER BY autoProcProgramId DESC LIMIT 1
            """, key
        ).first
        let now = SQLValue.text(ProgramWriter.sqlNow())
        let programId: Int64
        var jobId: Int64?
        let how: String
        if let found, let id = found[0].intValue {
            programId = id
            jobId = found[1].intValue
            if flavour.hasExtensionTables, try storedFingerprint(programId: id) == fingerprint {
                return StoredMerge(dataset: merge.dataset, producer: merge.producer, autoProcProgramId: id, how: "unchanged")
            }
            try removeChildren(programId: id, jobId: jobId)
            how = "updated"
        } else {
            if flavour.hasProcessingJob {
                jobId = try columns.insert(
                    into: "ProcessingJob",
                    [("dataCollectionId", .int(first.1)), ("displayName", flavour.fit(String("\(merge.programs): \(merge.dataset)".prefix(80)), table: "ProcessingJob", column: "displayName")),
                     ("comments", flavour.fit(job.jobName, table: "ProcessingJob", column: "comments")),
                     ("recipe", .text("xtalreport-merge")), ("automatic", .int(0))])
            }
            var program: [(String, SQLValue)] = [
                ("processingCommandLine", flavour.fit(merge.commandLine.map { String($0.prefix(255)) }, table: "AutoProcProgram")),
                ("processingPrograms", key[1]), ("processingMessage", key[2]), ("processingEnvironment", key[0]),
                ("processingStartTime", now), ("recordTimeStamp", now), ("processingStatus", flavour.runningStatus),
            ]
            if flavour.programHasDataCollectionId { program.append(("dataCollectionId", .int(first.1))) }
            if let jobId { program.append(("processingJobId", .int(jobId))) }
            programId = try columns.insert(into: "AutoProcProgram", program)
            how = "created"
        }
        if let jobId {
            for run in runs {
                try columns.insert(
                    into: "ProcessingJobImageSweep",
                    [("processingJobId", .int(jobId)), ("dataCollectionId", .int(run.1)), ("startImage", .int(1)), ("endImage", .int(Int64(run.2)))])
            }
            for (name, value) in [("xtalreport_dataset", merge.dataset), ("producer", merge.producer)] + merge.parameters {
                try columns.insert(
                    into: "ProcessingJobParameter",
                    [("processingJobId", .int(jobId)), ("parameterKey", .text(String(name.prefix(80)))),
                     ("parameterValue", flavour.fit(String(value.prefix(1024)), table: "ProcessingJobParameter", column: "parameterValue"))])
            }
        }
        try writeResult(merge, programId: programId, runs: runs.map { ($0.1, $0.2) }, now: now)
        if flavour.hasExtensionTables { try writeExtension(merge, programId: programId, fingerprint: fingerprint) }
        let frozen = flavour.programsFreezeOnStatus ? " AND processingStatus IS NULL" : ""
        try db.execute(
            "UPDATE AutoProcProgram SET processingStatus = ?, processingEndTime = ? WHERE autoProcProgramId = ?" + frozen,
            [flavour.successStatus, now, .int(programId)])
        return StoredMerge(dataset: merge.dataset, producer: merge.producer, autoProcProgramId: programId, how: how)
    }

    /// AutoProc, the scaling with its three statistics rows, an integration per run and the links.
    private func writeResult(_ merge: StoreJob.Merge, programId: Int64, runs: [(dc: Int64, images: Int)], now: SQLValue) throws(StoreError) {
        let cell = merge.cell
        let autoProcId = try columns.insert(
            into: "AutoProc",
            [("autoProcProgramId", .int(programId)), ("spaceGroup", flavour.fit(merge.pointGroup, table: "AutoProc")),
             ("refinedCell_a", .number(cell?.a)), ("refinedCell_b", .number(cell?.b)), ("refinedCell_c", .number(cell?.c)),
             ("refinedCell_alpha", .number(cell?.alpha)), ("refinedCell_beta", .number(cell?.beta)),
             ("refinedCell_gamma", .number(cell?.gamma)), ("recordTimeStamp", now)])
        let scalingId = try columns.insert(into: "AutoProcScaling", [("autoProcId", .int(autoProcId)), ("recordTimeStamp", now)])
        for kind in [ShellKind.overall, .innerShell, .outerShell] {
            // Exactly three rows: a shell without figures is a row of NULLs.
            let shell = merge.tableOne[kind] ?? ShellStatistics()
            try columns.insert(
                into: "AutoProcScalingStatistics",
                ProcessingResultWriter.statistics(shell, kind: kind, scalingId: scalingId, now: now, flavour: flavour))
        }
        for run in runs {
            let integrationId = try columns.insert(
                into: "AutoProcIntegration",
                [("dataCollectionId", .int(run.dc)), ("autoProcProgramId", .int(programId)), ("startImageNumber", .int(1)),
                 ("endImageNumber", .int(Int64(run.images))), ("cell_a", .number(cell?.a)), ("cell_b", .number(cell?.b)),
                 ("cell_c", .number(cell?.c)), ("cell_alpha", .number(cell?.alpha)), ("cell_beta", .number(cell?.beta)),
                 ("cell_gamma", .number(cell?.gamma)), ("anomalous", .int(0)), ("recordTimeStamp", now)])
            try columns.insert(
                into: "AutoProcScaling_has_Int",
                [("autoProcScalingId", .int(scalingId)), ("autoProcIntegrationId", .int(integrationId)), ("recordTimeStamp", now)])
        }
    }

    /// The rows that hang off a program stored before, children first.
    private func removeChildren(programId: Int64, jobId: Int64?) throws(StoreError) {
        let scalings = "SELECT s.autoProcScalingId FROM AutoProcScaling s JOIN AutoProc a ON a.autoProcId = s.autoProcId WHERE a.autoProcProgramId = ?"
        // MariaDB cannot delete from a table its subquery reads: the ids are read first.
        let ids = try db.query(scalings, [.int(programId)]).compactMap { $0[0].intValue }
        for id in ids {
            for table in ["AutoProcScaling_has_Int", "AutoProcScalingStatistics", "AutoProcScaling"] {
                try db.execute("DELETE FROM \(table) WHERE autoProcScalingId = ?", [.int(id)])
            }
        }
        for table in ["AutoProc", "AutoProcIntegration"] {
            try db.execute("DELETE FROM \(table) WHERE autoProcProgramId = ?", [.int(programId)])
        }
        if let jobId {
            for table in ["ProcessingJobImageSweep", "ProcessingJobParameter"] {
                try db.execute("DELETE FROM \(table) WHERE processingJobId = ?", [.int(jobId)])
            }
        }
    }

    private func storedFingerprint(programId: Int64) throws(StoreError) -> String? {
        try db.scalar("SELECT fingerprint FROM XtalReportMergedDataset WHERE autoProcProgramId = ?", [.int(programId)])?.stringValue
    }

    private func writeExtension(_ merge: StoreJob.Merge, programId: Int64, fingerprint: String) throws(StoreError) {
        try db.execute("DELETE FROM XtalReportMergedDataset WHERE autoProcProgramId = ?", [.int(programId)])
        let parameters = merge.parameters.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        try db.execute(
            "INSERT INTO XtalReportMergedDataset (autoProcProgramId, jobName, datasetName, producer, runs, parameters, fingerprint, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [.int(programId), .text(job.jobName), .text(ColumnText.fitted(merge.dataset, to: ExtensionSchema.nameWidth)),
             .text(String(merge.producer.prefix(64))), .text(merge.runs.joined(separator: "\n")), .text(parameters),
             .text(fingerprint), .text(merge.details)])
    }

    /// A hash of everything the rows hold, so an unchanged merge is left alone.
    static func fingerprint(_ merge: StoreJob.Merge, runs: [(String, Int64, Int)]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let table = (try? encoder.encode(merge.tableOne)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let cell = merge.cell.map { "\([$0.a, $0.b, $0.c, $0.alpha, $0.beta, $0.gamma])" } ?? ""
        let parts = [merge.commandLine ?? "", merge.pointGroup ?? "", cell, table, merge.details]
            + runs.map { "\($0.0) \($0.1) \($0.2)" } + merge.parameters.map { "\($0.key)=\($0.value)" }
        return FileStem.hash(parts.joined(separator: "\u{1}")) + FileStem.hash(parts.reversed().joined(separator: "\u{2}"))
    }
}
