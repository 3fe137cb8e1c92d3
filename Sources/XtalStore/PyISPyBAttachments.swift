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
        let cells = cellsJSON(run.crystals)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let options: JSONSerialization.WritingOptions = [.sortedKeys]
            try AtomicFile.write(
                JSONSerialization.data(withJSONObject: stats, options: options),
                to: URL(fileURLWithPath: directory).appendingPathComponent(statsFile).path)
            try AtomicFile.write(cells, to: URL(fileURLWithPath: directory).appendingPathComponent(cellsFile).path)
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
        var bytes = Array(#"{"unit_cells":["#.utf8)
        var first = true
        if let c = crystals {
            bytes.reserveCapacity(16 + c.count * 48)
            var formatted: [UInt32: [UInt8]] = [:]
            for i in 0..<c.count {
                let row = [c.a[i], c.b[i], c.c[i], c.alpha[i], c.beta[i], c.gamma[i]]
                guard row.allSatisfy(\.isFinite) else { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes.append(UInt8(ascii: "["))
                for (k, value) in row.enumerated() {
                    if k > 0 { bytes.append(UInt8(ascii: ",")) }
                    if let known = formatted[value.bitPattern] {
                        bytes += known
                    } else {
                        let text = Array(jsonNumber(value).utf8)
                        if formatted.count < 1 << 16 { formatted[value.bitPattern] = text }
                        bytes += text
                    }
                }
                bytes.append(UInt8(ascii: "]"))
            }
        }
        bytes += Array("]}".utf8)
        return Data(bytes)
    }

    /// A finite Float32 as JSON: its shortest decimal, with JSON's exponent form and an
    /// integral value without `.0` (as JSONSerialization writes a Double of that value).
    static func jsonNumber(_ value: Float32) -> String {
        let shortest = "\(value)"
        guard let double = Double(shortest) else { return "0" }
        if double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
        return shortest
    }
}
