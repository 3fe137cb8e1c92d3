import Foundation
import XtalCore

/// A job's writes into the store, run by run as the job reads them: opened before the
/// first run is read, given each run as soon as its figures are made (so that its
/// per-image tables can leave memory), then finished with the merged datasets.
///
/// Each run is still one transaction, all of its rows or none. On MariaDB the session holds
/// the named locks of all the job's runs (`StoreLock`) from `init` until `finishRuns`, as a
/// whole-job write does. Used by one thread at a time: the job hands it from the thread
/// that reads to the thread that stores the merges, never sharing it.
public final class StoreSession: @unchecked Sendable {
    public let store: ResultStore
    /// The job the runs belong to (without its runs).
    public let job: StoreJob
    let options: StoreOptions
    private let writer: RunWriter
    /// The runs' lock names, and those held now.
    private let lockNames: [String]
    private var heldLocks: [String] = []
    private var groupId: Int64?
    private var stored: [StoreReport.StoredRun] = []
    private var notes: [String] = []
    /// Each stored run's collected images, by name (the merged datasets' rows cite them).
    private var imagesCollected: [String: Int] = [:]

    /// Starts the job's writes: finds the visit, the sample and what the proposal lacks, and
    /// takes the runs' locks. `job` is the job without its runs (they come one at a time);
    /// `keys` names every run that will be written, for the locks.
    public init(store: ResultStore, job: StoreJob, keys: [StoreJob.RunKey], options: StoreOptions = StoreOptions()) throws(StoreError) {
        self.store = store
        self.job = job
        self.options = options
        let (db, flavour) = (store.db, store.flavour)
        let create = options.createCollections || db.dialect == .sqlite
        var sessionId: Int64?
        if flavour.hasSessions, let visit = job.visit {
            sessionId = try CollectionLinker.session(db, visit: visit)
        } else if flavour.hasSessions, create {
            throw .noDataCollection(run: keys.first?.name ?? "", reason: "creating collections needs a visit (the manifest's 'session' or --session)")
        }
        let linker = CollectionLinker(db: db, flavour: flavour, sessionId: sessionId)
        let sampleId = try linker.sampleId(job.sample)
        if let sample = job.sample, flavour.hasSessions {
            if sampleId == nil { notes.append("sample '\(sample.name)' is not in the visit's proposal; collections are stored without a sample") }
            notes += try store.missingLinks(sample: sample, components: job.components, sessionId: sessionId)
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
        let texts = [job.experiment, job.sample?.name ?? "", job.outputDirectory] + keys.compactMap(\.master)
        if texts.contains(where: flavour.losesCharacters) {
            notes.append("text outside Latin-1 was written as '?' into ISPyB's latin1 tables; xtalreport's tables keep it verbatim")
        }
        writer = RunWriter(
            db: db, flavour: flavour, job: job, options: options, linker: linker, create: create, sampleId: sampleId,
            programs: ProgramWriter(db: db, flavour: flavour, job: job), images: ImageQualityWriter(db: db, flavour: flavour),
            extension_: ExtensionWriter(db: db, job: job, flavour: flavour),
            processing: ProcessingResultWriter(db: db, flavour: flavour, columns: TableColumns(db: db)),
            quality: ImageQualitySeriesWriter(db: db, flavour: flavour, batchSize: options.batchSize))
        lockNames = StoreLock.names(keys, jobName: job.jobName)
        heldLocks = try StoreLock.acquire(lockNames, on: db)
    }

    deinit { StoreLock.release(heldLocks, on: store.db) }

    /// Writes the next run in one transaction (tried again when it loses to another client).
    @discardableResult
    public func write(_ run: StoreJob.Run) throws(StoreError) -> StoreReport.StoredRun {
        let (entry, runNotes) = try StoreLock.retrying { () throws(StoreError) in
            // Each attempt starts from the group as the committed runs left it.
            var attemptGroup = groupId
            var runNotes: [String] = []
            let entry = try store.db.transaction { () throws(StoreError) in
                try writer.write(run, number: stored.count, groupId: &attemptGroup, notes: &runNotes)
            }
            groupId = attemptGroup
            return (entry, runNotes)
        }
        stored.append(entry)
        notes += runNotes
        imagesCollected[run.results.name] = run.results.statistics.imagesCollected
        return entry
    }

    /// The runs written so far.
    public var storedRuns: [StoreReport.StoredRun] { stored }

    /// Ends the runs' part (their locks are released), then writes each merged dataset in a
    /// transaction of its own, after the runs it draws on.
    public func finish(merges: [StoreJob.Merge]) throws(StoreError) -> StoreReport {
        StoreLock.release(heldLocks, on: store.db)
        heldLocks = []
        var report = StoreReport(target: store.db.target, flavour: store.flavour, runs: stored, notes: notes)
        var mergeJob = job
        mergeJob.merges = merges
        report.merges = try store.writeMerges(mergeJob, stored: stored, imagesCollected: imagesCollected, locks: lockNames)
        return report
    }
}

extension StoreJob {
    /// What identifies a run's DataCollection before the run is read: the manifest's id,
    /// else its master file, else its name (`StoreLock`).
    public struct RunKey: Sendable {
        public var name: String
        public var master: String?
        public var dataCollectionId: Int?

        public init(name: String, master: String?, dataCollectionId: Int?) {
            self.name = name
            self.master = master
            self.dataCollectionId = dataCollectionId
        }
    }

    /// The keys of the runs this job holds.
    public var runKeys: [RunKey] {
        runs.map { RunKey(name: $0.results.name, master: $0.master, dataCollectionId: $0.dataCollectionId) }
    }
}
