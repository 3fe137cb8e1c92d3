import Foundation
import XtalCore

extension ReportScope {
    /// Time points of the scope: the run's, or all timed runs combined by label.
    var timePoints: [TimePointStatistics]? { run.map { $0.timeResolved?.timePoints } ?? results.timePoints }
    var lightDark: LightDarkComparison? { run.map { $0.timeResolved?.lightDark } ?? results.lightDark }
    /// The timed runs of the scope.
    var timedRuns: [RunResults] { runs.filter { $0.timeResolved != nil } }
}

/// Tables of the time-resolved page and sections.
enum TimeResolvedTables {
    static let names = ["time-points", "light-dark", "event-chains", "timing-checks", "split-files"]

    static func make(_ name: String, _ scope: ReportScope) -> ReportTable? {
        switch name {
        case "time-points":
            guard let points = scope.timePoints, !points.isEmpty else { return nil }
            return ReportTable(
                headers: ["time point", "laser", "delay", "delay from", "images", "hits", "hit %", "indexed", "% of hits", "crystals", "mean a / b / c (Å)"],
                rows: points.map { p in
                    let s = p.statistics
                    let cell = [s.cell.a.mean, s.cell.b.mean, s.cell.c.mean].map { $0.map { String(format: "%.2f", $0) } ?? "–" }
                    return [
                        .init(text: p.label), .init(text: p.laserOn.map { $0 ? "on" : "off" } ?? "–"),
                        .init(text: p.delay.map(seconds) ?? "–"), .init(text: p.delaySource),
                        .init(text: "\(p.imagesCollected)"), .init(text: "\(s.hits)"),
                        .init(text: ReportTables.percent(s.hits, s.images), style: "background:\(PlotColour.hitRate(s.hitRate).hex)"),
                        .init(text: "\(s.indexedFrames)"), .init(text: ReportTables.percent(s.indexedFrames, s.hits)),
                        .init(text: "\(s.crystals)"), .init(text: cell.joined(separator: " / ")),
                    ]
                })
        case "light-dark":
            guard let c = scope.lightDark else { return nil }
            return ReportTable(
                headers: ["quantity", "light", "dark", "light − dark", "uncertainty (1σ)", "|Δ| / σ"],
                rows: c.differences.map { d in
                    let isRate = d.unit == "fraction"
                    func v(_ x: Double?) -> String {
                        guard let x else { return "–" }
                        return isRate ? String(format: "%.2f %%", x * 100) : String(format: "%.3f %@", x, d.unit)
                    }
                    return [
                        .init(text: d.quantity), .init(text: v(d.light)), .init(text: v(d.dark)),
                        .init(text: v(d.difference), style: d.exceedsUncertainty ? "font-weight:bold" : nil),
                        .init(text: v(d.uncertainty)),
                        .init(
                            text: d.sigmas.map { String(format: "%.1f", $0) } ?? "–",
                            style: (d.sigmas ?? 0) >= 3 ? "background:#f6d5d2" : nil),
                    ]
                })
        case "event-chains":
            let runs = scope.timedRuns
            guard !runs.isEmpty else { return nil }
            var rows: [[ReportTable.Cell]] = []
            for run in runs {
                let chain = run.timeResolved!.chain
                for e in chain.events {
                    rows.append([
                        .init(text: run.name), .init(text: chain.name), .init(text: e.type.rawValue), .init(text: e.name ?? "–"),
                        .init(text: seconds(e.offset)), .init(text: e.duration.map(seconds) ?? "–"),
                        .init(text: e.period.map(seconds) ?? "–"), .init(text: e.repetition.map { CompactNumber.text($0) } ?? "–"),
                        .init(text: chain.convention.explanation + extras(chain)),
                    ])
                }
            }
            return ReportTable(
                headers: ["run", "chain", "event", "name", "offset", "duration", "period", "repetition", "convention and extras"],
                rows: rows)
        case "timing-checks":
            let runs = scope.timedRuns
            guard !runs.isEmpty else { return nil }
            return ReportTable(
                headers: ["run", "images", "assigned", "no time point", "frame index from", "sums = run totals", "notes"],
                rows: runs.map { run in
                    let t = run.timeResolved!
                    let i = t.invariants
                    return [
                        .init(text: run.name), .init(text: "\(i.imagesCollected)"), .init(text: "\(i.imagesAssigned)"),
                        .init(text: "\(i.imagesUnassigned)", style: i.imagesUnassigned > 0 ? "background:#f6d5d2" : nil),
                        .init(text: i.frameIndexBasis),
                        .init(text: i.sumsMatchRun ? "yes" : "NO", style: i.sumsMatchRun ? nil : "background:#f6d5d2"),
                        .init(text: (i.problems + t.notes).joined(separator: "; ")),
                    ]
                })
        case "split-files":
            guard scope.run == nil, let split = scope.results.splitFiles else { return nil }
            var rows: [[ReportTable.Cell]] = [[
                .init(text: "partialator --custom-split"), scope.fileCell([split.customSplit]),
                .init(text: "\(split.customSplitLines) images, \(split.hitsListed) of \(split.hitsInRuns) hits"),
            ]]
            if let yaml = split.groupingYAML {
                let groups = split.dialsGroups.map {
                    "\($0.name) = \($0.label): \($0.images)" + ($0.images == $0.expectedImages ? "" : " (table: \($0.expectedImages))")
                }
                rows.append([
                    .init(text: "xia2.ssx_reduce grouping="), scope.fileCell([yaml]),
                    .init(text: groups.joined(separator: ", "), style: split.consistent ? nil : "background:#f6d5d2"),
                ])
            }
            for problem in split.problems { rows.append([.init(text: "problem"), .init(text: ""), .init(text: problem)]) }
            return ReportTable(headers: ["for", "file", "contents"], rows: rows)
        default:
            return nil
        }
    }

    static func seconds(_ x: Double) -> String {
        let a = abs(x)
        if a == 0 { return "0 s" }
        if a < 1e-6 { return CompactNumber.text(x * 1e9, significant: 4) + " ns" }
        if a < 1e-3 { return CompactNumber.text(x * 1e6, significant: 4) + " µs" }
        if a < 1 { return CompactNumber.text(x * 1e3, significant: 4) + " ms" }
        return CompactNumber.text(x, significant: 4) + " s"
    }

    static func extras(_ chain: EventChain) -> String {
        var parts: [String] = []
        switch chain.laserPattern {
        case .interleave(let stride)?: parts.append("laser every \(stride) images")
        case .checker?: parts.append("checker pattern")
        case .allPumped?: parts.append("every image pumped")
        case nil: break
        }
        if let h = chain.laserHeader { parts.append("laser flag \(h)") }
        if let h = chain.delayHeader { parts.append("measured delay \(h)") }
        if chain.measured { parts.append("measured offsets") }
        let f = chain.facility
        if let p = f.prePumpExposure { parts.append("pre-pump \(seconds(p))") }
        if let m = f.pumpMode { parts.append("pump mode \(m)") }
        if let g = f.gateStep { parts.append("gate step \(seconds(g))") }
        if let s = f.shutter { parts.append("shutter: \(s)") }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")
    }
}

/// Plots of the time-resolved page and sections.
enum TimeResolvedPlots {
    static let names = ["time-point-rates", "time-point-images"]

    static func make(_ name: String, _ scope: ReportScope) -> PlotSpec? {
        guard let points = scope.timePoints, !points.isEmpty else { return nil }
        let labels = points.map(\.label)
        let colours = points.map { $0.laserOn == true ? PlotColour(hex: "#e6842a") : PlotColour(hex: "#3a6ea5") }
        /// Two bars per time point: light points orange, the others blue; the second darker.
        func pairs(_ title: String, _ yLabel: String, _ first: (String, [Double]), _ second: (String, [Double])) -> PlotSpec {
            PlotSpec(
                title: title, xLabel: "time point", yLabel: yLabel,
                kind: .bars(
                    categories: labels,
                    series: [
                        BarSeries(name: first.0, values: first.1, colours: colours),
                        BarSeries(name: second.0, values: second.1, colours: colours.map { $0.darkened(by: 0.4) }),
                    ]))
        }
        switch name {
        case "time-point-rates":
            return pairs(
                "Hit and indexing rate per time point", "%",
                ("hit rate (% of images)", points.map { ($0.statistics.hitRate ?? 0) * 100 }),
                ("indexed (% of hits)", points.map { ($0.statistics.indexingRateOfHits ?? 0) * 100 }))
        case "time-point-images":
            return pairs(
                "Hits and crystals per time point", "count", ("hits", points.map { Double($0.statistics.hits) }),
                ("crystals", points.map { Double($0.statistics.crystals) }))
        default:
            return nil
        }
    }
}
