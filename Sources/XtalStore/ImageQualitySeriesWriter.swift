import XtalCore

/// A run's per-image quality files (Dozor, DIALS) into ImageQualityIndicators, mapped as
/// DLS maps them (mx-results.md §6): DIALS per-image analysis → spotTotal and inResTotal ←
/// n_spots_total, goodBraggCandidates ← n_spots_no_ice, method1Res and method2Res ←
/// estimated_d_min, totalIntegratedSignal ← total_intensity; Dozor → dozor_score ← the
/// main score (as dlstbx stores it). As DLS's `upsert_quality_indicators` does, which lets
/// Dozor and spot finding fill one row each with their own columns, a new value replaces
/// the row's and an absent one leaves it (`IFNULL(new, old)`) — except that a run with a
/// stream keeps the stream's peak columns (`spotTotal`, `inResTotal`,
/// `goodBraggCandidates`, `method1Res`, `method2Res`) and only fills them where empty.
struct ImageQualitySeriesWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let batchSize: Int

    static let columns = [
        "spotTotal", "inResTotal", "goodBraggCandidates", "method1Res", "method2Res", "totalIntegratedSignal", "dozor_score",
        "iceRings", "maxUnitCell", "pctSaturationTop50Peaks", "inResolutionOvrlSpots", "binPopCutOffMethod2Res",
    ]

    /// The row values of one image, in `columns` order.
    static func values(_ image: ImageQuality, format: ImageQualityFormat) -> [SQLValue] {
        let count = { (n: Int?) in n.map { SQLValue.int(Int64($0)) } ?? .null }
        let none: [SQLValue] = [.null, .null, .null, .null, .null]
        switch format {
        case .dialsPerImage:
            return [count(image.spots), count(image.spots), count(image.spotsNoIce), .number(image.estimatedDMin),
                    .number(image.estimatedDMin), .number(image.totalIntensity), .null] + none
        case .dozorLog, .dozorJSON:
            return [.null, .null, .null, .null, .null, .null, .number(image.dozorScore)] + none
        case .ednaXML:
            // EDNA's own column names, one to one.
            return [count(image.spots), count(image.inResTotal), count(image.spotsNoIce), .number(image.dMinDistlMethod1),
                    .number(image.dMinDistlMethod2), .number(image.totalIntensity), .number(image.dozorScore),
                    count(image.iceRings), .number(image.maxUnitCell), .number(image.pctSaturationTop50Peaks),
                    count(image.inResolutionOvrlSpots), .number(image.binPopCutOffMethod2Res)]
        }
    }

    /// The columns a stream's rows also fill.
    static let streamColumns: Set<String> = ["spotTotal", "inResTotal", "goodBraggCandidates", "method1Res", "method2Res"]


    /// Writes every file's rows; returns the images of the largest file (the rows it touched).
    /// An image number ImageQualityIndicators cannot hold (below 1, above mediumint's
    /// 16,777,215) is left out and named in `notes`.
    func write(
        _ series: [ImageQualitySeries], dataCollectionId dc: Int64, programId: Int64, streamRows: Bool, notes: inout [String]
    ) throws(StoreError) -> Int {
        let kept = Self.columns.indices.filter { flavour.qualityIndicatorColumns.contains(Self.columns[$0].lowercased()) }
        let names = kept.map { Self.columns[$0] }
        // (new, old): which value a column takes when both are there.
        let prefer = { (name: String, new: String) -> String in
            streamRows && Self.streamColumns.contains(name) ? "COALESCE(\(name), \(new))" : "COALESCE(\(new), \(name))"
        }
        var written = 0
        for file in series {
            let images = file.images.filter { $0.imageNumber > 0 && $0.imageNumber <= 16_777_215 }  // mediumint unsigned
            if images.count < file.images.count {
                notes.append(
                    "\(file.file): \(file.images.count - images.count) image(s) numbered outside 1…16,777,215 have no ImageQualityIndicators row")
            }
            written = max(written, images.count)
            if flavour.qualityIndicatorsHaveSurrogateKey {
                try updateOrInsert(images, format: file.format, kept: kept, names: names, dc: dc, programId: programId, prefer: prefer)
                continue
            }
            let columns = ["dataCollectionId", "imageNumber", "autoProcProgramId"] + names
            let row = "(" + placeholders(columns.count) + ")"
            let keep = db.dialect == .mariadb
                ? " ON DUPLICATE KEY UPDATE " + names.map { "\($0) = \(prefer($0, "VALUES(\($0))"))" }.joined(separator: ", ")
                : " ON CONFLICT (dataCollectionId, imageNumber) DO UPDATE SET "
                    + names.map { "\($0) = \(prefer($0, "excluded.\($0)"))" }.joined(separator: ", ")
            var start = 0
            while start < images.count {
                let end = min(images.count, start + batchSize)
                var values: [SQLValue] = []
                for image in images[start..<end] {
                    let all = Self.values(image, format: file.format)
                    values += [.int(dc), .int(Int64(image.imageNumber)), .int(programId)] + kept.map { all[$0] }
                }
                try db.execute(
                    "INSERT INTO ImageQualityIndicators (\(columns.joined(separator: ", "))) VALUES "
                        + Array(repeating: row, count: end - start).joined(separator: ", ") + keep, values)
                start = end
            }
        }
        return written
    }

    /// ESRF keys rows by a surrogate id: fill the columns of an existing row of the image,
    /// else insert one.
    private func updateOrInsert(
        _ images: [ImageQuality], format: ImageQualityFormat, kept: [Int], names: [String], dc: Int64, programId: Int64,
        prefer: (String, String) -> String
    ) throws(StoreError) {
        let update = "UPDATE ImageQualityIndicators SET " + names.map { "\($0) = \(prefer($0, "?"))" }.joined(separator: ", ")
            + " WHERE dataCollectionId = ? AND imageNumber = ?"
        let insert = "INSERT INTO ImageQualityIndicators (dataCollectionId, imageNumber, autoProcProgramId, "
            + names.joined(separator: ", ") + ") VALUES (" + placeholders(3 + names.count) + ")"
        for image in images {
            let all = Self.values(image, format: format)
            let values = kept.map { all[$0] }
            // Found by a query: MariaDB counts an UPDATE that changes nothing as 0 rows.
            let key: [SQLValue] = [.int(dc), .int(Int64(image.imageNumber))]
            if try db.scalar("SELECT 1 FROM ImageQualityIndicators WHERE dataCollectionId = ? AND imageNumber = ? LIMIT 1", key) != nil {
                try db.execute(update, values + key)
            } else {
                try db.execute(insert, [.int(dc), .int(Int64(image.imageNumber)), .int(programId)] + values)
            }
        }
    }
}
