import Foundation
import XtalCore

/// The per-run table and cumulative row printed by `stats` and `run`. "images" are the
/// images collected (the master file's count when the run has one), "processed" those in the
/// results (chunks, or the indexamajig log's count), "skipped" = images − hits.
enum StatisticsTable {
    static func render(_ results: ExperimentResults) -> String {
        let header = [
            "run", "images", "processed", "hits", "hit%", "indexed", "idx%hits", "crystals", "multi", "skipped",
            "a(Å)", "b(Å)", "c(Å)", "res(Å)", "bad",
        ]
        // Rotation runs have no per-image hit statistics of their own: their lines follow the table.
        var rows: [[String]] = results.runs.filter { $0.kind != .rotation }.map { row(name: $0.name, $0.statistics, bad: $0.accounting) }
        rows.append(row(name: "all runs", results.cumulative, bad: results.accounting))
        var widths = header.map(\.count)
        for r in rows {
            for (i, cell) in r.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }
        var out = [line(header)]
        out.append(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        for (i, r) in rows.enumerated() {
            if i == rows.count - 1 { out.append(out[1]) }
            out.append(line(r))
        }
        return out.joined(separator: "\n")
    }

    private static func row(name: String, _ s: RunStatistics, bad: ImageAccounting) -> [String] {
        [
            name, "\(s.imagesCollected)", "\(s.images)", "\(s.hits)", percent(s.hitRate), "\(s.indexedFrames)",
            percent(s.indexingRateOfHits), "\(s.crystals)", "\(s.multiLatticeFrames)", "\(s.skippedImages)",
            number(s.cell.a.mean), number(s.cell.b.mean), number(s.cell.c.mean),
            number(s.resolutionLimit.distribution.median),
            "\(bad.malformedChunks + bad.incompleteChunks)",
        ]
    }

    static func percent(_ x: Double?) -> String {
        x.map { String(format: "%.1f", $0 * 100) } ?? "-"
    }

    static func number(_ x: Double?) -> String {
        x.map { String(format: "%.2f", $0) } ?? "-"
    }
}
