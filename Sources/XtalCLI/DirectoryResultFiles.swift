import Foundation
import XtalCore
import XtalIngest

/// Directory mode's rules for rotation-MX results and per-image quality files, by name:
///
/// - processing results: `*.xml` with `ispyb`, `autoproc`, `edna_proc` or `fast_dp` in the
///   name, `fast_dp.json`, `*xia2.txt`, `*xia2-summary.dat`;
/// - per-image quality: `*dozor*.log|.json|.txt`, `*per_image*.json`.
///
/// In a folder with streams, per-image files go to the run whose stem begins their name
/// (`run01_dozor.log` → `run01.stream`), or to the folder's only run. A folder without
/// streams is a rotation run when it holds processing results (named by the folder, with
/// the folder's one master file), or else one serial run per per-image file, summarised
/// from its spot finding.
enum DirectoryResultFiles {
    static func isProcessing(_ name: String) -> Bool {
        let n = name.lowercased()
        if n.hasSuffix(".xml") { return ["ispyb", "autoproc", "edna_proc", "fast_dp"].contains { n.contains($0) } }
        return n == "fast_dp.json" || n.hasSuffix("xia2.txt") || n.hasSuffix("xia2-summary.dat")
    }

    static func isImageQuality(_ name: String) -> Bool {
        let n = name.lowercased()
        if n.contains("dozor") { return n.hasSuffix(".log") || n.hasSuffix(".json") || n.hasSuffix(".txt") }
        return n.contains("per_image") && n.hasSuffix(".json")
    }

    /// Adds the files of `files` (relative to `root`) to `runs` (the stream runs) and
    /// returns the runs of folders without streams; `warnings` gets what was not assigned.
    static func assign(
        _ files: [String], root: URL, to runs: inout [RunInput], warnings: inout [String]
    ) -> [RunInput] {
        let folderOf = { (relative: String) in (relative as NSString).deletingLastPathComponent }
        let byFolder = Dictionary(grouping: files.filter { isProcessing(fileName($0)) || isImageQuality(fileName($0)) }, by: folderOf)
        var added: [RunInput] = []
        for folder in byFolder.keys.sorted() {
            let here = byFolder[folder]!
            let processing = here.filter { isProcessing(fileName($0)) }.map { root.appendingPathComponent($0).path }
            let perImage = here.filter { !isProcessing(fileName($0)) }
            let local = runs.indices.filter { folderOf(relativePath(runs[$0].streams[0], root: root)) == folder }
            if local.isEmpty {
                if !processing.isEmpty {
                    var run = RunInput(name: folder.isEmpty ? root.lastPathComponent : folder, streams: [])
                    run.kind = .rotation
                    run.processing = processing
                    run.imageQuality = perImage.map { root.appendingPathComponent($0).path }
                    let masters = files.filter {
                        folderOf($0) == folder && ($0.hasSuffix("_master.h5") || $0.hasSuffix(".nxs"))
                    }
                    if masters.count == 1 { run.master = root.appendingPathComponent(masters[0]).path }
                    added.append(run)
                } else {
                    for file in perImage {
                        var run = RunInput(name: (file as NSString).deletingPathExtension, streams: [])
                        run.imageQuality = [root.appendingPathComponent(file).path]
                        added.append(run)
                    }
                }
                continue
            }
            for file in perImage {
                let name = fileName(file)
                let owner = local.first { name.hasPrefix(streamStem(runs[$0].streams[0]) + "_") || name.hasPrefix(streamStem(runs[$0].streams[0]) + ".") }
                    ?? (local.count == 1 ? local[0] : nil)
                if let owner {
                    runs[owner].imageQuality.append(root.appendingPathComponent(file).path)
                } else {
                    warnings.append("\(file): per-image file not matched to a stream (name it after one, e.g. run01_dozor.log); not read")
                }
            }
            if local.count == 1 {
                runs[local[0]].processing += processing
            } else if !processing.isEmpty {
                warnings.append("\(processing.count) processing result file(s) in \(folder.isEmpty ? "." : folder) beside several streams: not read")
            }
        }
        return added
    }

    private static func fileName(_ relative: String) -> String { (relative as NSString).lastPathComponent }

    private static func relativePath(_ path: String, root: URL) -> String {
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    private static func streamStem(_ path: String) -> String {
        let name = fileName(path)
        return JobPlan.streamSuffix(of: name).map { String(name.dropLast($0.count)) } ?? name
    }
}
