import Foundation
import XtalCore

/// `merged/ledger.tsv`: the per-image ledger of a merging job, one row per image of every
/// run in stream order — run, row, serial number, filename, event, time point, laser state,
/// hit, crystals — and `merged_into`, the merged datasets its crystals went into (by the
/// rule the merge stage applies, `MergeDatasetSpec.selects`; empty for an image without
/// crystals) and `rejected_by`, the facility merges that flagged a crystal of it
/// (`DATASET (PROGRAM)`, from its `--unmerged-output`). The split files, the lineage counts and this file all come from the same
/// per-image table. Written in pieces through a temporary file, then renamed.
public enum MergeLedgerFile {
    public static let header = "run\trow\tserial\tfilename\tevent\ttime_point\tlaser\thit\tcrystals\tmerged_into\trejected_by"

    /// Writes the ledger; returns the number of image rows.
    @discardableResult
    public static func write(runs: [LedgerRun], specs: [MergeDatasetSpec], peers: [PeerMergeResults] = [], to path: String) throws -> Int {
        var rows = 0
        var rejectedBy: [String: [String]] = [:]
        for peer in peers {
            for frame in Set(peer.flaggedFrames) { rejectedBy[frame, default: []].append("\(peer.dataset) (\(peer.program))") }
        }
        try AtomicFile.write(to: path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw AtomicFile.WriteError(path: path, code: errno)
            }
            defer { try? handle.close() }
            var text = header + "\n"
            for run in runs {
                let table = MergeStage.membershipTable(run: run.name, timePoints: run.timePoints, specs: specs)
                let names = table.map { $0.map { specs[$0].name }.joined(separator: ",") }
                let images = run.images
                let haveNames = images.filenames.count == images.count
                for row in 0..<images.count {
                    let point = run.timePoint(row: row)
                    let crystals = images.crystalCount[row]
                    let serial = row < images.serial.count ? String(images.serial[row]) : "-"
                    let name = haveNames ? images.filenames[row] : "-"
                    let event = haveNames && !images.events[row].isEmpty ? images.events[row] : "-"
                    let rejected = rejectedBy.isEmpty || !haveNames ? "" : rejectedBy[name + " " + images.events[row]]?.joined(separator: ",") ?? ""
                    text += "\(run.name)\t\(row)\t\(serial)\t\(name)\t\(event)\t\(point?.label ?? "-")\t\(point?.laser ?? "-")\t"
                        + "\(images.hit[row] ? 1 : 0)\t\(crystals)\t\(crystals > 0 ? names[run.slot(row: row)] : "")\t\(rejected)\n"
                    rows += 1
                    if text.utf8.count > 1 << 20 {
                        try handle.write(contentsOf: Data(text.utf8))
                        text = ""
                    }
                }
            }
            try handle.write(contentsOf: Data(text.utf8))
        }
        return rows
    }
}
