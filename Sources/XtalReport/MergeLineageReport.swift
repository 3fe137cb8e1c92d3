import Foundation
import XtalCore

/// Tables of the Merging page about what went into each merged dataset: the lineage (runs →
/// time points → images → hits → crystals → merged), the peers' merges with the checks of
/// what went into them and their verdicts, Table 1 from the peer beside xtalreport's own,
/// and the peers' files as read.
enum MergeLineageTables {
    static let names = ["merging-lineage", "merging-peer-checks", "merging-peer-table1", "merging-peer-files"]

    static let failedStyle = "background:#f6d5d2"

    static func make(_ name: String, _ scope: ReportScope) -> ReportTable? {
        guard scope.run == nil, let merging = scope.results.merging else { return nil }
        switch name {
        case "merging-lineage":
            var rows: [[ReportTable.Cell]] = []
            for d in merging.datasets {
                guard let lineage = d.lineage else { continue }
                let rejected = lineage.crystalsRejected.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                rows.append(counts(d.name, "all", lineage.images, lineage.hits, lineage.indexedFrames, lineage.crystals,
                                   "\(lineage.crystalsMerged)" + (rejected.isEmpty ? "" : " (rejected: \(rejected))"), bold: true))
                for part in lineage.parts {
                    rows.append(counts("", part.run + (part.timePoint.map { " · \($0)" } ?? ""), part.images, part.hits,
                                       part.indexedFrames, part.crystals, "", bold: false))
                }
            }
            guard !rows.isEmpty else { return nil }
            return ReportTable(headers: ["dataset", "run · time point", "images", "hits", "indexed frames", "crystals", "merged"], rows: rows)
        case "merging-peer-checks":
            guard !merging.peerMerges.isEmpty else { return nil }
            let rows = merging.peerMerges.flatMap { peer in
                peer.checks.map { check -> [ReportTable.Cell] in
                    [.init(text: peer.dataset), .init(text: program(peer)), .init(text: check.name),
                     .init(text: check.verdict.rawValue, style: check.verdict == .failed ? failedStyle : nil), .init(text: check.detail)]
                }
            }
            return ReportTable(headers: ["dataset", "merged by", "check", "verdict", "what was compared"], rows: rows)
        case "merging-peer-table1":
            guard !merging.peerMerges.isEmpty else { return nil }
            var rows: [[ReportTable.Cell]] = []
            for peer in merging.peerMerges {
                let own = merging.datasets.first { $0.name == peer.dataset }
                for kind in ShellKind.allCases {
                    let label = kind == .overall ? "overall" : kind == .innerShell ? "lowest shell" : "highest shell"
                    if let ownRow = own?.tableOne[kind] {
                        rows.append(shell(kind == .overall ? peer.dataset : "", "xtalreport (process_hkl's model)", label, ownRow,
                                          crystals: kind == .overall ? own?.crystals : nil))
                    }
                    if let peerRow = peer.table1[kind] {
                        rows.append(shell("", program(peer), label, peerRow, crystals: kind == .overall ? peer.crystals : nil))
                    }
                }
            }
            return ReportTable(
                headers: ["dataset", "merged by", "", "resolution (Å)", "crystals", "unique", "completeness", "multiplicity", "⟨I/σ(I)⟩", "CC½"],
                rows: rows)
        case "merging-peer-files":
            guard !merging.peerMerges.isEmpty else { return nil }
            let rows = merging.peerMerges.flatMap { peer in
                peer.files.map { file -> [ReportTable.Cell] in
                    [.init(text: peer.dataset), .init(text: file.role), scope.fileCell([file.path]),
                     .init(text: file.notUsed.map { "not used: \($0)" } ?? "used", style: file.notUsed == nil ? nil : failedStyle)]
                }
            }
            return ReportTable(headers: ["dataset", "what", "file", ""], rows: rows)
        default:
            return nil
        }
    }

    static func program(_ peer: PeerMergeResults) -> String {
        var text = peer.program
        if let model = peer.model { text += " (\(model))" }
        if let dataset = peer.peerDataset { text += ", dataset '\(dataset)'" }
        return text
    }

    static func counts(_ dataset: String, _ part: String, _ images: Int, _ hits: Int, _ indexed: Int, _ crystals: Int,
                       _ merged: String, bold: Bool) -> [ReportTable.Cell] {
        let style = bold ? "font-weight:bold" : nil
        return [.init(text: dataset), .init(text: part, style: style), .init(text: "\(images)", style: style), .init(text: "\(hits)", style: style),
                .init(text: "\(indexed)", style: style), .init(text: "\(crystals)", style: style), .init(text: merged, style: style)]
    }

    static func shell(_ dataset: String, _ producer: String, _ label: String, _ s: ShellStatistics, crystals: Int?) -> [ReportTable.Cell] {
        func value(_ x: Double?, _ format: String) -> String { x.map { String(format: format, $0) } ?? "–" }
        return [
            .init(text: dataset), .init(text: producer), .init(text: label),
            .init(text: value(s.resolutionLimitLow, "%.2f") + "–" + value(s.resolutionLimitHigh, "%.2f")),
            .init(text: crystals.map(String.init) ?? ""), .init(text: s.nTotalUniqueObservations.map(String.init) ?? "–"),
            .init(text: value(s.completeness, "%.2f %%")), .init(text: value(s.multiplicity, "%.2f")),
            .init(text: value(s.meanIOverSigI, "%.2f")), .init(text: value(s.ccHalf, "%.4f")),
        ]
    }
}
