import Foundation
import XtalCore

/// Tables of the Merging page: the datasets, a Table 1 per dataset (overall, lowest and
/// highest shell), light against dark, and how the merge was made.
enum MergingTables {
    static let names = ["merging-datasets", "merging-table1", "merging-light-dark", "merging-method"]

    static func make(_ name: String, _ scope: ReportScope) -> ReportTable? {
        guard scope.run == nil, let merging = scope.results.merging, !merging.datasets.isEmpty else { return nil }
        switch name {
        case "merging-datasets":
            return ReportTable(
                headers: ["dataset", "selection", "crystals", "images", "resolution (Å)", "completeness", "multiplicity",
                          "⟨I/σ(I)⟩", "CC½", "CC*", "Rsplit", "files"],
                rows: merging.datasets.map { d in
                    let o = d.overall, h = d.halfSetOverall
                    return [
                        .init(text: d.name), .init(text: selection(d)), .init(text: "\(d.crystals)"), .init(text: "\(d.images)"),
                        .init(text: String(format: "%.2f–%.2f", o.dMaxAngstrom, o.dMinAngstrom)),
                        .init(text: String(format: "%.2f %%", o.completenessPercent)), .init(text: String(format: "%.1f", o.redundancy)),
                        .init(text: String(format: "%.2f", o.meanSignalToNoise)), .init(text: number(h.cc, 4)),
                        .init(text: number(h.ccStar, 4)), .init(text: String(format: "%.2f %%", h.rSplitPercent)),
                        scope.fileCell(d.files),
                    ]
                })
        case "merging-table1":
            var rows: [[ReportTable.Cell]] = []
            for d in merging.datasets {
                let shells: [(String, MergeShellStatistics?, HalfSetShellStatistics?)] = [
                    ("overall", d.overall, d.halfSetOverall), ("lowest shell", d.shells.first, d.halfSetShells.first),
                    ("highest shell", d.shells.last, d.halfSetShells.last),
                ]
                for (label, check, halves) in shells {
                    guard let check, let halves else { continue }
                    rows.append([
                        .init(text: label == "overall" ? d.name : ""), .init(text: label),
                        .init(text: String(format: "%.2f–%.2f", check.dMaxAngstrom, check.dMinAngstrom)),
                        .init(text: "\(check.measured) / \(check.possible)"),
                        .init(text: String(format: "%.2f %%", check.completenessPercent)),
                        .init(text: String(format: "%.1f", check.redundancy)),
                        .init(text: String(format: "%.2f", check.meanSignalToNoise)),
                        .init(text: number(halves.cc, 4)), .init(text: number(halves.ccStar, 4)),
                        .init(text: number(halves.rSplitPercent, 2) + " %"),
                    ])
                }
            }
            return ReportTable(
                headers: ["dataset", "", "resolution (Å)", "unique / possible", "completeness", "multiplicity", "⟨I/σ(I)⟩",
                          "CC½", "CC*", "Rsplit"],
                rows: rows)
        case "merging-light-dark":
            guard !merging.lightDark.isEmpty else { return nil }
            return ReportTable(
                headers: ["light", "dark", "pairs", "CC(light, dark)", "CC½ light / dark", "R1(I)", "Rsplit formula",
                          "half-set Rsplit light / dark", "scale, B of dark"],
                rows: merging.lightDark.map { c in
                    let exceeds = c.overall.r1IPercent > max(c.firstRSplitPercent, c.secondRSplitPercent)
                    return [
                        .init(text: c.first), .init(text: c.second), .init(text: "\(c.pairs)"),
                        .init(text: number(c.overall.cc, 4), style: c.overall.cc < min(c.firstCCHalf, c.secondCCHalf) ? "font-weight:bold" : nil),
                        .init(text: number(c.firstCCHalf, 4) + " / " + number(c.secondCCHalf, 4)),
                        .init(text: number(c.overall.r1IPercent, 2) + " %", style: exceeds ? "font-weight:bold" : nil),
                        .init(text: number(c.overall.rSplitPercent, 2) + " %"),
                        .init(text: number(c.firstRSplitPercent, 2) + " / " + number(c.secondRSplitPercent, 2) + " %"),
                        .init(text: (c.relativeScale.map { number($0, 4) } ?? "–") + ", "
                            + (c.relativeBSquareAngstrom.map { number($0, 2) + " Å²" } ?? "–")),
                    ]
                })
        case "merging-method":
            let first = merging.datasets[0]
            var rows: [[ReportTable.Cell]] = [
                [.init(text: "model"), .init(text: merging.method)],
                [.init(text: "point group"), .init(text: "\(first.pointGroup) (\(first.pointGroupSource))")],
                [.init(text: "unit cell"), .init(text: first.cell.map { String(format: "%.2f", $0) }.joined(separator: " ")
                    + " (\(first.cellSource))")],
            ]
            if merging.malformedReflectionLines > 0 {
                rows.append([.init(text: "unreadable reflection lines"), .init(text: "\(merging.malformedReflectionLines) (listed with file and line in the run issues)", style: "background:#f6d5d2")])
            }
            var table = ReportTable(headers: ["", ""], rows: rows)
            table.isKeyValue = true
            return table
        default:
            return nil
        }
    }

    static func selection(_ d: MergedDatasetResults) -> String {
        var parts = [d.runs.count == 1 ? "run \(d.runs[0])" : "runs \(d.runs.joined(separator: ", "))"]
        if let tps = d.timePoints { parts.append("time point \(tps.joined(separator: ", "))") }
        if let laser = d.laser { parts.append("\(laser) images") }
        return parts.joined(separator: "; ")
    }

    static func number(_ x: Double, _ decimals: Int) -> String { x.isFinite ? String(format: "%.\(decimals)f", x) : "–" }
}

/// Plots of the Merging page: figures against resolution, CC½ as crystals accumulate, and
/// light against dark by shell.
enum MergingPlots {
    static let names = ["merging-cchalf", "merging-completeness", "merging-snr", "merging-accumulation", "merging-light-dark"]

    static let palette = ["#3a6ea5", "#e6842a", "#2e7d32", "#6a51a3", "#c9483e", "#17becf", "#8c564b", "#7f7f7f"].map(PlotColour.init(hex:))

    static func make(_ name: String, _ scope: ReportScope) -> PlotSpec? {
        guard scope.run == nil, let merging = scope.results.merging, !merging.datasets.isEmpty else { return nil }
        let datasets = Array(merging.datasets.prefix(palette.count))
        func series(_ label: (MergedDatasetResults) -> String, _ points: (MergedDatasetResults) -> [(Double, Double)]) -> [LineSeries] {
            datasets.enumerated().compactMap { i, d in
                let p = points(d).filter { $0.0.isFinite && $0.1.isFinite }
                guard !p.isEmpty else { return nil }
                return LineSeries(name: label(d), x: p.map(\.0), y: p.map(\.1), colour: palette[i])
            }
        }
        func centre(_ lo: Double, _ hi: Double) -> Double { (lo + hi) / 2 }
        var spec: PlotSpec
        switch name {
        case "merging-cchalf":
            spec = PlotSpec(
                title: "CC½ against resolution", xLabel: "1/d (nm⁻¹)", yLabel: "CC½",
                kind: .lines(series: series(\.name) { d in d.halfSetShells.map { (centre($0.minInverseNm, $0.maxInverseNm), $0.cc) } },
                             yRange: 0...1))
        case "merging-completeness":
            spec = PlotSpec(
                title: "Completeness against resolution", xLabel: "1/d (nm⁻¹)", yLabel: "completeness (%)",
                kind: .lines(series: series(\.name) { d in d.shells.map { (centre($0.minInverseNm, $0.maxInverseNm), $0.completenessPercent) } },
                             yRange: 0...100))
        case "merging-snr":
            spec = PlotSpec(
                title: "⟨I/σ(I)⟩ against resolution", xLabel: "1/d (nm⁻¹)", yLabel: "⟨I/σ(I)⟩",
                kind: .lines(series: series(\.name) { d in d.shells.map { (centre($0.minInverseNm, $0.maxInverseNm), $0.meanSignalToNoise) } },
                             yRange: nil))
        case "merging-accumulation":
            let timePoints = merging.datasets.filter { $0.kind == .timePoint }
            let shown = timePoints.isEmpty ? datasets : Array(timePoints.prefix(palette.count))
            let lines = shown.enumerated().flatMap { i, d -> [LineSeries] in
                let p = d.accumulation.filter { $0.ccHalf.isFinite }
                guard !p.isEmpty else { return [] }
                var all = [LineSeries(name: "\(d.name) overall", x: p.map { Double($0.crystals) }, y: p.map(\.ccHalf), colour: palette[i])]
                let high = d.accumulation.filter { $0.ccHalfHighestShell.isFinite }
                if !high.isEmpty {
                    all.append(LineSeries(name: "\(d.name) highest shell", x: high.map { Double($0.crystals) },
                                          y: high.map(\.ccHalfHighestShell), colour: palette[i].darkened(by: 0.45)))
                }
                return all
            }
            spec = PlotSpec(title: "CC½ as crystals accumulate", xLabel: "crystals merged", yLabel: "CC½",
                            kind: .lines(series: lines, yRange: 0...1))
        case "merging-light-dark":
            guard let c = merging.lightDark.first else { return nil }
            let light = merging.datasets.first { $0.name == c.first }, dark = merging.datasets.first { $0.name == c.second }
            var lines = [LineSeries]()
            func add(_ label: String, _ shells: [HalfSetShellStatistics]?, _ colour: PlotColour) {
                let p = (shells ?? []).map { (centre($0.minInverseNm, $0.maxInverseNm), $0.cc) }.filter { $0.1.isFinite }
                if !p.isEmpty { lines.append(LineSeries(name: label, x: p.map(\.0), y: p.map(\.1), colour: colour)) }
            }
            add("CC(\(c.first), \(c.second))", c.shells, PlotColour(hex: "#c9483e"))
            add("CC½ \(c.first)", light?.halfSetShells, PlotColour(hex: "#e6842a"))
            add("CC½ \(c.second)", dark?.halfSetShells, PlotColour(hex: "#3a6ea5"))
            spec = PlotSpec(title: "Light against dark, by shell", xLabel: "1/d (nm⁻¹)", yLabel: "CC",
                            kind: .lines(series: lines, yRange: 0...1))
        default:
            return nil
        }
        spec.width = 520
        // Correlations and completeness run along the top: the legend goes below them.
        spec.legendLowerLeft = name != "merging-snr"
        return spec
    }
}
