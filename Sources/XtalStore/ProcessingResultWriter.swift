import XtalCore

/// A rotation run's processing results (ISPyB XML, fast_dp.json, xia2.txt, …) into ISPyB's
/// AutoProc tables, row for row as ispyb-api's importer (`ispyb.xmltools.
/// mx_data_reduction_to_ispyb` through DLS's stored procedures) writes an AutoProcContainer:
/// AutoProcProgram (programs, command line), its attachments, one AutoProc (space group,
/// cell), per scaling one AutoProcScaling with its shells' AutoProcScalingStatistics
/// (outer, inner, overall, in that order), per integration an AutoProcIntegration and its
/// AutoProcScaling_has_Int link. Where the rows differ, docs/store.md says why: autoPROC's
/// repeated scalings are one (mx-results.md §1.5 rule 2), units are normalised (rule 4),
/// and values the importer leaves out (rotation axis, beam vector, partial bias, comments,
/// STARANISO's ellipsoid at ESRF) are kept.
///
/// Idempotent: a result already stored for the DataCollection (same programs and command
/// line) is left as it is.
struct ProcessingResultWriter {
    let db: SQLConnection
    let flavour: ISPyBFlavour
    let columns: TableColumns

    /// Writes the results not stored yet; returns how many were written.
    func write(_ results: [ProcessingResult], dataCollectionId dc: Int64, notes: inout [String]) throws(StoreError) -> Int {
        var written = 0
        for result in results {
            let programs = flavour.fit(result.program?.programs.map { String($0.prefix(255)) }, table: "AutoProcProgram")
            let command = flavour.fit(result.program?.commandLine.map { String($0.prefix(255)) }, table: "AutoProcProgram")
            if try isStored(programs: programs, command: command, dataCollectionId: dc) { continue }
            try write(result, programs: programs, command: command, dataCollectionId: dc, notes: &notes)
            written += 1
        }
        return written
    }

    private func isStored(programs: SQLValue, command: SQLValue, dataCollectionId dc: Int64) throws(StoreError) -> Bool {
        let found = try db.scalar(
            """
            SELECT p.autoProcProgramId FROM AutoProcProgram p
            JOIN AutoProcIntegration i ON i.autoProcProgramId = p.autoProcProgramId
            WHERE i.dataCollectionId = ?
              AND (p.processingPrograms = ? OR (p.processingPrograms IS NULL AND ? IS NULL))
              AND (p.processingCommandLine = ? OR (p.processingCommandLine IS NULL AND ? IS NULL))
            LIMIT 1
            """, [.int(dc), programs, programs, command, command])
        return found != nil
    }

    private func write(
        _ result: ProcessingResult, programs: SQLValue, command: SQLValue, dataCollectionId dc: Int64, notes: inout [String]
    ) throws(StoreError) {
        let now = SQLValue.text(ProgramWriter.sqlNow())
        var program: [(String, SQLValue)] = [("processingCommandLine", command), ("processingPrograms", programs), ("recordTimeStamp", now)]
        if flavour.programHasDataCollectionId { program.append(("dataCollectionId", .int(dc))) }
        let programId = try columns.insert(into: "AutoProcProgram", program)
        for attachment in result.attachments {
            try columns.insert(
                into: "AutoProcProgramAttachment",
                [("autoProcProgramId", .int(programId)),
                 ("fileName", flavour.fit(attachment.fileName, table: "AutoProcProgramAttachment", column: "fileName")),
                 ("filePath", flavour.fit(attachment.filePath, table: "AutoProcProgramAttachment", column: "filePath")),
                 ("fileType", .text(attachment.fileType)), ("recordTimeStamp", now)])
        }
        let cell = result.cell
        let autoProcId = try columns.insert(
            into: "AutoProc",
            [("autoProcProgramId", .int(programId)), ("spaceGroup", .text(result.spaceGroup)),
             ("refinedCell_a", .number(cell?.a)), ("refinedCell_b", .number(cell?.b)), ("refinedCell_c", .number(cell?.c)),
             ("refinedCell_alpha", .number(cell?.alpha)), ("refinedCell_beta", .number(cell?.beta)),
             ("refinedCell_gamma", .number(cell?.gamma)), ("recordTimeStamp", now)])
        // A result without a scaling still gets its integration row, which links it to the collection.
        let scalings = result.scalings.isEmpty ? [Scaling()] : result.scalings
        for scaling in scalings {
            var header: [(String, SQLValue)] = [("autoProcId", .int(autoProcId)), ("recordTimeStamp", now)]
            for (index, value) in (scaling.ellipsoidAxes ?? []).enumerated() {
                header.append(("resolutionEllipsoidAxis\(index / 3 + 1)\(index % 3 + 1)", .number(value)))
            }
            for (index, value) in (scaling.ellipsoidLimits ?? []).enumerated() {
                header.append(("resolutionEllipsoidValue\(index + 1)", .number(value)))
            }
            let scalingId = try columns.insert(into: "AutoProcScaling", header)
            for kind in [ShellKind.outerShell, .innerShell, .overall] {
                guard let shell = scaling.shells[kind] else { continue }
                try columns.insert(
                    into: "AutoProcScalingStatistics", Self.statistics(shell, kind: kind, scalingId: scalingId, now: now, flavour: flavour))
            }
            let integrations = scaling.integrations.isEmpty ? [Integration()] : scaling.integrations
            for integration in integrations {
                if let written = integration.dataCollectionId, Int64(written) != dc {
                    notes.append(
                        "\(result.file): its integration names DataCollection \(written); stored with the run's DataCollection \(dc)")
                }
                let integrationId = try columns.insert(into: "AutoProcIntegration", self.integration(integration, dataCollectionId: dc, programId: programId, now: now))
                try columns.insert(
                    into: "AutoProcScaling_has_Int",
                    [("autoProcScalingId", .int(scalingId)), ("autoProcIntegrationId", .int(integrationId)), ("recordTimeStamp", now)])
            }
        }
    }

    /// One AutoProcScalingStatistics row (columns a flavour lacks are left out on insert);
    /// also the rows of merged datasets (`MergedDatasetWriter`).
    static func statistics(
        _ s: ShellStatistics, kind: ShellKind, scalingId: Int64, now: SQLValue, flavour: ISPyBFlavour
    ) -> [(String, SQLValue)] {
        let count = { (n: Int?) in n.map { SQLValue.int(Int64($0)) } ?? .null }
        return [
            ("autoProcScalingId", .int(scalingId)), ("scalingStatisticsType", .text(kind.rawValue)),
            ("comments", flavour.fit(s.comments, table: "AutoProcScalingStatistics", column: "comments")),
            ("resolutionLimitLow", .number(s.resolutionLimitLow)), ("resolutionLimitHigh", .number(s.resolutionLimitHigh)),
            ("rMerge", .number(s.rMerge)), ("rMeasWithinIPlusIMinus", .number(s.rMeasWithinIPlusIMinus)),
            ("rMeasAllIPlusIMinus", .number(s.rMeasAllIPlusIMinus)), ("rPimWithinIPlusIMinus", .number(s.rPimWithinIPlusIMinus)),
            ("rPimAllIPlusIMinus", .number(s.rPimAllIPlusIMinus)), ("fractionalPartialBias", .number(s.fractionalPartialBias)),
            ("nTotalObservations", count(s.nTotalObservations)), ("nTotalUniqueObservations", count(s.nTotalUniqueObservations)),
            ("meanIOverSigI", .number(s.meanIOverSigI)), ("completeness", .number(s.completeness)),
            ("multiplicity", .number(s.multiplicity)), ("anomalousCompleteness", .number(s.anomalousCompleteness)),
            ("anomalousMultiplicity", .number(s.anomalousMultiplicity)), ("anomalous", .int(s.anomalous == true ? 1 : 0)),
            ("ccHalf", .number(s.ccHalf)), ("ccAnomalous", .number(s.ccAnomalous)), ("ccAno", .number(s.ccAnomalous)),
            ("completenessSpherical", .number(s.completenessSpherical)),
            ("completenessEllipsoidal", .number(s.completenessEllipsoidal)),
            ("anomalousCompletenessSpherical", .number(s.anomalousCompletenessSpherical)),
            ("anomalousCompletenessEllipsoidal", .number(s.anomalousCompletenessEllipsoidal)),
            ("sigAno", .text(s.sigAno)), ("isa", .text(s.isa)), ("recordTimeStamp", now),
        ]
    }

    private func integration(_ i: Integration, dataCollectionId dc: Int64, programId: Int64, now: SQLValue) -> [(String, SQLValue)] {
        var pairs: [(String, SQLValue)] = [
            ("dataCollectionId", .int(dc)), ("autoProcProgramId", .int(programId)),
            ("startImageNumber", i.startImageNumber.map { .int(Int64($0)) } ?? .null),
            ("endImageNumber", i.endImageNumber.map { .int(Int64($0)) } ?? .null),
            ("refinedDetectorDistance", .number(i.refinedDetectorDistance)),
            ("refinedXBeam", .number(i.refinedXBeam)), ("refinedYBeam", .number(i.refinedYBeam)),
            ("cell_a", .number(i.cell?.a)), ("cell_b", .number(i.cell?.b)), ("cell_c", .number(i.cell?.c)),
            ("cell_alpha", .number(i.cell?.alpha)), ("cell_beta", .number(i.cell?.beta)), ("cell_gamma", .number(i.cell?.gamma)),
            ("anomalous", .int(i.anomalous == true ? 1 : 0)), ("recordTimeStamp", now),
        ]
        for (name, vector) in [("rotationAxis", i.rotationAxis), ("beamVector", i.beamVector)] {
            guard let vector, vector.count == 3 else { continue }
            pairs += zip(["X", "Y", "Z"], vector).map { (name + $0.0, SQLValue.number($0.1)) }
        }
        return pairs
    }
}
