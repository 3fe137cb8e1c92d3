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
            // In one transaction (BEGIN IMMEDIATE takes the database lock): two jobs opening
            // a new or older store at once would otherwise both find a column missing and
            // both add it ("duplicate column name", seen in CI).
            try connection.transaction { () throws(StoreError) in
                try connection.executeScript(SQLiteSubsetSchema.ddl)
                try SQLiteSubsetSchema.addMissingColumns(connection)
                try ExtensionSchema.migrate(connection)
            }
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

    /// Writes every run of `job`, then its merged datasets (`StoreSession`, all at once).
    public func write(_ job: StoreJob, options: StoreOptions = StoreOptions()) throws(StoreError) -> StoreReport {
        var header = job
        header.runs = []
        let session = try StoreSession(store: self, job: header, keys: job.runKeys, options: options)
        for run in job.runs { try session.write(run) }
        return try session.finish(merges: job.merges)
    }

    /// Each merged dataset in its own transaction, after the runs it draws on
    /// (`imagesCollected`: each stored run's, by name), holding the runs' locks.
    func writeMerges(
        _ job: StoreJob, stored: [StoreReport.StoredRun], imagesCollected: [String: Int], locks: [String]
    ) throws(StoreError) -> [StoredMerge] {
        guard !job.merges.isEmpty else { return [] }
        var collections: [String: (dc: Int64, images: Int)] = [:]
        for entry in stored {
            collections[entry.name] = (entry.dataCollectionId, imagesCollected[entry.name] ?? 0)
        }
        let writer = MergedDatasetWriter(db: db, flavour: flavour, job: job, columns: TableColumns(db: db))
        var merges: [StoredMerge] = []
        try StoreLock.holding(locks, on: db) { () throws(StoreError) in
            for merge in job.merges {
                merges.append(try StoreLock.retrying { () throws(StoreError) in
                    try db.transaction { () throws(StoreError) in try writer.write(merge, collections: collections) }
                })
            }
        }
        return merges
    }

    /// Protein and components of the manifest that the proposal does not have.
    func missingLinks(sample: SampleInfo, components: [String], sessionId: Int64?) throws(StoreError) -> [String] {
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

