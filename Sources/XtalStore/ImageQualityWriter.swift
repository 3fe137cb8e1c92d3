import XtalCore

/// Per-image results into ImageQualityIndicators, column batches through `insertRows`.
///
/// Mapping (CrystFEL → ISPyB; DLS maps DIALS' spot finding the same way, mx-results.md §6):
/// `num_peaks` → spotTotal, inResTotal and goodBraggCandidates (CrystFEL's peaks are already
/// its Bragg candidates); `peak_resolution` (Å) → method1Res and method2Res;
/// imageNumber = 0-based frame index + 1. Only images in the stream get a row.
/// DLS and SQLite key rows by (dataCollectionId, imageNumber): an existing row is updated
/// in place; ESRF has a surrogate key, so the program's earlier rows are deleted first.
///
/// A re-run whose rows are already there leaves them alone (`rowsInStore`): the run's row
/// in XtalReportRun keeps a fingerprint of what was written and how many rows it made.
struct ImageQualityWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    /// Rows handed to the connection at a time (MariaDB sends them as one bulk packet, of
    /// about 1.5 MB at this size).
    static let rowsPerBatch = 20_000

    static let mappedColumns = ["spotTotal", "inResTotal", "goodBraggCandidates", "method1Res", "method2Res"]

    /// What the run's rows are: how many the table holds after `write` (one per distinct
    /// image number, or per image where the key is a surrogate) and a fingerprint of every
    /// value written. Nil when the run has no per-image table.
    func expectedRows(_ run: StoreJob.Run, dataCollectionId dc: Int64, programId: Int64) -> ImageRows? {
        guard let images = run.images, images.count > 0 else { return nil }
        var hash = StableHash()
        hash.add("ImageQualityIndicators 1 \(dc) \(programId) \(flavour.qualityIndicatorsHaveSurrogateKey)")
        hash.add(Self.mappedColumns.filter { flavour.qualityIndicatorColumns.contains($0.lowercased()) }.joined(separator: ","))
        hash.add(contentsOf: images.numPeaks)
        hash.add(contentsOf: images.peakResolution)
        var count = images.count
        if let frames = run.frameIndex {
            hash.add(contentsOf: frames)
            if !flavour.qualityIndicatorsHaveSurrogateKey { count = Self.distinctCount(frames) }
        }
        return ImageRows(count: count, fingerprint: hash.hex)
    }

    /// How many rows of `dc` the table holds for `programId`.
    func rowsInStore(dataCollectionId dc: Int64, programId: Int64) throws(StoreError) -> Int {
        let count = try db.scalar(
            "SELECT COUNT(*) FROM ImageQualityIndicators WHERE dataCollectionId = ? AND autoProcProgramId = ?", [.int(dc), .int(programId)])
        return Int(count?.intValue ?? 0)
    }

    /// Distinct values (frame indices are ascending in every stream seen; others are sorted).
    static func distinctCount(_ values: [Int]) -> Int {
        let ascending = zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
        let sorted = ascending ? values : values.sorted()
        return sorted.isEmpty ? 0 : 1 + zip(sorted, sorted.dropFirst()).filter { $0 != $1 }.count
    }

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

/// A run's per-image rows as `ImageQualityWriter` writes them: their number and fingerprint.
struct ImageRows: Equatable {
    var count: Int
    var fingerprint: String
}
