import Foundation
import XtalCore
import Yams

/// The experiment manifest (`manifest.yaml`): what `xtalreport run` processes.
/// The format is documented in docs/manifest.md; relative paths are resolved against the
/// manifest's folder. Fields used by later stages (NeXus master files, event chains,
/// merges, ISPyB ids) are parsed and validated now and carried in the model.
public struct Manifest: Sendable, Equatable, Codable {
    /// Manifest format version; 1 is the only one so far.
    public var version: Int?
    /// Experiment name, shown as the report's title.
    public var experiment: String
    /// ISPyB visit, e.g. `mx2427-1` (used by the store).
    public var session: String?
    public var sample: Sample?
    /// Output folder (default: `xtalreport-out` beside the manifest).
    public var output: String?
    public var runs: [Run]
    /// Named event chains, referred to by runs (`event_chain: NAME`).
    public var eventChains: [String: EventChain]?
    /// Event chain applied to every run that names none.
    public var defaultEventChain: String?
    public var merges: [Merge]?
    /// How datasets are merged and their figures computed (all optional).
    public var merging: Merging?
    /// A stream listed more than once: `once` (default: read where first listed, later
    /// listings left out with a warning) or `each` (read at every listing, counted each time).
    public var repeatedStreams: String?
    /// How `run --slurm` submits the job (docs/cluster.md); the command line's options win.
    public var slurm: Slurm?

    /// A job's SLURM settings, from a manifest's `slurm:` section or a site file.
    public struct Slurm: Sendable, Equatable, Codable {
        public var partition: String?
        public var time: String?
        public var mem: String?
        public var account: String?
        public var tasks: Int?
        /// Bytes per task, e.g. `2G`.
        public var taskSize: String?
        public var taskThreads: Int?
        public var sbatchArgs: [String]?

        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case partition, time, mem, account, tasks
            case taskSize = "task_size"
            case taskThreads = "task_threads"
            case sbatchArgs = "sbatch_args"
        }
    }

    /// Options of the merge stage (docs/manifest.md).
    public struct Merging: Sendable, Equatable, Codable {
        /// CrystFEL point group (`-y`) for every dataset that names none; default: the
        /// Laue class of the target cell.
        public var pointGroup: String?
        /// Resolution shells (default 10).
        public var shells: Int?
        /// Fixed resolution range in Å (default: the data's own).
        public var lowres: Double?
        public var highres: Double?
        /// Measurements a reflection needs to be in a merged list (default 2).
        public var minMeasurements: Int?
        /// Points of the accumulation curve (default 20).
        public var accumulationSteps: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case pointGroup = "point_group"
            case shells, lowres, highres
            case minMeasurements = "min_measurements"
            case accumulationSteps = "accumulation_steps"
        }
    }

    /// Sample and what it is made of.
    public struct Sample: Sendable, Equatable, Codable {
        public var name: String
        public var protein: String?
        /// How crystals are presented: `chip`, `jet`, `tape`, `loop` …
        public var support: String?
        public var components: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, protein, support, components
        }
    }

    /// One run: a collection and the results computed from it.
    public struct Run: Sendable, Equatable, Codable {
        public var name: String
        /// `ssx` (default) or `rotation`.
        public var kind: String?
        /// Per-image result files (CrystFEL streams; several are read as one run, in order).
        /// Optional for a rotation run, and for a serial run summarised from `image_quality`.
        public var results: [String]
        /// Processing-result files: ISPyB AutoProcContainer XML, fast_dp.json, xia2.txt,
        /// xia2-summary.dat.
        public var processing: [String]?
        /// Per-image quality files: Dozor logs, EDNA2 Dozor JSON, DIALS per-image analysis.
        public var imageQuality: [String]?
        /// Spot-finding hits: images with more spots than this (default 16).
        public var hitSpotCutoff: Int?
        /// indexamajig stderr log, the processed-image count when non-hits are left out.
        public var indexamajigLog: String?
        /// NXmx master file of the collection.
        public var master: String?
        /// ISPyB DataCollection id, when known.
        public var dataCollectionId: Int?
        /// Name of an entry of `event_chains`.
        public var eventChain: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, kind, results, master, processing
            case imageQuality = "image_quality"
            case hitSpotCutoff = "hit_spot_cutoff"
            case indexamajigLog = "indexamajig_log"
            case dataCollectionId = "data_collection_id"
            case eventChain = "event_chain"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            results = try c.decodeIfPresent([String].self, forKey: .results) ?? []
            processing = try c.decodeIfPresent([String].self, forKey: .processing)
            imageQuality = try c.decodeIfPresent([String].self, forKey: .imageQuality)
            hitSpotCutoff = try c.decodeIfPresent(Int.self, forKey: .hitSpotCutoff)
            indexamajigLog = try c.decodeIfPresent(String.self, forKey: .indexamajigLog)
            master = try c.decodeIfPresent(String.self, forKey: .master)
            dataCollectionId = try c.decodeIfPresent(Int.self, forKey: .dataCollectionId)
            eventChain = try c.decodeIfPresent(String.self, forKey: .eventChain)
        }
    }

    /// An ISPyB-style event chain plus what ISPyB has no column for (docs/manifest.md).
    public struct EventChain: Sendable, Equatable, Codable {
        /// ISPyB-style events: `type`, `name`, `offset`, `duration`, `period`, `repetition`, `component`.
        public var events: [TimingEvent]
        /// `ispyb` (default), `i24-fixed-target` or `i24-extruder`: how the pump offset is signed.
        public var convention: String?
        /// `all`, `interleave` or `checker`.
        public var laserPattern: String?
        /// Stride of `interleave` (default 2: light, dark, light …).
        public var interleave: Int?
        public var laserHeader: String?
        public var delayHeader: String?
        /// The offsets were measured, not requested.
        public var measured: Bool?
        public var prePumpExposure: Double?
        public var pumpMode: String?
        public var gateStep: Double?
        public var shutter: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case events, convention, interleave, measured, shutter
            case laserPattern = "laser_pattern"
            case laserHeader = "laser_header"
            case delayHeader = "delay_header"
            case prePumpExposure = "pre_pump_exposure"
            case pumpMode = "pump_mode"
            case gateStep = "gate_step"
        }
    }

    /// A merged dataset and what went into it.
    public struct Merge: Sendable, Equatable, Codable {
        public var name: String
        public var runs: [String]
        /// Only these time points (labels such as `dark`, `light_10us`).
        public var timePoints: [String]?
        /// Only `light` or only `dark` images.
        public var laser: String?
        /// CrystFEL point group for this dataset.
        public var pointGroup: String?
        /// Merge outputs (e.g. partialator `.hkl`, check_hkl shell files) for the merge stage.
        public var files: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, runs, laser, files
            case timePoints = "time_points"
            case pointGroup = "point_group"
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, experiment, session, sample, output, runs, merges, merging
        case eventChains = "event_chains"
        case defaultEventChain = "default_event_chain"
        case repeatedStreams = "repeated_streams"
        case slurm
    }

    /// The keys a section knows: its coding keys.
    static func keys<K: CodingKey & CaseIterable>(_: K.Type) -> Set<String> { Set(K.allCases.map(\.stringValue)) }
    /// The keys of an event (`XtalCore.TimingEvent`'s fields).
    static let eventKeys: Set<String> = ["type", "name", "offset", "duration", "period", "repetition", "component"]
}

/// A manifest read from a file, with its paths resolved.
public struct LoadedManifest: Sendable {
    public var manifest: Manifest
    /// Absolute path of the manifest file.
    public var path: String
    /// Folder relative paths are resolved against.
    public var baseDirectory: String
    /// Keys the manifest had that the format does not know (listed as warnings, not errors).
    public var unknownKeys: [String]

    /// The event chain of `run` (its own, else `default_event_chain`), already validated.
    public func eventChain(for run: Manifest.Run) -> XtalCore.EventChain? {
        guard let name = run.eventChain ?? manifest.defaultEventChain, let chain = manifest.eventChains?[name] else {
            return nil
        }
        return try? chain.timingChain(name: name)
    }

    /// Resolves a path from the manifest.
    public func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: baseDirectory).appendingPathComponent(relative).path
    }

    /// The output folder: the manifest's `output`, else `xtalreport-out` beside it.
    public var outputDirectory: String { resolve(manifest.output ?? "xtalreport-out") }

    /// Reads and validates `path`. Errors name the manifest and say what is wrong.
    public static func load(path: String) throws -> LoadedManifest {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let file = try MappedFile(path: path)
        let text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
        let manifest: Manifest
        do {
            manifest = try YAMLDecoder().decode(Manifest.self, from: text)
        } catch let error as DecodingError {
            throw InputError.badManifest(path: path, reason: Self.describe(error))
        } catch {
            throw InputError.badManifest(path: path, reason: "\(error)")
        }
        try validate(manifest, path: path)
        return LoadedManifest(
            manifest: manifest, path: absolute,
            baseDirectory: URL(fileURLWithPath: absolute).deletingLastPathComponent().path,
            unknownKeys: (try? unknownKeys(in: text)) ?? [])
    }

    static func validate(_ m: Manifest, path: String) throws {
        func bad(_ reason: String) -> InputError { .badManifest(path: path, reason: reason) }
        if let v = m.version, v != 1 { throw bad("version \(v) is not supported (this xtalreport reads version 1)") }
        guard !m.runs.isEmpty else { throw bad("'runs' is empty: name at least one run") }
        var seen = Set<String>()
        for run in m.runs {
            guard !run.name.isEmpty else { throw bad("a run has an empty name") }
            guard seen.insert(run.name).inserted else { throw bad("run name '\(run.name)' is used twice") }
            if let kind = run.kind, RunKind(rawValue: kind) == nil {
                throw bad("run '\(run.name)': kind must be 'ssx' or 'rotation', not '\(kind)'")
            }
            let others = (run.processing ?? []) + (run.imageQuality ?? [])
            guard !run.results.isEmpty || !others.isEmpty || (run.kind == "rotation" && run.master != nil) else {
                throw bad(
                    "run '\(run.name)' lists no result files (a serial run needs 'results' or 'image_quality'; "
                        + "a rotation run 'processing', 'image_quality' or 'master')")
            }
            if let cutoff = run.hitSpotCutoff, cutoff < 0 {
                throw bad("run '\(run.name)': hit_spot_cutoff must be 0 or more, not \(cutoff)")
            }
            if let chain = run.eventChain, m.eventChains?[chain] == nil {
                throw bad("run '\(run.name)' names event chain '\(chain)', which 'event_chains' does not define")
            }
        }
        if let chain = m.defaultEventChain, m.eventChains?[chain] == nil {
            throw bad("default_event_chain '\(chain)' is not defined in 'event_chains'")
        }
        for (name, chain) in m.eventChains ?? [:] {
            do {
                _ = try chain.timingChain(name: name)
            } catch {
                throw bad("event chain '\(name)': \(error.reason)")
            }
        }
        if let r = m.repeatedStreams, r != "once", r != "each" {
            throw bad("repeated_streams must be 'once' or 'each', not '\(r)'")
        }
        var mergeNames = Set<String>()
        for merge in m.merges ?? [] {
            guard !merge.name.isEmpty else { throw bad("a merge has an empty name") }
            guard mergeNames.insert(merge.name).inserted else { throw bad("merge name '\(merge.name)' is used twice") }
            for run in merge.runs where !seen.contains(run) {
                throw bad("merge '\(merge.name)' names run '\(run)', which 'runs' does not define")
            }
            if let laser = merge.laser, laser != "light", laser != "dark" {
                throw bad("merge '\(merge.name)': laser must be 'light' or 'dark', not '\(laser)'")
            }
        }
        if let merging = m.merging {
            if let n = merging.shells, !(1...100).contains(n) { throw bad("merging.shells must be 1 to 100, not \(n)") }
            if let n = merging.minMeasurements, !(1...1000).contains(n) {
                throw bad("merging.min_measurements must be 1 to 1000, not \(n)")
            }
            if let n = merging.accumulationSteps, !(1...1000).contains(n) {
                throw bad("merging.accumulation_steps must be 1 to 1000, not \(n)")
            }
            for (key, value) in [("lowres", merging.lowres), ("highres", merging.highres)] {
                if let v = value, !(v.isFinite && v > 0) { throw bad("merging.\(key) must be a positive number of Å, not \(v)") }
            }
            if let lo = merging.lowres, let hi = merging.highres, hi >= lo {
                throw bad("merging.highres (\(hi) Å) must be below merging.lowres (\(lo) Å)")
            }
        }
    }

    /// Every key the format does not know, with where it is (`runs[0].stream`,
    /// `event_chains.pp.events[1].ofset`): in every section, not only at the top.
    static func unknownKeys(in text: String) throws -> [String] {
        guard let root = try Yams.compose(yaml: text), let top = root.mapping else { return [] }
        var unknown: [String] = []
        func check(_ node: Node?, _ known: Set<String>, at place: String) {
            for (key, _) in node?.mapping ?? [:] {
                if let name = key.string, !known.contains(name) { unknown.append(place.isEmpty ? name : "\(place).\(name)") }
            }
        }
        func checkEach(_ node: Node?, _ known: Set<String>, at place: String) {
            for (i, item) in (node?.sequence ?? []).enumerated() { check(item, known, at: "\(place)[\(i)]") }
        }
        check(root, Manifest.keys(Manifest.CodingKeys.self), at: "")
        for (key, value) in top {
            switch key.string {
            case "runs": checkEach(value, Manifest.keys(Manifest.Run.CodingKeys.self), at: "runs")
            case "merges": checkEach(value, Manifest.keys(Manifest.Merge.CodingKeys.self), at: "merges")
            case "sample": check(value, Manifest.keys(Manifest.Sample.CodingKeys.self), at: "sample")
            case "merging": check(value, Manifest.keys(Manifest.Merging.CodingKeys.self), at: "merging")
            case "slurm": check(value, Manifest.keys(Manifest.Slurm.CodingKeys.self), at: "slurm")
            case "event_chains":
                for (name, chain) in value.mapping ?? [:] {
                    let place = "event_chains.\(name.string ?? "?")"
                    check(chain, Manifest.keys(Manifest.EventChain.CodingKeys.self), at: place)
                    checkEach(chain.mapping?["events"], Manifest.eventKeys, at: place + ".events")
                }
            default: break
            }
        }
        return unknown
    }

    private static func describe(_ error: DecodingError) -> String {
        func where_(_ path: [CodingKey]) -> String {
            path.isEmpty ? "top level" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing required key '\(key.stringValue)' at \(where_(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(where_(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }
}

extension Manifest.Slurm {
    /// The site's SLURM settings: the `slurm:` section of `$XTALREPORT_SITE_CONFIG`, else of
    /// `/etc/xtalreport/site.yaml` when it exists; nil without either. A file that is there
    /// but cannot be read is an error naming it.
    public static func site(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Manifest.Slurm? {
        let path = environment["XTALREPORT_SITE_CONFIG"] ?? "/etc/xtalreport/site.yaml"
        guard environment["XTALREPORT_SITE_CONFIG"] != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        struct Site: Decodable { var slurm: Manifest.Slurm? }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try YAMLDecoder().decode(Site.self, from: text).slurm
        } catch {
            throw InputError.badManifest(path: path, reason: "site configuration: \(error)")
        }
    }
}
