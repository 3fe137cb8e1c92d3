import Foundation
import XtalCore

/// A run's rows in xtalreport's own tables (`ExtensionSchema`): counts and rates, the
/// honest-count check, histograms, time points and light − dark. The run row is found by
/// the idempotency key (dataCollectionId, jobName) and replaced with its children.
struct ExtensionWriter {
    let db: SQLConnection
    let job: StoreJob
    let flavour: ISPyBFlavour

    /// The per-image rows an earlier store of this job recorded for `dc`, if the store
    /// keeps them (`ExtensionSchema.imageRowsScript`).
    func storedImageRows(dataCollectionId dc: Int64) throws(StoreError) -> ImageRows? {
        guard flavour.hasImageRowsFingerprint else { return nil }
        let row = try db.query(
            "SELECT imageRows, imageRowsFingerprint FROM XtalReportRun WHERE dataCollectionId = ? AND jobName = ?",
            [.int(dc), .text(job.jobName)]
        ).first
        guard let row, let count = row[0].intValue, let fingerprint = row[1].stringValue else { return nil }
        return ImageRows(count: Int(count), fingerprint: fingerprint)
    }

    /// `imageRows`: the run's per-image rows now in the store (nil when none were written).
    func write(_ run: StoreJob.Run, dataCollectionId dc: Int64, programId: Int64, imageRows: ImageRows?) throws(StoreError) {
        try db.execute("DELETE FROM XtalReportRun WHERE dataCollectionId = ? AND jobName = ?", [.int(dc), .text(job.jobName)])
        let s = run.results.statistics
        let check = run.results.imageCheck
        var values: [SQLValue] = [
            .int(dc), .int(programId), .text(job.jobName), ColumnText.fitted(run.results.name, to: ExtensionSchema.nameWidth),
            ColumnText.fitted(job.experiment, to: ExtensionSchema.nameWidth),
            ColumnText.fitted(job.sample?.name, to: ExtensionSchema.nameWidth),
            ColumnText.fitted(job.visit, to: ExtensionSchema.visitWidth), .text(EngineInfo.current.version),
            .int(s.imagesCollected), .int(s.images), .int(s.chunks), .int(s.hits), .int(s.indexedFrames),
            .int(s.nonIndexedHits), .int(s.crystals), .int(s.multiLatticeFrames), .int(s.skippedImages),
            .number(s.hitRate), .number(s.indexingRateOfHits), .number(s.indexingRateOverall),
            .number(s.cell.a.mean), .number(s.cell.b.mean), .number(s.cell.c.mean), .number(s.cell.alpha.mean),
            .number(s.cell.beta.mean), .number(s.cell.gamma.mean), .number(s.resolutionLimit.distribution.median),
            .number(s.resolutionLimit.best), .int(run.results.accounting.malformedChunks),
            .int(run.results.accounting.incompleteChunks), .bool(check?.agrees), .text(check?.explanation),
            .text(job.summaryFile),
        ]
        var columns = """
            dataCollectionId, autoProcProgramId, jobName, runName, experiment, sampleName,
              visit, engineVersion, imagesCollected, imagesProcessed, chunks, hits, indexedFrames, nonIndexedHits,
              crystals, multiLatticeFrames, skippedImages, hitRate, indexingRateOfHits, indexingRateOverall, meanCellA,
              meanCellB, meanCellC, meanCellAlpha, meanCellBeta, meanCellGamma, medianResolution, bestResolution,
              malformedChunks, incompleteChunks, imageCountAgrees, imageCountExplanation, summaryFile
            """
        if flavour.hasImageRowsFingerprint {
            columns += ", imageRows, imageRowsFingerprint"
            values += [.int(imageRows?.count), .text(imageRows?.fingerprint)]
        }
        let runId = try db.insert("INSERT INTO XtalReportRun (\(columns)) VALUES (\(placeholders(values.count)))", values)
        try histograms(s, runId: runId)
        if let timed = run.results.timeResolved {
            try timePoints(timed.timePoints, runId: runId)
            if let comparison = timed.lightDark { try lightDark(comparison, runId: runId) }
        }
    }

    private func histograms(_ s: RunStatistics, runId: Int64) throws(StoreError) {
        var rows: [(String, String, DistributionSummary)] = s.cell.all.map {
            ($0.name, ["a", "b", "c"].contains($0.name) ? "Å" : "deg", $0.summary)
        }
        rows += [("resolution", "Å", s.resolutionLimit.distribution), ("peaks", "", s.peaksPerFrame)]
        for (quantity, unit, summary) in rows {
            try db.execute(
                "INSERT INTO XtalReportHistogram (xtalreportRunId, quantity, unit, valueCount, mean, median, binEdges, binCounts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [.int(runId), .text(quantity), .text(unit), .int(summary.count), .number(summary.mean), .number(summary.median),
                 .text(Self.json(summary.histogram?.edges ?? [])), .text(Self.json((summary.histogram?.counts ?? []).map(Double.init)))])
        }
    }

    private func timePoints(_ points: [TimePointStatistics], runId: Int64) throws(StoreError) {
        for p in points {
            let s = p.statistics
            try db.execute(
                """
                INSERT INTO XtalReportTimePoint (xtalreportRunId, label, laserOn, delay, delaySource, dosePoint,
                  imagesCollected, imagesProcessed, hits, indexedFrames, crystals, hitRate, indexingRateOfHits, meanCellA,
                  meanCellB, meanCellC, meanCellAlpha, meanCellBeta, meanCellGamma)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.int(runId), ColumnText.fitted(p.label, to: ExtensionSchema.labelWidth), .bool(p.laserOn), .number(p.delay), .text(p.delaySource), .int(p.dosePoint),
                 .int(p.imagesCollected), .int(s.images), .int(s.hits), .int(s.indexedFrames), .int(s.crystals),
                 .number(s.hitRate), .number(s.indexingRateOfHits), .number(s.cell.a.mean), .number(s.cell.b.mean),
                 .number(s.cell.c.mean), .number(s.cell.alpha.mean), .number(s.cell.beta.mean), .number(s.cell.gamma.mean)])
        }
    }

    private func lightDark(_ c: LightDarkComparison, runId: Int64) throws(StoreError) {
        for d in c.differences {
            try db.execute(
                "INSERT INTO XtalReportLightDark (xtalreportRunId, quantity, unit, light, dark, difference, uncertainty, sigmas) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [.int(runId), .text(d.quantity), .text(d.unit), .number(d.light), .number(d.dark), .number(d.difference),
                 .number(d.uncertainty), .number(d.sigmas)])
        }
    }

    /// A JSON array of numbers (shortest round-trip text).
    static func json(_ values: [Double]) -> String {
        "[" + values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ",") + "]"
    }
}
