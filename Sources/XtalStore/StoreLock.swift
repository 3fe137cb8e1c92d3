import Foundation

/// What keeps two jobs that write the same collections from racing each other's
/// find-or-create (both find nothing, both create: duplicate DataCollectionGroups,
/// DataCollections and per-image rows).
///
/// On MariaDB each run of a job takes a named lock (`GET_LOCK`, held by the connection, so
/// a job that dies releases it) on what identifies its DataCollection — the
/// `data_collection_id`, else the master file's directory and template (what `find`
/// matches), else the job and run name. All of a job's locks are taken before its first run
/// is written, in sorted order (no two jobs can each hold what the other waits for), and
/// released after its last: a second job with any of the same collections waits, then finds
/// them and updates in place. Jobs with nothing in common run at the same time. SQLite
/// needs none: its writers take the database lock at `BEGIN IMMEDIATE`, before `find`.
///
/// A transaction that still loses to another client (a deadlock, or a lock wait timeout:
/// `StoreError.conflict`) is rolled back by the server and tried again, a few times, with
/// a growing pause.
enum StoreLock {
    /// How long a job waits for another job's locks.
    static let timeoutSeconds = 600
    /// How often a run's transaction is tried when it loses to another transaction.
    static let attempts = 5

    /// The lock names of a job's runs: `xtalreport:` and a 64-bit hash of each key (MariaDB
    /// limits lock names to 64 characters); sorted, without repeats.
    static func names(_ keys: [StoreJob.RunKey], jobName: String) -> [String] {
        let texts = keys.map { run -> String in
            if let id = run.dataCollectionId { return "dc:\(id)" }
            if let master = run.master {
                let files = CollectionLinker.files(of: master)
                return "files:\(files.directory)\u{0}\(files.template)"
            }
            return "run:\(jobName)\u{0}\(run.name)"
        }
        return Set(texts.map { "xtalreport:" + fnv1a($0) }).sorted()
    }

    /// The lock names of `job`'s runs.
    static func names(_ job: StoreJob) -> [String] { names(job.runKeys, jobName: job.jobName) }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across processes and machines.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Takes the named locks (MariaDB; none on SQLite), in the order given; returns those
    /// held. On a failure the ones already taken are released.
    static func acquire(_ names: [String], on db: SQLConnection) throws(StoreError) -> [String] {
        guard db.dialect == .mariadb else { return [] }
        var held: [String] = []
        for name in names {
            let got: SQLValue?
            do {
                got = try db.query("SELECT GET_LOCK(?, ?)", [.text(name), .int(Int64(timeoutSeconds))]).first?.first
            } catch {
                release(held, on: db)
                throw error
            }
            guard got?.intValue == 1 else {
                release(held, on: db)
                throw .busy(
                    target: db.target,
                    reason: "another job has been writing the same DataCollections for over \(timeoutSeconds) s "
                        + "(named lock \(name) not granted); try again when it has finished")
            }
            held.append(name)
        }
        return held
    }

    /// Releases locks `acquire` took, last first.
    static func release(_ held: [String], on db: SQLConnection) {
        for name in held.reversed() { _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(name)]) }
    }

    /// Runs `body` holding the named locks (MariaDB), releasing them afterwards.
    static func holding<T>(
        _ names: [String], on db: SQLConnection, _ body: () throws(StoreError) -> T
    ) throws(StoreError) -> T {
        let held = try acquire(names, on: db)
        defer { release(held, on: db) }
        return try body()
    }

    /// Runs one run's transaction, trying it again (after a pause of 0.2 s, 0.4 s, …) when
    /// the server rolled it back for a conflict with another transaction.
    static func retrying<T>(_ attempt: () throws(StoreError) -> T) throws(StoreError) -> T {
        var pause = 0.2
        for _ in 1..<attempts {
            do {
                return try attempt()
            } catch let error where error.isConflict {
                Thread.sleep(forTimeInterval: pause * Double.random(in: 1...1.5))
                pause *= 2
            }
        }
        return try attempt()
    }
}
