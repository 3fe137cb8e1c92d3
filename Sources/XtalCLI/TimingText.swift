import Foundation
import XtalCore

/// The time-resolved part of `run`'s output: per run, the time points with their counts and
/// rates, the partition check and light − dark; then the split files and their group sizes.
enum TimingText {
    static func render(_ results: ExperimentResults, outputDirectory: String) -> String {
        var out: [String] = []
        for run in results.runs {
            guard let timed = run.timeResolved else { continue }
            let chain = timed.chain
            out.append(
                "\(run.name): time points (chain '\(chain.name)' from \(chain.source), \(timed.shotsPerPosition) shot(s) per position, frame index from \(timed.invariants.frameIndexBasis)):")
            out.append(contentsOf: table(timed.timePoints))
            let inv = timed.invariants
            out.append(
                "  partition: \(inv.imagesAssigned) of \(inv.imagesCollected) images assigned, \(inv.imagesUnassigned) without a time point; "
                    + (inv.sumsMatchRun ? "sums over time points equal the run's totals" : "SUMS DO NOT MATCH THE RUN"))
            for problem in inv.problems { out.append("  ! \(problem)") }
            for note in timed.notes { out.append("  note: \(note)") }
            if let comparison = timed.lightDark { out.append(contentsOf: lightDark(comparison, indent: "  ")) }
        }
        if let points = results.timePoints, results.runs.filter({ $0.timeResolved != nil }).count > 1 {
            out.append("all timed runs:")
            out.append(contentsOf: table(points))
            if let comparison = results.lightDark { out.append(contentsOf: lightDark(comparison, indent: "  ")) }
        }
        if let split = results.splitFiles {
            out.append(
                "Custom split (partialator --custom-split): \(relative(split.customSplit, outputDirectory)): \(split.customSplitLines) images, \(split.hitsListed) of \(split.hitsInRuns) hits")
            if let yaml = split.groupingYAML {
                let groups = split.dialsGroups.map { "\($0.name) = \($0.label): \($0.images)" }.joined(separator: ", ")
                let verdict = split.dialsGroups.allSatisfy { $0.images == $0.expectedImages } ? "as the table expects" : "NOT as the table expects"
                out.append("DIALS grouping (xia2.ssx_reduce grouping=): \(relative(yaml, outputDirectory)): \(groups) images, \(verdict)")
            }
            for problem in split.problems { out.append("  ! \(problem)") }
        }
        return out.joined(separator: "\n")
    }

    static func table(_ points: [TimePointStatistics]) -> [String] {
        let header = ["time point", "laser", "delay", "images", "hits", "hit%", "indexed", "idx%hits", "crystals", "a(Å)", "b(Å)", "c(Å)"]
        let rows = points.map { p -> [String] in
            let s = p.statistics
            return [
                p.label, p.laserOn.map { $0 ? "on" : "off" } ?? "-",
                p.delay.map { CompactNumber.text($0, significant: 4) + " s" } ?? "-", "\(p.imagesCollected)", "\(s.hits)",
                StatisticsTable.percent(s.hitRate), "\(s.indexedFrames)", StatisticsTable.percent(s.indexingRateOfHits),
                "\(s.crystals)", StatisticsTable.number(s.cell.a.mean), StatisticsTable.number(s.cell.b.mean),
                StatisticsTable.number(s.cell.c.mean),
            ]
        }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            "  " + cells.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }

    static func lightDark(_ c: LightDarkComparison, indent: String) -> [String] {
        var parts: [String] = []
        for d in c.differences {
            guard let diff = d.difference, let u = d.uncertainty else { continue }
            let scale = d.unit == "fraction" ? 100.0 : 1.0
            let unit = d.unit == "fraction" ? " %" : " " + d.unit
            let sigmas = d.sigmas.map { String(format: " (%.1fσ)", $0) } ?? ""
            parts.append(
                "\(d.quantity) \(String(format: "%+.3g", diff * scale)) ± \(String(format: "%.2g", u * scale))\(unit)\(sigmas)\(d.exceedsUncertainty ? " *" : "")")
        }
        return ["\(indent)light − dark: " + parts.joined(separator: "; "), "\(indent)(* larger than its uncertainty)"]
    }

    static func relative(_ path: String, _ base: String) -> String {
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
