import Foundation
import XtalCore

/// `per-image.tsv`: every collected frame of every timed run with its timing and result
/// (`in_stream` 0: left out of the stream, a non-hit by indexamajig's `--no-non-hits-in-stream`).
/// Written as bytes, a field at a time: through string interpolation a million frames took
/// about 0.4 s of a `run` (perf), for a file that is a few tens of megabytes.
enum PerImageTimingTable {
    static let header = "run\tframe\tfilename\tevent\ttime_point\tlaser\tdelay_s\tdelay_kind\tdose_point\tin_stream\thit\tcrystals"

    /// Writes the table a megabyte at a time (whole, the bytes of a 1.8 M-frame run took
    /// 170 MB while the split files were written).
    static func write(_ inputs: [SplitFilesWriter.Input], to path: String) throws {
        try ChunkedFileWriter.write(to: path) { out, flushIfFull in
            try append(inputs, to: &out, afterEachLine: flushIfFull)
        }
    }

    /// The table's bytes in memory (tests).
    static func bytes(_ inputs: [SplitFilesWriter.Input]) -> [UInt8] {
        var out: [UInt8] = []
        append(inputs, to: &out, afterEachLine: { _ in })
        return out
    }

    /// Appends the table to `out`, giving it to `afterEachLine` after each line.
    static func append(_ inputs: [SplitFilesWriter.Input], to out: inout [UInt8], afterEachLine: (inout [UInt8]) throws -> Void) rethrows {
        out += Array(header.utf8)
        out.append(0x0A)
        // Delays take few distinct values (one per time point when nominal): each is formatted once.
        var formatted: [UInt64: [UInt8]] = [:]
        let tab: UInt8 = 0x09
        let dash = UInt8(ascii: "-")
        for input in inputs {
            let timing = input.run.timing
            var rowOfFrame = [Int](repeating: -1, count: timing.collected)
            for (row, frame) in timing.frameOfRow.enumerated() { rowOfFrame[frame] = row }
            let haveNames = input.images.filenames.count == input.images.count
            let runName = Array(input.run.name.utf8)
            let labels = timing.timePoints.map { Array($0.label.utf8) }
            for frame in 0..<timing.collected {
                let row = rowOfFrame[frame]
                out += runName
                out.append(tab)
                out.appendDecimal(frame)
                out.append(tab)
                if row >= 0 && haveNames {
                    input.images.filenames.appendString(row, to: &out)
                    out.append(tab)
                    if input.images.events.isEmpty(row) { out.append(dash) } else { input.images.events.appendString(row, to: &out) }
                } else {
                    out += [dash, tab, dash]
                }
                out.append(tab)
                let point = timing.timePointOfFrame[frame]
                if point < 0 { out.append(dash) } else { out += labels[Int(point)] }
                out.append(tab)
                switch timing.laser[frame] {
                case .on: out.appendUTF8("on")
                case .off: out.appendUTF8("off")
                case .notApplicable: out.appendUTF8("n/a")
                case .unknown: out.appendUTF8("unknown")
                }
                out.append(tab)
                let delay = timing.delay[frame]
                if delay.isNaN {
                    out += [dash, tab, dash]
                } else {
                    if let known = formatted[delay.bitPattern] {
                        out += known
                    } else {
                        let text = Array(String(format: "%.9g", delay).utf8)
                        if formatted.count < 4096 { formatted[delay.bitPattern] = text }  // measured delays vary
                        out += text
                    }
                    out.append(tab)
                    out.appendUTF8(timing.measured[frame] ? "measured" : "nominal")
                }
                out.append(tab)
                out.appendDecimal(timing.dosePoint(frame: frame))
                out.append(tab)
                if row >= 0 {
                    out += [UInt8(ascii: "1"), tab, input.images.hit[row] ? UInt8(ascii: "1") : UInt8(ascii: "0"), tab]
                    out.appendDecimal(Int(input.images.crystalCount[row]))
                } else {
                    out += [UInt8(ascii: "0"), tab, UInt8(ascii: "0"), tab, dash]
                }
                out.append(0x0A)
                try afterEachLine(&out)
            }
        }
    }
}
