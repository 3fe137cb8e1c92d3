import Foundation
import XtalCore

/// The store: one place the results model is written through, to the embedded SQLite
/// default or an ISPyB MariaDB (DLS or ESRF flavour, detected). Each run is written in one
/// transaction — all of its rows or none — and a re-run of the same job updates in place
/// (idempotency key: the DataCollection plus `xtalreport:<experiment>`, see ExtensionSchema).
public final class ResultStore {
    public let db: SQLConnection
    public let flavour: ISPyBFlavour

    public init(connection: SQLConnection) throws(StoreError) {
        db = connection
        if connection.dialect == .sqlite {
            try connection.executeScript(SQLiteSubsetSchema.ddl)
            try SQLiteSubsetSchema.addMissingColumns(connection)
            try ExtensionSchema.migrate(connection)
        }
        flavour = try ISPyBFlavour.detect(connection)
    }

    /// Opens the store at `location`.
    public static func open(_ location: StoreLocation) throws(StoreError) -> ResultStore {
        switch location {
        case .sqlite(let path): return try ResultStore(connection: SQLiteConnection(path: path))
        case .mariadb(let endpoint): return try ResultStore(connection: MariaDBConnection(endpoint))
        }
    }

    /// Writes every run of `job`.
    public func write(_ job: StoreJob, options: StoreOptions = StoreOptions()) throws(StoreError) -> StoreReport {
        var notes: [String] = []
        let create = options.createCollections || db.dialect == .sqlite
        var sessionId: Int64?
        if flavour.hasSessions, let visit = job.visit {
            sessionId = try CollectionLinker.session(db, visit: visit)
        } else if flavour.hasSessions, create {
            throw .noDataCollection(run: job.runs.first?.results.name ?? "", reason: "creating collections needs a visit (the manifest's 'session' or --session)")
        }
        let linker = CollectionLinker(db: db, flavour: flavour, sessionId: sessionId)
        let sampleId = try linker.sampleId(job.sample)
        if let sample = job.sample, flavour.hasSessions {
            if sampleId == nil { notes.append("sample '\(sample.name)' is not in the visit's proposal; collections are stored without a sample") }
            notes += try missingLinks(sample: sample, components: job.components, sessionId: sessionId)
        }
        if !flavour.hasExtensionTables {
            notes.append("the xtalreport tables are absent (run 'xtalreport db migrate'); per-run statistics, histograms and time points were not stored")
        }
        if flavour.losesCharacters(job.outputDirectory) {
            // The attachments' own names are ASCII (FileStem); the folder they are in is the user's.
            notes.append(
                "the output folder \(job.outputDirectory) has characters outside Latin-1, which ISPyB's latin1 filePath "
                    + "column cannot hold: py-ISPyB will not find the attachments there; use an --output path in Latin-1")
        }
        let texts = [job.experiment, job.sample?.name ?? "", job.outputDirectory] + job.runs.compactMap(\.master)
        if texts.contains(where: flavour.losesCharacters) {
            notes.append("text outside Latin-1 was written as '?' into ISPyB's latin1 tables; xtalreport's tables keep it verbatim")
        }
        let programs = ProgramWriter(db: db, flavour: flavour, job: job)
        let images = ImageQualityWriter(db: db, flavour: flavour)
        let extension_ = ExtensionWriter(db: db, job: job)
        let processing = ProcessingResultWriter(db: db, flavour: flavour, columns: TableColumns(db: db))
        let quality = ImageQualitySeriesWriter(db: db, flavour: flavour, batchSize: options.batchSize)
        let writer = RunWriter(
            db: db, flavour: flavour, job: job, options: options, linker: linker, create: create, sampleId: sampleId,
            programs: programs, images: images, extension_: extension_, processing: processing, quality: quality)
        var groupId: Int64?
        var stored: [StoreReport.StoredRun] = []
        try StoreLock.holding(job, on: db) { () throws(StoreError) in
            for (number, run) in job.runs.enumerated() {
                let (entry, runNotes) = try StoreLock.retrying { () throws(StoreError) in
                    // Each attempt starts from the group as the committed runs left it.
                    var attemptGroup = groupId
                    var runNotes: [String] = []
                    let entry = try db.transaction { () throws(StoreError) in
                        try writer.write(run, number: number, groupId: &attemptGroup, notes: &runNotes)
                    }
                    groupId = attemptGroup
                    return (entry, runNotes)
                }
                stored.append(entry)
                notes += runNotes
            }
        }
        var report = StoreReport(target: db.target, flavour: flavour, runs: stored, notes: notes)
        report.merges = try writeMerges(job, stored: stored)
        return report
    }

    /// Each merged dataset in its own transaction, after the runs it draws on.
    private func writeMerges(_ job: StoreJob, stored: [StoreReport.StoredRun]) throws(StoreError) -> [StoredMerge] {
        guard !job.merges.isEmpty else { return [] }
        var collections: [String: (dc: Int64, images: Int)] = [:]
        for (entry, run) in zip(stored, job.runs) {
            collections[entry.name] = (entry.dataCollectionId, run.results.statistics.imagesCollected)
        }
        let writer = MergedDatasetWriter(db: db, flavour: flavour, job: job, columns: TableColumns(db: db))
        var merges: [StoredMerge] = []
        try StoreLock.holding(job, on: db) { () throws(StoreError) in
            for merge in job.merges {
                merges.append(try StoreLock.retrying { () throws(StoreError) in
                    try db.transaction { () throws(StoreError) in try writer.write(merge, collections: collections) }
                })
            }
        }
        return merges
    }

    /// Protein and components of the manifest that the proposal does not have.
    private func missingLinks(sample: SampleInfo, components: [String], sessionId: Int64?) throws(StoreError) -> [String] {
        guard let sessionId else { return [] }
        var notes: [String] = []
        if let protein = sample.protein {
            let found = try db.scalar(
                "SELECT p.proteinId FROM Protein p JOIN BLSession s ON s.proposalId = p.proposalId WHERE s.sessionId = ? AND (p.acronym = ? OR p.name = ?) LIMIT 1",
                [.int(sessionId), flavour.fit(protein, table: "Protein"), flavour.fit(protein, table: "Protein")])
            if found == nil { notes.append("protein '\(protein)' is not in the visit's proposal") }
        }
        for component in components {
            let found = try db.scalar(
                "SELECT c.componentId FROM Component c JOIN BLSession s ON s.proposalId = c.proposalId WHERE s.sessionId = ? AND c.name = ? LIMIT 1",
                [.int(sessionId), flavour.fit(component, table: "Component")])
            if found == nil { notes.append("component '\(component)' is not in the visit's proposal") }
        }
        return notes
    }
}

/// One run's rows, written inside the run's transaction (`ResultStore.write`).
private struct RunWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let job: StoreJob
    let options: StoreOptions
    let linker: CollectionLinker
    let create: Bool
    let sampleId: Int64?
    let programs: ProgramWriter
    let images: ImageQualityWriter
    let extension_: ExtensionWriter
    let processing: ProcessingResultWriter
    let quality: ImageQualitySeriesWriter

    /// Finds or creates the run's DataCollection (in `groupId`, created with the first
    /// collection the job creates) and writes its program, per-image rows and extension rows.
    func write(
        _ run: StoreJob.Run, number: Int, groupId: inout Int64?, notes: inout [String]
    ) throws(StoreError) -> StoreReport.StoredRun {
        var link = try linker.find(run, jobName: job.jobName)
        if options.pauseAfterFind > 0 { Thread.sleep(forTimeInterval: options.pauseAfterFind) }
        if link == nil {
            guard create else {
                throw .noDataCollection(
                    run: run.results.name,
                    reason: "no data_collection_id and no DataCollection with the master file's directory and template (use --create-collections)")
            }
            if groupId == nil { groupId = try linker.createGroup(job: job, first: run, sampleId: sampleId) }
            let dc = try linker.createCollection(run, groupId: groupId!, number: number + 1, sampleId: sampleId, notes: &notes)
            try linker.writeSSX(dataCollectionId: dc, experiment: job.experiment, support: job.sample?.support, chain: run.eventChain)
            link = .init(dataCollectionId: dc, dataCollectionGroupId: groupId!, how: "created")
        } else if groupId == nil {
            groupId = link!.dataCollectionGroupId
        }
        let dc = link!.dataCollectionId
        let program = try programs.write(run, dataCollectionId: dc)
        let rowsStart = ContinuousClock.now
        var rows = options.perImage ? try images.write(run, dataCollectionId: dc, programId: program.id) : 0
        let rowSeconds = (ContinuousClock.now - rowsStart) / .seconds(1)
        if options.perImage, !run.imageQuality.isEmpty {
            let streamRows = run.images?.count ?? 0 > 0 && run.results.accounting.imagesFromSpotFinding == 0
            let filled = try quality.write(
                run.imageQuality, dataCollectionId: dc, programId: program.id, streamRows: streamRows, notes: &notes)
            if run.images?.count ?? 0 == 0 { rows = filled }
        }
        if flavour.hasExtensionTables { try extension_.write(run, dataCollectionId: dc, programId: program.id) }
        let results = try processing.write(run.results.processing ?? [], dataCollectionId: dc, notes: &notes)
        if options.failInRun == run.results.name { throw .injectedFailure(run: run.results.name) }
        try programs.finish(programId: program.id)
        return .init(
            name: run.results.name, dataCollectionId: dc, link: link!.how, autoProcProgramId: program.id,
            imageRows: rows, imageRowSeconds: rowSeconds, updated: program.updated, processingResults: results)
    }
}
