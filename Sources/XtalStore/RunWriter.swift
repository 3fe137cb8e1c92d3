import Foundation
import XtalCore

/// One run's rows, written inside the run's transaction (`ResultStore.write`).
struct RunWriter {
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
        var rows = 0
        var imageRows: ImageRows?
        var rowsUnchanged = false
        if options.perImage, let expected = images.expectedRows(run, dataCollectionId: dc, programId: program.id) {
            // A re-run whose rows are all there, as written, leaves them alone.
            if try extension_.storedImageRows(dataCollectionId: dc) == expected {
                rowsUnchanged = try images.rowsInStore(dataCollectionId: dc, programId: program.id) == expected.count
            }
            rows = rowsUnchanged ? run.images?.count ?? 0 : try images.write(run, dataCollectionId: dc, programId: program.id)
            imageRows = expected
        }
        let rowSeconds = (ContinuousClock.now - rowsStart) / .seconds(1)
        if options.perImage, !run.imageQuality.isEmpty {
            let streamRows = run.images?.count ?? 0 > 0 && run.results.accounting.imagesFromSpotFinding == 0
            let filled = try quality.write(
                run.imageQuality, dataCollectionId: dc, programId: program.id, streamRows: streamRows, notes: &notes)
            if run.images?.count ?? 0 == 0 { rows = filled }
        }
        if flavour.hasExtensionTables {
            try extension_.write(run, dataCollectionId: dc, programId: program.id, imageRows: imageRows)
        }
        let results = try processing.write(run.results.processing ?? [], dataCollectionId: dc, notes: &notes)
        if options.failInRun == run.results.name { throw .injectedFailure(run: run.results.name) }
        try programs.finish(programId: program.id)
        return .init(
            name: run.results.name, dataCollectionId: dc, link: link!.how, autoProcProgramId: program.id,
            imageRows: rows, imageRowsUnchanged: rowsUnchanged, imageRowSeconds: rowSeconds, updated: program.updated, processingResults: results)
    }
}
