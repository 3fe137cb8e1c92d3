import XtalCore

/// Per-image results into ImageQualityIndicators, column batches through `insertRows`.
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
    /// Rows handed to the connection at a time (MariaDB sends them as one bulk packet, of
    /// about 1.5 MB at this size).
    static let rowsPerBatch = 20_000

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
        let head = "INSERT INTO ImageQualityIndicators (\(columns.joined(separator: ", "))) VALUES"
        var suffix = ""
        if !flavour.qualityIndicatorsHaveSurrogateKey {
            let updates = (["autoProcProgramId"] + mapped)
            suffix = db.dialect == .mariadb
                ? " ON DUPLICATE KEY UPDATE " + updates.map { "\($0) = VALUES(\($0))" }.joined(separator: ", ")
                : " ON CONFLICT (dataCollectionId, imageNumber) DO UPDATE SET "
                    + updates.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        }
        var written = 0
        var start = 0
        while start < images.count {
            let end = min(images.count, start + Self.rowsPerBatch)
            let rows = start..<end
            let peaks = images.numPeaks[rows]
            let peakColumn = ColumnBatch.Column.integers(
                peaks.map { Int64($0) }, nulls: peaks.contains(UInt32.max) ? peaks.map { $0 == UInt32.max } : nil)
            let resolutions = images.peakResolution[rows].map { Double($0) }
            let resolutionColumn = ColumnBatch.Column.reals(
                resolutions, nulls: resolutions.allSatisfy(\.isFinite) ? nil : resolutions.map { !$0.isFinite })
            var batch = ColumnBatch(columns: [
                ColumnBatch.repeating(dc, count: rows.count),
                .integers(frames[rows].map { Int64($0 + 1) }, nulls: nil),
                ColumnBatch.repeating(programId, count: rows.count),
            ])
            // Per mapped column: a peak count, or a resolution (the name ends in "Res").
            for column in mapped { batch.columns.append(column.hasSuffix("Res") ? resolutionColumn : peakColumn) }
            try db.insertRows(head, suffix: suffix, batch)
            written += rows.count
            start = end
        }
        return written
    }
}
