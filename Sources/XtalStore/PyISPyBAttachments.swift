import Foundation
import XtalCore

/// The two files py-ISPyB's SSX view reads through `AutoProcProgramAttachment` rows
/// (`fileType = 'Result'`), with exactly its keys (shared/docs/ispyb.md §5.1; `laticeType`
/// misspelled as py-ISPyB and EDNA2 spell it):
/// `ssx_stats.json` `{"nbHits", "nbIndexed", "laticeType", "estimatedResolution"}` and
/// `ssx_cells.json` `{"unit_cells": [[a, b, c, alpha, beta, gamma], …]}` (Å, degrees).
/// Without indexed crystals `laticeType` is "" and `estimatedResolution` 0.
enum PyISPyBAttachments {
    static let statsFile = "ssx_stats.json"
    static let cellsFile = "ssx_cells.json"

    /// Writes both files for `run` into `directory`; returns the directory.
    static func write(_ run: StoreJob.Run, into directory: String) throws(StoreError) -> String {
        let s = run.results.statistics
        let lattice = s.latticeTypes.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }?.key
        var stats: [String: Any] = ["nbHits": s.hits, "nbIndexed": s.indexedFrames]
        // py-ISPyB's model requires a string and a number here and silently leaves out a run
        // whose file has null (pyispyb/core/schemas/ssx.py): a run with nothing indexed has
        // the empty lattice type and resolution 0 (none estimated).
        stats["laticeType"] = lattice ?? ""
        stats["estimatedResolution"] = s.resolutionLimit.distribution.median ?? 0.0
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let options: JSONSerialization.WritingOptions = [.sortedKeys]
            try AtomicFile.write(
                JSONSerialization.data(withJSONObject: stats, options: options),
                to: URL(fileURLWithPath: directory).appendingPathComponent(statsFile).path)
            // A megabyte at a time: a run of a million crystals makes 55 MB of JSON.
            try ChunkedFileWriter.write(to: URL(fileURLWithPath: directory).appendingPathComponent(cellsFile).path) {
                out, flushIfFull in try appendCells(run.crystals, to: &out, flushIfFull: flushIfFull)
            }
        } catch {
            throw .cannotWriteFile(path: directory, reason: error.localizedDescription)
        }
        return directory
    }

    /// `{"unit_cells":[[a,b,c,alpha,beta,gamma],…]}`, compact as JSONSerialization writes it,
    /// each value the shortest decimal of its Float32 (as the stream printed it); crystals
    /// with a value that is not finite are left out. Written directly: through
    /// JSONSerialization a million crystals took 5 s (38 % of a whole `run`, perf).
    /// Each distinct value is formatted once: cells are printed to fixed decimals, so a
    /// million crystals hold a few thousand distinct values per parameter.
    static func cellsJSON(_ crystals: CrystalTable?) -> Data {
        var bytes: [UInt8] = []
        appendCells(crystals, to: &bytes, flushIfFull: { _ in })
        return Data(bytes)
    }

    /// `cellsJSON`'s bytes appended to `bytes`, handed to `flushIfFull` after each crystal.
    static func appendCells(
        _ crystals: CrystalTable?, to bytes: inout [UInt8], flushIfFull: (inout [UInt8]) throws -> Void
    ) rethrows {
        bytes += Array(#"{"unit_cells":["#.utf8)
        if let c = crystals {
            let columns = c.cellColumns
            var texts = FormattedValues()
            var first = true
            for i in 0..<c.count {
                guard columns.allSatisfy({ $0[i].isFinite }) else { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes.append(UInt8(ascii: "["))
                for k in 0..<6 {
                    if k > 0 { bytes.append(UInt8(ascii: ",")) }
                    texts.append(columns[k][i], to: &bytes)
                }
                bytes.append(UInt8(ascii: "]"))
                try flushIfFull(&bytes)
            }
        }
        bytes += Array("]}".utf8)
    }

    /// Each distinct Float32's JSON text, formatted once: the texts in one byte arena,
    /// found through an open-addressing table keyed by the bit pattern (a Dictionary of
    /// arrays cost a retain, a release and a hash per value: 8 % of a re-run, perf). Cells printed to
    /// four decimals give tens of thousands of distinct values: 2^17 are kept.
    /// Beyond `capacity / 2` distinct values a value is formatted each time.
    struct FormattedValues {
        static let bits = 18
        static let capacity = 1 << bits
        var keys = [UInt32](repeating: 0, count: capacity)
        /// Where a key's text is in `arena` (start, length); length 0 for an empty slot.
        var spans = [(start: Int32, length: Int32)](repeating: (0, 0), count: capacity)
        var arena: [UInt8] = []
        var stored = 0

        mutating func append(_ value: Float32, to bytes: inout [UInt8]) {
            let key = value.bitPattern
            var slot = Int((key &* 0x9E37_79B1) >> UInt32(32 - Self.bits))  // Fibonacci hashing: the top bits
            while spans[slot].length != 0 {
                if keys[slot] == key {
                    let span = spans[slot]
                    arena.withUnsafeBufferPointer {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(span.start)..<Int(span.start + span.length)]))
                    }
                    return
                }
                slot = (slot + 1) & (Self.capacity - 1)
            }
            let text = Array(PyISPyBAttachments.jsonNumber(value).utf8)
            bytes += text
            guard stored < Self.capacity / 2 else { return }
            keys[slot] = key
            spans[slot] = (Int32(arena.count), Int32(text.count))
            arena += text
            stored += 1
        }
    }

    /// A finite Float32 as JSON: its shortest decimal, with JSON's exponent form and an
    /// integral value without `.0` (as JSONSerialization writes a Double of that value).
    static func jsonNumber(_ value: Float32) -> String {
        // The shortest decimal of a float is integral exactly when the float is (a float
        // nearest an integer below 2^24 is that integer; above, every float is one), so
        // the test needs no parse of the text.
        guard value.isFinite else { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
