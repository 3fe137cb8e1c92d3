import Foundation
import XtalCore

/// Finds the DataCollection of a run — by the manifest's id, else by image directory and
/// file template (or prefix) — and, when asked, creates DataCollectionGroup,
/// DataCollection, SSXDataCollection and EventChain/Event rows from the manifest and the
/// master file's metadata.
struct CollectionLinker {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    /// The visit's BLSession, when the database has sessions and a visit was named.
    let sessionId: Int64?

    /// The found or created DataCollection and how.
    struct Link {
        var dataCollectionId: Int64
        var dataCollectionGroupId: Int64
        var how: String
    }

    /// `mx2427-1` → (proposal code `mx`, number `2427`, visit number 1).
    static func parseVisit(_ visit: String) -> (code: String, number: String, session: Int)? {
        guard let dash = visit.lastIndex(of: "-"), let session = Int(visit[visit.index(after: dash)...]) else { return nil }
        let proposal = visit[..<dash]
        guard let firstDigit = proposal.firstIndex(where: \.isNumber), firstDigit != proposal.startIndex,
            proposal[firstDigit...].allSatisfy(\.isNumber)
        else { return nil }
        return (String(proposal[..<firstDigit]), String(proposal[firstDigit...]), session)
    }

    /// The BLSession id of `visit`; throws naming it when it does not exist.
    static func session(_ db: SQLConnection, visit: String) throws(StoreError) -> Int64 {
        guard let parts = parseVisit(visit) else { throw .visitNotFound(visit) }
        let id = try db.scalar(
            """
            SELECT s.sessionId FROM BLSession s JOIN Proposal p ON p.proposalId = s.proposalId
            WHERE p.proposalCode = ? AND p.proposalNumber = ? AND s.visit_number = ?
            """, [.text(parts.code), .text(parts.number), .int(Int64(parts.session))])
        guard let value = id?.intValue else { throw .visitNotFound(visit) }
        return value
    }

    /// Image directory (with the trailing slash ISPyB expects), file template and prefix.
    static func files(of master: String) -> (directory: String, template: String, prefix: String) {
        let url = URL(fileURLWithPath: master)
        let name = url.lastPathComponent
        var prefix = name
        for suffix in ["_master.h5", ".nxs", ".h5"] where prefix.hasSuffix(suffix) {
            prefix = String(prefix.dropLast(suffix.count))
            break
        }
        return (url.deletingLastPathComponent().path + "/", name, prefix)
    }

    /// The run's DataCollection, found; nil when nothing matches.
    func find(_ run: StoreJob.Run, jobName: String) throws(StoreError) -> Link? {
        if let id = run.dataCollectionId {
            guard let row = try db.query(
                "SELECT dataCollectionId, dataCollectionGroupId FROM DataCollection WHERE dataCollectionId = ?", [.int(id)]
            ).first, let dc = row[0].intValue, let dcg = row[1].intValue else {
                throw .noDataCollection(run: run.results.name, reason: "data_collection_id \(id) does not exist")
            }
            return Link(dataCollectionId: dc, dataCollectionGroupId: dcg, how: "manifest id")
        }
        guard let master = run.master else { return try createdBefore(run, jobName: jobName) }
        let f = Self.files(of: master)
        let session = sessionId == nil ? "" : " AND g.sessionId = ?"
        let sessionParameter: [SQLValue] = sessionId.map { [.int($0)] } ?? []
        let base = """
            SELECT dc.dataCollectionId, dc.dataCollectionGroupId FROM DataCollection dc
            JOIN DataCollectionGroup g ON g.dataCollectionGroupId = dc.dataCollectionGroupId
            """
        for (column, value, how) in [("fileTemplate", f.template, "file template"), ("imagePrefix", f.prefix, "prefix")] {
            if let row = try db.query(
                base + " WHERE dc.imageDirectory = ? AND dc.\(column) = ?\(session) ORDER BY dc.dataCollectionId DESC LIMIT 1",
                [flavour.fit(f.directory, table: "DataCollection"), flavour.fit(value, table: "DataCollection")] + sessionParameter
            ).first, let dc = row[0].intValue, let dcg = row[1].intValue {
                return Link(dataCollectionId: dc, dataCollectionGroupId: dcg, how: "matched image directory + \(how)")
            }
        }
        return nil
    }

    /// A collection this job created for a run without a master file or id (no image
    /// directory, the run's name as template), found by the job's own program on it.
    private func createdBefore(_ run: StoreJob.Run, jobName: String) throws(StoreError) -> Link? {
        let row = try db.query(
            """
            SELECT dc.dataCollectionId, dc.dataCollectionGroupId FROM DataCollection dc
            JOIN AutoProcIntegration i ON i.dataCollectionId = dc.dataCollectionId
            JOIN AutoProcProgram p ON p.autoProcProgramId = i.autoProcProgramId
            WHERE dc.imageDirectory = '' AND dc.fileTemplate = ? AND p.processingPrograms = ? AND p.processingEnvironment = ?
            ORDER BY dc.dataCollectionId DESC LIMIT 1
            """,
            [flavour.fit(run.results.name, table: "DataCollection"), .text(ProgramWriter.programName),
             flavour.fit(jobName, table: "AutoProcProgram")]
        ).first
        guard let row, let dc = row[0].intValue, let dcg = row[1].intValue else { return nil }
        return Link(dataCollectionId: dc, dataCollectionGroupId: dcg, how: "created by an earlier run of this job")
    }

    /// ISPyB experiment type from the sample support and the metadata.
    static func experimentType(support: String?, metadata: RunMetadata?) -> String {
        if metadata?.sample.rotation != nil { return "OSC" }
        switch support?.lowercased() {
        case "chip", "fixed", "fixed target": return "SSX-Chip"
        case "jet", "extruder", "tape", "injector", "lcp": return "SSX-Jet"
        default: return "Still"
        }
    }

    /// A new DataCollectionGroup for the job.
    func createGroup(job: StoreJob, first run: StoreJob.Run, sampleId: Int64?) throws(StoreError) -> Int64 {
        let type = Self.experimentType(support: job.sample?.support, metadata: run.results.metadata)
        var columns = ["sessionId", "experimentType", "blSampleId", "startTime", "endTime", "comments"]
        var values: [SQLValue] = [
            sessionId.map { .int($0) } ?? .null, .text(type), sampleId.map { .int($0) } ?? .null,
            .text(Self.sqlTime(run.results.metadata?.startTime)), .text(Self.sqlTime(run.results.metadata?.endTime)),
            flavour.fit(
                "xtalreport: experiment \(job.experiment)" + (job.sample.map { ", sample \($0.name)" } ?? ""),
                table: "DataCollectionGroup", column: "comments"),
        ]
        if flavour.hasExperimentTypeTable,
            let typeId = try db.scalar("SELECT experimentTypeId FROM ExperimentType WHERE name = ?", [.text(type)])?.intValue
        {
            columns.append("experimentTypeId")
            values.append(.int(typeId))
        }
        return try db.insert(
            "INSERT INTO DataCollectionGroup (\(columns.joined(separator: ", "))) VALUES (\(placeholders(values.count)))", values)
    }

    /// A new DataCollection for `run` in `groupId`, from the master file's metadata.
    func createCollection(_ run: StoreJob.Run, groupId: Int64, number: Int, sampleId: Int64?, notes: inout [String])
        throws(StoreError) -> Int64
    {
        let m = run.results.metadata
        let f = run.master.map(Self.files) ?? (directory: "", template: run.results.name, prefix: run.results.name)
        var prefix = f.prefix
        if let limit = flavour.imagePrefixLength, prefix.count > limit {
            notes.append("run \(run.results.name): image prefix '\(prefix)' cut to \(limit) characters (DataCollection.imagePrefix)")
            prefix = String(prefix.prefix(limit))
        }
        let d = m?.detector
        let pixelX = d?.pixelSizeX?.value
        let pixelY = d?.pixelSizeY?.value
        let values: [SQLValue] = [
            .int(groupId), sessionId.map { .int($0) } ?? .null, sampleId.map { .int($0) } ?? .null, .int(Int64(number)),
            .text(Self.sqlTime(m?.startTime)), .text(Self.sqlTime(m?.endTime)), .text("DataCollection Successful"),
            .int(run.results.statistics.imagesCollected), .int(1), .number(d?.countTime?.value),
            flavour.fit(f.directory, table: "DataCollection"), flavour.fit(prefix, table: "DataCollection"),
            flavour.fit(f.template, table: "DataCollection"), .number(m?.beam.wavelength?.value),
            .number(d?.distance?.value),
            .number(d?.beamCentreX.flatMap { c in pixelX.map { c.value * $0 } }),
            .number(d?.beamCentreY.flatMap { c in pixelY.map { c.value * $0 } }),
            // ISPyB stores transmission in percent (DLS); the metadata holds a fraction.
            .number(m?.beam.transmission.map { $0.value * 100 }), .number(m?.beam.flux?.value),
            .number(m?.sample.rotation?.start), .number(m?.sample.rotation?.increment),
            flavour.fit("written by xtalreport from \(run.master ?? "the manifest")", table: "DataCollection", column: "comments"),
        ]
        return try db.insert(
            """
            INSERT INTO DataCollection (dataCollectionGroupId, SESSIONID, BLSAMPLEID, dataCollectionNumber, startTime,
              endTime, runStatus, numberOfImages, startImageNumber, exposureTime, imageDirectory, imagePrefix,
              fileTemplate, wavelength, detectorDistance, xBeam, yBeam, transmission, flux, axisStart, axisRange, comments)
            VALUES (\(placeholders(values.count)))
            """, values)
    }

    /// The SSX row of a created collection and its event chain (ISPyB offsets: every start
    /// on one clock, so a pump's offset is written as its start, whatever the source's
    /// convention).
    func writeSSX(dataCollectionId dc: Int64, experiment: String, support: String?, chain: EventChain?) throws(StoreError) {
        if try db.scalar("SELECT dataCollectionId FROM SSXDataCollection WHERE dataCollectionId = ?", [.int(dc)]) == nil {
            try db.execute(
                "INSERT INTO SSXDataCollection (dataCollectionId, experimentName, chipModel) VALUES (?, ?, ?)",
                [.int(dc), flavour.fit(experiment, table: "SSXDataCollection", column: "experimentName"),
                 support?.lowercased() == "chip" ? .text("chip") : .null])
        }
        guard let chain else { return }
        let existing = try db.query("SELECT eventChainId, name FROM EventChain WHERE dataCollectionId = ?", [.int(dc)])
        if existing.contains(where: { $0[1].stringValue != chain.name }) { return }  // the acquisition wrote its own
        try db.execute("DELETE FROM EventChain WHERE dataCollectionId = ? AND name = ?", [.int(dc), .text(chain.name)])
        let chainId = try db.insert("INSERT INTO EventChain (dataCollectionId, name) VALUES (?, ?)", [.int(dc), .text(chain.name)])
        for event in chain.events {
            guard let typeId = try db.scalar("SELECT eventTypeId FROM EventType WHERE name = ?", [.text(event.type.rawValue)])?.intValue
            else { throw .missingSchema(database: db.target, missing: ["EventType row '\(event.type.rawValue)'"]) }
            let offset = event.type.isPump ? chain.convention.pumpStart(written: event.offset) : event.offset
            try db.execute(
                "INSERT INTO Event (eventChainId, eventTypeId, name, `offset`, duration, period, repetition) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [.int(chainId), .int(typeId), .text(event.name), .number(offset), .number(event.duration), .number(event.period),
                 .number(event.repetition)])
        }
    }

    /// The sample's BLSample id in the visit's proposal, when it exists.
    func sampleId(_ sample: SampleInfo?) throws(StoreError) -> Int64? {
        guard let sample, let sessionId, flavour.hasSessions else { return nil }
        return try db.scalar(
            """
            SELECT b.blSampleId FROM BLSample b JOIN Crystal c ON c.crystalId = b.crystalId
            JOIN Protein p ON p.proteinId = c.proteinId JOIN BLSession s ON s.proposalId = p.proposalId
            WHERE s.sessionId = ? AND b.name = ? ORDER BY b.blSampleId DESC LIMIT 1
            """, [.int(sessionId), flavour.fit(sample.name, table: "BLSample")])?.intValue
    }

    /// `YYYY-MM-DD hh:mm:ss` (UTC) for DATETIME columns.
    static func sqlTime(_ time: MetadataTime?) -> String? {
        guard let utc = time?.utc, utc.count >= 19 else { return nil }
        return utc.prefix(19).replacingOccurrences(of: "T", with: " ")
    }
}

/// `?, ?, …` for `n` parameters.
func placeholders(_ n: Int) -> String {
    Array(repeating: "?", count: n).joined(separator: ", ")
}
