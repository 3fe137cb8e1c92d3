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
        // Bytes a field at a time: through string interpolation a million images took
        // 0.5 s of a `run` (perf); a megabyte at a time, so a large run's ledger is never
        // whole in memory.
        try ChunkedFileWriter.write(to: path) { out, flushIfFull in
            out += Array((header + "\n").utf8)
            let tab: UInt8 = 0x09
            let dash = UInt8(ascii: "-")
            for run in runs {
                let table = MergeStage.membershipTable(run: run.name, timePoints: run.timePoints, specs: specs)
                let names = table.map { Array($0.map { specs[$0].name }.joined(separator: ",").utf8) }
                let labels = run.timePoints.map { (Array($0.label.utf8), Array(($0.laser ?? "-").utf8)) }
                let runName = Array(run.name.utf8)
                let images = run.images
                let haveNames = images.filenames.count == images.count
                for row in 0..<images.count {
                    let crystals = images.crystalCount[row]
                    out += runName
                    out.append(tab)
                    out.appendDecimal(row)
                    out.append(tab)
                    if row < images.serial.count { out.appendDecimal(Int(images.serial[row])) } else { out.append(dash) }
                    out.append(tab)
                    if haveNames {
                        images.filenames.appendString(row, to: &out)
                        out.append(tab)
                        if images.events.isEmpty(row) { out.append(dash) } else { images.events.appendString(row, to: &out) }
                    } else {
                        out += [dash, tab, dash]
                    }
                    out.append(tab)
                    if let point = run.timePointIndex(row: row) {
                        out += labels[point].0
                        out.append(tab)
                        out += labels[point].1
                    } else {
                        out += [dash, tab, dash]
                    }
                    out.append(tab)
                    out.append(images.hit[row] ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                    out.append(tab)
                    out.appendDecimal(Int(crystals))
                    out.append(tab)
                    if crystals > 0 { out += names[run.slot(row: row)] }
                    out.append(tab)
                    if !rejectedBy.isEmpty, haveNames, let peers = rejectedBy[images.filenames[row] + " " + images.events[row]] {
                        out.appendUTF8(peers.joined(separator: ","))
                    }
                    out.append(0x0A)
                    rows += 1
                    try flushIfFull(&out)
                }
            }
        }
        return rows
    }
}
