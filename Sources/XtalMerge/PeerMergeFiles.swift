import Foundation
import XtalCore
import XtalMX

/// The files of a peer's merge (`merges[].files`), each recognised by its content and read:
/// CrystFEL reflection lists (`.hkl`, `.hkl1`, `.hkl2`), partialator's log, `--custom-split`
/// files, partialator's `--harvest-file`, check_hkl and compare_hkl shell files and what
/// those two printed. Beside each file given, its half-sets (`X.hkl1`, `X.hkl2` next to
/// `X.hkl`) and a shell file's printed output (`X.log` next to `X.dat`) are read too when
/// they exist. A file that cannot be read or is none of these is listed with the reason and
/// left out; the rest is read.
public struct PeerMergeFiles: Sendable {
    /// A reflection list: its reflection count, symmetry and the notes after its end.
    public struct ListSummary: Sendable {
        public var path: String
        public var reflections: Int
        public var symmetry: String
        public var notes: [String]
    }

    public var lists: [ListSummary] = []
    public var logs: [PartialatorLog] = []
    public var splits: [CustomSplitFile] = []
    public var unmerged: [PartialatorUnmergedFile] = []
    /// DIALS image-grouping YAMLs (xia2.ssx_reduce `grouping=`).
    public var groupings: [DIALSGroupingYAML] = []
    /// Merges other programs wrote in a format of the MX readers (`XtalMX.MXResultFile`):
    /// dials.merge JSON, an ISPyB AutoProcContainer XML, xia2's Table 1, iotbx statistics.
    public var processing: [ProcessingResult] = []
    public var shellFiles: [HKLShellFile] = []
    public var outputs: [HKLToolOutput] = []
    /// partialator's harvest file: `merging.partiality_model`.
    public var harvestModel: String?
    public var files: [PeerMergeFile] = []
    public var issues: [IngestIssue] = []

    /// Reads `paths` (relative ones against `base`).
    public static func read(_ paths: [String], base: String?) -> PeerMergeFiles {
        var found = PeerMergeFiles()
        var queue = paths.map { path -> String in
            guard !path.hasPrefix("/"), let base else { return path }
            return URL(fileURLWithPath: base).appendingPathComponent(path).path
        }
        var seen = Set<String>()
        var index = 0
        while index < queue.count {
            let path = queue[index]
            let given = index < paths.count
            index += 1
            guard seen.insert(path).inserted else { continue }
            if !given, !FileManager.default.fileExists(atPath: path) { continue }
            found.readOne(path, siblings: &queue)
        }
        return found
    }

    /// Reads one file by its content; queues its siblings.
    mutating func readOne(_ path: String, siblings: inout [String]) {
        // partialator's unmerged output can be large: it is mapped and scanned, not read whole.
        if let head = Self.head(of: path), PartialatorUnmergedFile.recognises(head) {
            do {
                let file = try PartialatorUnmergedFile.read(path: path)
                unmerged.append(file)
                issues += file.issues
                files.append(PeerMergeFile(path: path, role: "partialator unmerged output"))
            } catch {
                let reason = (error as? MergeError)?.reason ?? "\(error)"
                files.append(PeerMergeFile(path: path, role: "unreadable", notUsed: reason))
                issues.append(IngestIssue(kind: .warning, file: path, line: 0, reason: "\(reason); left out"))
            }
            return
        }
        let data: Data
        do {
            data = try BoundedFile.read(path, largest: 1 << 30)
        } catch {
            files.append(PeerMergeFile(path: path, role: "unreadable", notUsed: error.reason))
            issues.append(IngestIssue(kind: .warning, file: path, line: 0, reason: "cannot be read: \(error.reason); left out"))
            return
        }
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.prefix { $0 != "\n" }
        let stem = (path as NSString).deletingPathExtension
        do {
            if firstLine.hasPrefix(HKLFormat.header) {
                let list = try HKLFormat.parse(text, file: path)
                lists.append(ListSummary(path: path, reflections: list.count, symmetry: list.symmetry, notes: list.notes))
                files.append(PeerMergeFile(path: path, role: path.hasSuffix(".hkl1") || path.hasSuffix(".hkl2") ? "half-set" : "merged list"))
                if path.hasSuffix(".hkl") { siblings += [path + "1", path + "2"] }
            } else if HKLShellFile.recognises(firstLine) {
                let shells = try HKLShellFile.parse(text, path: path)
                shellFiles.append(shells)
                issues += shells.issues
                files.append(PeerMergeFile(path: path, role: "\(shells.tool.rawValue) shells"))
                siblings.append(stem + ".log")
            } else if text.hasPrefix("{"), text.contains("\"partiality_model\"") {
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                harvestModel = (object?["merging"] as? [String: Any])?["partiality_model"] as? String
                files.append(PeerMergeFile(path: path, role: "partialator harvest",
                                           notUsed: harvestModel == nil ? "no merging.partiality_model in it" : nil))
            } else if let log = try? PartialatorLog.parse(text, path: path) {
                logs.append(log)
                issues += log.issues
                files.append(PeerMergeFile(path: path, role: "partialator log"))
            } else if let output = try? HKLToolOutput.parse(text, path: path) {
                outputs.append(output)
                issues += output.issues
                files.append(PeerMergeFile(path: path, role: "\(output.tool.rawValue) output"))
                if let shellFile = output.shellFile {
                    siblings.append(URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(shellFile).path)
                }
            } else if DIALSGroupingYAML.recognises(text) {
                let grouping = try DIALSGroupingYAML.parse(text, path: path)
                groupings.append(grouping)
                issues += grouping.issues
                files.append(PeerMergeFile(path: path, role: "DIALS grouping"))
            } else if Self.looksLikeSplit(text) {
                let split = CustomSplitFile.parse(text, path: path)
                splits.append(split)
                issues += split.issues
                files.append(PeerMergeFile(path: path, role: "custom split"))
            } else if let results = Self.processingResults(path), !results.isEmpty {
                processing += results
                issues += results.flatMap(\.issues)
                files.append(PeerMergeFile(path: path, role: "\(results[0].format.rawValue) (\(results[0].program?.programs ?? results[0].producer.rawValue))"))
            } else {
                throw MergeError.notThisFormat(
                    path: path,
                    reason: "not a file of a merge (CrystFEL reflection list, partialator log or unmerged output, custom split, harvest, "
                        + "check_hkl or compare_hkl output; dials.merge JSON, ISPyB XML, xia2 Table 1, iotbx statistics)")
            }
        } catch {
            let reason = (error as? MergeError)?.reason ?? "\(error)"
            files.append(PeerMergeFile(path: path, role: "unreadable", notUsed: reason))
            issues.append(IngestIssue(kind: .warning, file: path, line: 0, reason: "\(reason); left out"))
        }
    }

    /// The merging results in `path` as the MX readers read them: those with an overall shell.
    static func processingResults(_ path: String) -> [ProcessingResult]? {
        guard case .processing(let results)? = try? MXResultFile.read(path: path) else { return nil }
        return results.filter { $0.scalings.contains { $0.shells.overall != nil } }
    }

    /// The first 4 KiB of a regular file, as text (nil for anything else: the whole read
    /// then names the reason).
    static func head(of path: String) -> Substring? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 4096) else { return nil }
        return Substring(String(decoding: data, as: UTF8.self))
    }

    /// A custom-split file: most non-blank lines have two or three fields, the last a name.
    static func looksLikeSplit(_ text: String) -> Bool {
        var lines = 0, shaped = 0
        for line in text.split(separator: "\n").prefix(1000) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            lines += 1
            if fields.count == 2 || fields.count == 3 { shaped += 1 }
        }
        return lines > 0 && shaped * 10 >= lines * 9
    }
}
