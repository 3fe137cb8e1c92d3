import XtalCore

/// Per-image results into ImageQualityIndicators, in multi-row INSERTs.
///
/// Mapping (CrystFEL → ISPyB; DLS maps DIALS' spot finding the same way, mx-results.md §6):
/// `num_peaks` → spotTotal, inResTotal and goodBraggCandidates (CrystFEL's peaks are already
/// its Bragg candidates); `peak_resolution` (Å) → method1Res and method2Res;
/// imageNumber = 0-based frame index + 1. Only images in the stream get a row.
/// DLS and SQLite key rows by (dataCollectionId, imageNumber): an existing row is updated
/// in place; ESRF has a surrogate key, so the program's earlier rows are deleted first.
struct ImageQualityWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let batchSize: Int

    static let mappedColumns = ["spotTotal", "inResTotal", "goodBraggCandidates", "method1Res", "method2Res"]

    func write(_ run: StoreJob.Run, dataCollectionId dc: Int64, programId: Int64) throws(StoreError) -> Int {
        guard let images = run.images, images.count > 0 else { return 0 }
        let frames = run.frameIndex ?? Array(0..<images.count)
        if flavour.qualityIndicatorsHaveSurrogateKey {
            try db.execute(
                "DELETE FROM ImageQualityIndicators WHERE dataCollectionId = ? AND autoProcProgramId = ?", [.int(dc), .int(programId)])
        }
        let mapped = Self.mappedColumns.filter { flavour.qualityIndicatorColumns.contains($0.lowercased()) }
        let columns = ["dataCollectionId", "imageNumber", "autoProcProgramId"] + mapped
        let rowPlaceholder = "(" + placeholders(columns.count) + ")"
        var suffix = ""
        if !flavour.qualityIndicatorsHaveSurrogateKey {
            let updates = (["autoProcProgramId"] + mapped)
            suffix = db.dialect == .mariadb
                ? " ON DUPLICATE KEY UPDATE " + updates.map { "\($0) = VALUES(\($0))" }.joined(separator: ", ")
                : " ON CONFLICT (dataCollectionId, imageNumber) DO UPDATE SET "
                    + updates.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        }
        // Per mapped column: true for a peak count, false for a resolution.
        let isPeakColumn = mapped.map { !$0.hasSuffix("Res") }
        var written = 0
        var start = 0
        while start < images.count {
            let end = min(images.count, start + batchSize)
            var values: [SQLValue] = []
            values.reserveCapacity((end - start) * columns.count)
            for row in start..<end {
                let peaks = images.numPeaks[row]
                let peakValue: SQLValue = peaks == UInt32.max ? .null : .int(Int64(peaks))
                let resolution = SQLValue.number(Double(images.peakResolution[row]))
                values += [.int(dc), .int(Int64(frames[row] + 1)), .int(programId)]
                for peakColumn in isPeakColumn { values.append(peakColumn ? peakValue : resolution) }
            }
            let sql = "INSERT INTO ImageQualityIndicators (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: rowPlaceholder, count: end - start).joined(separator: ", ") + suffix
            try db.execute(sql, values)
            written += end - start
            start = end
        }
        return written
    }
}
