import Foundation
import XtalIngest

/// The files of a facility's merge found by name when a manifest merge lists none
/// (`merges[].files` absent): in the folders of its runs' streams, the files named after the
/// merge — `NAME.hkl` (and its half-sets), `NAME.log`, `NAME-*.dat|log|txt|json` (check_hkl,
/// compare_hkl, partialator's unmerged output), `NAME.harvest.json`, `NAME.yaml`, and
/// xia2.ssx_reduce's `dials.merge.NAME.json`. Only those folders are looked in, not below.
enum PeerMergeDiscovery {
    static func files(named name: String, in folders: [String]) -> [String] {
        var found: [String] = []
        for folder in Set(folders).sorted() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for file in names.sorted() where matches(file, merge: name) {
                found.append(URL(fileURLWithPath: folder).appendingPathComponent(file).path)
            }
        }
        // The merged list first: it is the dataset's list (PeerMerge).
        return found.sorted { ($0.hasSuffix(".hkl") ? 0 : 1, $0) < ($1.hasSuffix(".hkl") ? 0 : 1, $1) }
    }

    static func matches(_ file: String, merge name: String) -> Bool {
        let exact = [".hkl", ".hkl1", ".hkl2", ".log", ".harvest.json", ".yaml"].map { name + $0 }
        if exact.contains(file) || file == "dials.merge.\(name).json" { return true }
        guard file.hasPrefix(name + "-") else { return false }
        return [".dat", ".log", ".txt", ".json"].contains { file.hasSuffix($0) }
    }

    /// `merges` with the found files filled in where none were listed, and what was found.
    static func fill(_ merges: [Manifest.Merge], runs: [RunInput]) -> (merges: [Manifest.Merge], notes: [String]) {
        var notes: [String] = []
        let filled = merges.map { merge -> Manifest.Merge in
            guard merge.files == nil else { return merge }
            let folders = runs.filter { merge.runs.contains($0.name) }.flatMap(\.streams).map { ($0 as NSString).deletingLastPathComponent }
            let found = files(named: merge.name, in: folders)
            guard !found.isEmpty else { return merge }
            var merge = merge
            merge.files = found
            notes.append("merge '\(merge.name)': \(found.count) file(s) of a facility merge found by name beside its runs' streams")
            return merge
        }
        return (filled, notes)
    }
}
