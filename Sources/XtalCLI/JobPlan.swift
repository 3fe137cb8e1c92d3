import Foundation
import XtalCore
import XtalIngest

/// What `run` will do, from a manifest or from scanning a directory.
struct JobPlan {
    var source: String
    var experiment: String
    var session: String?
    var sample: SampleInfo?
    /// The sample's components (manifest), linked by the store.
    var components: [String] = []
    var runs: [RunInput]
    var outputDirectory: String
    var unknownKeys: [String] = []
    var warnings: [String] = []
    /// The manifest's merged datasets and merge options.
    var merges: [Manifest.Merge] = []
    var merging: Manifest.Merging?
    /// The manifest's `slurm:` section.
    var slurm: Manifest.Slurm?

    static func make(input: String) throws -> JobPlan {
        guard RawPath.exists(input) else {
            throw InputError.unreadable(path: input, reason: "no such file or directory")
        }
        if RawPath.isDirectory(input) {
            for name in ["manifest.yaml", "manifest.yml", "xtalreport.yaml"] {
                let candidate = URL(fileURLWithPath: input).appendingPathComponent(name).path
                if RawPath.exists(candidate) { return try fromManifest(candidate) }
            }
            return try fromDirectory(input)
        }
        return try fromManifest(input)
    }

    static func fromManifest(_ path: String) throws -> JobPlan {
        let loaded = try LoadedManifest.load(path: path)
        let m = loaded.manifest
        var warnings: [String] = []
        var runs = m.runs.map { run in
            var master = run.master.map(loaded.resolve)
            if let path = master, !RawPath.exists(path) {
                warnings.append("run '\(run.name)': master file \(path) not found; the run is reported without its metadata")
                master = nil
            }
            var input = RunInput(
                name: run.name, streams: run.results.map(loaded.resolve),
                indexamajigLog: run.indexamajigLog.map(loaded.resolve), master: master,
                eventChain: loaded.eventChain(for: run))
            input.dataCollectionId = run.dataCollectionId
            input.kind = run.kind.flatMap(RunKind.init(rawValue:)) ?? .ssx
            input.processing = (run.processing ?? []).map(loaded.resolve)
            input.imageQuality = (run.imageQuality ?? []).map(loaded.resolve)
            if let cutoff = run.hitSpotCutoff { input.hitSpotCutoff = cutoff }
            return input
        }
        if m.repeatedStreams != "each" {
            let once = RepeatedStreams.readOnce(runs)
            if !once.emptied.isEmpty {
                throw InputError.badManifest(
                    path: path, reason: "run '\(once.emptied[0])' lists only streams other runs list before it (each file is read "
                        + "once; set repeated_streams: each to read it at every listing)")
            }
            runs = once.runs
            warnings += once.warnings
        }
        let listed = (m.merges ?? []).map { merge in
            var merge = merge
            merge.files = merge.files?.map(loaded.resolve)
            return merge
        }
        let (merges, found) = PeerMergeDiscovery.fill(listed, runs: runs)
        return JobPlan(
            source: path, experiment: m.experiment, session: m.session,
            sample: m.sample.map { SampleInfo(name: $0.name, protein: $0.protein, support: $0.support) },
            components: m.sample?.components ?? [], runs: runs, outputDirectory: loaded.outputDirectory,
            unknownKeys: loaded.unknownKeys, warnings: warnings + found, merges: merges, merging: m.merging, slurm: m.slurm)
    }

    /// The stream ending of `name`: `.stream`, `.stream.gz` or `.stream.zst`.
    static func streamSuffix(of name: String) -> String? {
        ([".stream"] + StreamCompression.allCases.map(\.streamSuffix)).first { name.hasSuffix($0) }
    }

    /// Every `*.stream` (or `*.stream.gz`, `*.stream.zst`) under `directory` is a run; `NAME.log` beside it is its log and
    /// `NAME_master.h5` or `NAME.nxs` its master file. Processing and per-image result files
    /// are found by name (`DirectoryResultFiles`).
    static func fromDirectory(_ directory: String) throws -> JobPlan {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        // Listed with readdir, so that a name that is not UTF-8 is a run like any other.
        guard let files = RawPath.files(under: root.path) else {
            throw InputError.unreadable(path: directory, reason: "cannot list the directory")
        }
        let streams = files.filter { streamSuffix(of: $0) != nil }
        var names = Set<String>()
        var runs = streams.map { relative -> RunInput in
            let url = root.appendingPathComponent(relative)
            let suffix = streamSuffix(of: relative)!
            let stem = String(url.lastPathComponent.dropLast(suffix.count))
            var name = stem
            // Same stem in two folders: the relative path names the run; a plain and a
            // compressed copy of one stream side by side: the whole file name does.
            var candidates = [String(relative.dropLast(suffix.count)), relative][...]
            while names.contains(name), let next = candidates.popFirst() { name = next }
            names.insert(name)
            let folder = url.deletingLastPathComponent()
            let log = folder.appendingPathComponent(stem + ".log").path
            let master = [stem + "_master.h5", stem + ".nxs"].map { folder.appendingPathComponent($0).path }
                .first { RawPath.exists($0) }
            return RunInput(
                name: name, streams: [url.path],
                indexamajigLog: RawPath.exists(log) ? log : nil, master: master)
        }
        var warnings: [String] = []
        let resultRuns = DirectoryResultFiles.assign(files, root: root, to: &runs, warnings: &warnings)
        for var run in resultRuns {
            while names.contains(run.name) { run.name += "+" }
            names.insert(run.name)
            runs.append(run)
        }
        guard !runs.isEmpty else {
            throw InputError.unreadable(
                path: directory,
                reason: "no manifest.yaml, no *.stream, *.stream.gz or *.stream.zst file and no processing or per-image result file in it")
        }
        return JobPlan(
            source: directory, experiment: root.lastPathComponent, runs: runs,
            outputDirectory: root.appendingPathComponent("xtalreport-out").path, warnings: warnings)
    }
}
