import Foundation
import XtalCore

/// Tables of the rotation-MX pages, in the manner of the EXI / ISPyB summary: the
/// collection's parameters, one Table 1 per processing program, which program gave the
/// best result, the per-image quality files; on the experiment page, the rotation runs
/// beside the serial ones.
enum RotationTables {
    static let names = ["mx-runs", "mx-collection", "mx-processing", "mx-best", "mx-image-quality"]

    /// The rule the best result is chosen by, stated on the page.
    static let bestRule = "the highest resolution (overall high-resolution limit) among the results with overall completeness of at least 90 % and, where given, an outer-shell CC½ of at least 0.3; ties go to the higher overall CC½"

    static func make(_ name: String, _ scope: ReportScope) -> ReportTable? {
        switch name {
        case "mx-runs":
            let rotation = scope.results.runs.filter { $0.kind == .rotation }
            guard scope.run == nil, !rotation.isEmpty else { return nil }
            return ReportTable(
                headers: ["run", "best result", "space group", "resolution (Å)", "completeness", "CC½", "Rmerge", "images"],
                rows: rotation.map { run in
                    let best = bestResult(run.processing ?? [])
                    let overall = best?.statistics?.overall
                    return [
                        .init(text: run.name), .init(text: best.map(programName) ?? "–"), .init(text: best?.spaceGroup ?? "–"),
                        .init(text: range(overall)), .init(text: percent(overall?.completeness)),
                        .init(text: number(overall?.ccHalf, 3)), .init(text: number(overall?.rMerge, 3)),
                        .init(text: run.metadata?.images.map { "\($0.count)" } ?? run.imageQuality?.first.map { "\($0.images)" } ?? "–"),
                    ]
                })
        case "mx-collection":
            guard let run = scope.run, run.kind == .rotation, let m = run.metadata else { return nil }
            var rows: [[ReportTable.Cell]] = []
            func row(_ label: String, _ value: String?) {
                if let value { rows.append([.init(text: label), .init(text: value)]) }
            }
            row("images", m.images.map { "\($0.count)" })
            if let r = m.sample.rotation {
                row("oscillation", "\(number(r.start, 2))° start, \(number(r.increment, 3))° per image")
            }
            row("exposure", m.detector.countTime.map { "\(number($0.value, 4)) s" })
            row("transmission", m.beam.transmission.map { "\(number($0.value * 100, 1)) %" })
            row("energy", m.beam.energy.map { "\(number($0.value, 1)) eV" })
            row("wavelength", m.beam.wavelength.map { "\(number($0.value, 5)) Å" })
            row("flux", m.beam.flux.map { String(format: "%.3g photons/s", $0.value) })
            row("detector distance", m.detector.distance.map { "\(number($0.value, 1)) mm" })
            if let (edge, corner) = edgeAndCornerResolution(m) {
                row("resolution at edge / corner", "\(number(edge, 2)) / \(number(corner, 2)) Å")
            }
            var table = ReportTable(headers: ["", ""], rows: rows)
            table.isKeyValue = true
            return rows.isEmpty ? nil : table
        case "mx-processing":
            guard let run = scope.run, let results = run.processing, !results.isEmpty else { return nil }
            var rows: [[ReportTable.Cell]] = []
            for result in results {
                for (index, scaling) in result.scalings.enumerated() {
                    for (kind, label) in [(ShellKind.overall, "overall"), (.innerShell, "inner"), (.outerShell, "outer")] {
                        guard let s = scaling.shells[kind] else { continue }
                        let first = kind == .overall
                        rows.append([
                            .init(text: first ? programName(result) + (result.scalings.count > 1 ? " (\(index + 1))" : "") : ""),
                            .init(text: first ? (result.spaceGroup ?? "–") : ""), .init(text: label), .init(text: range(s)),
                            .init(text: percent(s.completeness)), .init(text: number(s.multiplicity, 1)),
                            .init(text: number(s.meanIOverSigI, 1)), .init(text: number(s.rMerge, 3)),
                            .init(text: number(s.rMeasWithinIPlusIMinus ?? s.rMeasAllIPlusIMinus, 3)),
                            .init(text: number(s.ccHalf, 3)), .init(text: percent(s.anomalousCompleteness)),
                            .init(text: number(s.anomalousMultiplicity, 1)), .init(text: number(s.ccAnomalous, 3)),
                            .init(text: first ? cell(result.cell) : ""),
                        ])
                    }
                }
            }
            return ReportTable(
                headers: ["program", "space group", "shell", "resolution (Å)", "completeness", "multiplicity", "⟨I/σ(I)⟩",
                          "Rmerge", "Rmeas", "CC½", "anom. completeness", "anom. multiplicity", "CC anom", "cell (Å, °)"],
                rows: rows)
        case "mx-best":
            guard let run = scope.run, let results = run.processing, !results.isEmpty else { return nil }
            let best = bestResult(results)
            var rows: [[ReportTable.Cell]] = [
                [.init(text: "best result"), .init(text: best.map { programName($0) + " (" + URL(fileURLWithPath: $0.file).lastPathComponent + ")" } ?? "none meets the rule")],
                [.init(text: "rule"), .init(text: bestRule)],
            ]
            for result in results where !result.normalisations.isEmpty {
                rows.append([.init(text: "units of \(programName(result))"), .init(text: result.normalisations.joined(separator: "; "))])
            }
            var table = ReportTable(headers: ["", ""], rows: rows)
            table.isKeyValue = true
            return table
        case "mx-image-quality":
            guard let run = scope.run, let files = run.imageQuality, !files.isEmpty else { return nil }
            return ReportTable(
                headers: ["file", "program", "images", "spots (median)", "resolution (median, Å)", "score (median)",
                          "more than N spots", "no results", "rows not read"],
                rows: files.map { q in
                    [
                        scope.fileCell([q.file]), .init(text: q.program ?? q.format.rawValue), .init(text: "\(q.images)"),
                        .init(text: number(q.spots.median, 0)), .init(text: number(q.resolution.median, 2)),
                        .init(text: number(q.dozorScore?.median, 1)), .init(text: "\(q.hits) (N = \(q.hitSpotCutoff))"),
                        .init(text: "\(q.imagesWithoutResults)"),
                        .init(text: "\(q.issuesTotal)", style: q.issuesTotal > 0 ? "background:#f6d5d2" : nil),
                    ]
                })
        default:
            return nil
        }
    }

    /// The best of `results` by `bestRule`, or nil when none meets it.
    static func bestResult(_ results: [ProcessingResult]) -> ProcessingResult? {
        let candidates = results.filter { r in
            guard let overall = r.statistics?.overall, let completeness = overall.completeness, overall.resolutionLimitHigh != nil else {
                return false
            }
            let outerCC = r.statistics?.outerShell?.ccHalf
            return completeness >= 90 && (outerCC.map { $0 >= 0.3 } ?? true)
        }
        return candidates.min { a, b in
            let (ra, rb) = (a.statistics!.overall!.resolutionLimitHigh!, b.statistics!.overall!.resolutionLimitHigh!)
            if ra != rb { return ra < rb }
            return (a.statistics?.overall?.ccHalf ?? 0) > (b.statistics?.overall?.ccHalf ?? 0)
        }
    }

    /// Resolution (Å) at the nearest detector edge and the farthest corner, from the
    /// beam centre (pixels), pixel size and distance (mm) and wavelength (Å): d = λ / (2 sin θ),
    /// 2θ = atan(r / distance).
    static func edgeAndCornerResolution(_ m: RunMetadata) -> (Double, Double)? {
        let d = m.detector
        guard let λ = m.beam.wavelength?.value, let distance = d.distance?.value, distance > 0,
            let bx = d.beamCentreX?.value, let by = d.beamCentreY?.value, let px = d.pixelSizeX?.value,
            let py = d.pixelSizeY?.value, let nx = d.pixelsX, let ny = d.pixelsY
        else { return nil }
        let w = Double(nx), h = Double(ny)
        let edge = min(bx, w - bx, by, h - by)
        let corner = [(0.0, 0.0), (w, 0), (0, h), (w, h)].map { hypot(($0.0 - bx) * px, ($0.1 - by) * py) }.max()!
        func resolution(_ r: Double) -> Double { λ / (2 * sin(atan(r / distance) / 2)) }
        guard edge > 0 else { return nil }
        return (resolution(edge * min(px, py)), resolution(corner))
    }

    static func programName(_ r: ProcessingResult) -> String {
        r.program?.programs.map { $0.components(separatedBy: " (")[0] } ?? r.producer.rawValue
    }

    static func range(_ s: ShellStatistics?) -> String {
        guard let low = s?.resolutionLimitLow, let high = s?.resolutionLimitHigh else { return "–" }
        return String(format: "%.2f–%.2f", low, high)
    }

    static func cell(_ c: UnitCell?) -> String {
        guard let c else { return "–" }
        return [c.a, c.b, c.c, c.alpha, c.beta, c.gamma].map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    static func percent(_ x: Double?) -> String { x.map { String(format: "%.1f %%", $0) } ?? "–" }

    static func number(_ x: Double?, _ decimals: Int) -> String { x.map { MergingTables.number($0, decimals) } ?? "–" }
}

/// Plots of a rotation run's page: spots, resolution estimate and score along the scan,
/// one line per per-image file; completeness and CC½ against resolution for the results
/// that give every resolution bin (iotbx merging statistics).
enum RotationPlots {
    static let names = ["mx-spots", "mx-scan-resolution", "mx-scan-score", "mx-completeness-resolution", "mx-cchalf-resolution"]

    static func make(_ name: String, _ scope: ReportScope) -> PlotSpec? {
        let palette = MergingPlots.palette
        if name == "mx-completeness-resolution" || name == "mx-cchalf-resolution" {
            guard let run = scope.run else { return nil }
            let binned = (run.processing ?? []).compactMap { r in r.scalings.first?.resolutionBins.map { (RotationTables.programName(r), $0) } }
            let lines = binned.prefix(palette.count).enumerated().compactMap { i, entry -> LineSeries? in
                let points = entry.1.compactMap { bin -> (Double, Double)? in
                    guard let low = bin.resolutionLimitLow, let high = bin.resolutionLimitHigh,
                        let y = name == "mx-cchalf-resolution" ? bin.ccHalf : bin.completeness
                    else { return nil }
                    return ((1 / low + 1 / high) / 2, y)
                }
                return points.isEmpty ? nil : LineSeries(name: entry.0, x: points.map(\.0), y: points.map(\.1), colour: palette[i])
            }
            guard !lines.isEmpty else { return nil }
            var spec = name == "mx-cchalf-resolution"
                ? PlotSpec(title: "CC½ against resolution", xLabel: "1/d (Å⁻¹)", yLabel: "CC½", kind: .lines(series: lines, yRange: 0...1))
                : PlotSpec(title: "Completeness against resolution", xLabel: "1/d (Å⁻¹)", yLabel: "completeness (%)",
                           kind: .lines(series: lines, yRange: 0...100))
            spec.width = 520
            spec.legendLowerLeft = true
            return spec
        }
        guard let run = scope.run, let files = run.imageQuality, !files.isEmpty else { return nil }
        func lines(_ values: (ImageQualitySequence) -> [Double?]) -> [LineSeries] {
            files.prefix(palette.count).enumerated().compactMap { i, q in
                let points = zip(q.alongScan.start, values(q.alongScan)).compactMap { x, y in y.map { (Double(x), $0) } }
                guard !points.isEmpty else { return nil }
                return LineSeries(name: q.program ?? q.format.rawValue, x: points.map(\.0), y: points.map(\.1), colour: palette[i])
            }
        }
        var spec: PlotSpec
        switch name {
        case "mx-spots":
            spec = PlotSpec(title: "Spots along the scan", xLabel: "image", yLabel: "spots (mean per window)", kind: .lines(series: lines(\.meanSpots), yRange: nil))
        case "mx-scan-resolution":
            let series = lines(\.meanResolution)
            guard !series.isEmpty else { return nil }
            spec = PlotSpec(title: "Resolution estimate along the scan", xLabel: "image", yLabel: "resolution (Å)", kind: .lines(series: series, yRange: nil))
        case "mx-scan-score":
            let series = lines(\.meanDozorScore)
            guard !series.isEmpty else { return nil }
            spec = PlotSpec(title: "Dozor score along the scan", xLabel: "image", yLabel: "main score (mean per window)", kind: .lines(series: series, yRange: nil))
        default:
            return nil
        }
        spec.width = 520
        return spec
    }
}
