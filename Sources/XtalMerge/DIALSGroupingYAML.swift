import Foundation
import XtalCore
import XtalNexus
import Yams

/// A DIALS image-grouping YAML as `xia2.ssx_reduce grouping=` and `dials.split_still_data`
/// read it (`dials/util/image_grouping.py`; ../shared/docs/merging.md §2.1), evaluated image
/// by image the way DIALS evaluates it:
///
/// - `metadata`: per metadata name, per image file (`.h5`/`.nxs`, or a template with `#`),
///   a constant, `'repeat=n'` (value = image index mod n), `'block=first:last:n'` (value =
///   (index − first) div n) or `'FILE:/dataset'` (one value per image, split on the last `:`);
/// - `grouping.merge_by` (else `split_by`, else the first grouping): the metadata names whose
///   values make the groups, with optional tolerances;
/// - the index is 0-based into an `.h5`/`.nxs` file (the event `//N`), 1-based from the
///   number in a template's file name;
/// - groups: per name, the sorted distinct values (rounded to 1e-9) collapse into bins
///   `[v, v + tolerance]` from the lowest; the populated combinations, in that order, are
///   `group_1 … group_N` (zero-padded to the width of N).
///
/// What cannot be read (a missing key, an unknown spec, an array that is absent or too
/// short) is an issue naming it; images it concerns get no group.
public struct DIALSGroupingYAML: Sendable {
    public enum Spec: Sendable, Equatable {
        case constant(Double)
        case repeating(Int)
        case block(first: Int, last: Int, size: Int)
        case array(file: String, dataset: String)
    }

    public var file: String
    /// The grouping used (`merge_by`, `split_by`, …) and its metadata names and tolerances.
    public var grouping = ""
    public var names: [String] = []
    public var tolerances: [Double] = []
    /// Image file or template → one spec per name, in the file's order.
    public var keys: [String] = []
    public var specs: [String: [Spec]] = [:]
    public var issues: [IngestIssue] = []

    /// Whether `text` looks like a grouping YAML (top-level `metadata:` and `grouping:`).
    public static func recognises(_ text: String) -> Bool {
        let lines = text.split(separator: "\n").prefix(2000)
        return lines.contains { $0.hasPrefix("metadata:") } && lines.contains { $0.hasPrefix("grouping:") }
    }

    public static func read(path: String) throws -> DIALSGroupingYAML {
        try parse(try MergeError.text(of: path, largest: 64 << 20), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> DIALSGroupingYAML {
        // The node tree, not Yams.load: its constructor traps on a mapping key that is not a
        // scalar (found by the fuzzer); here such keys are only passed over.
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            // libyaml quotes the line; a long one is cut.
            throw MergeError.notThisFormat(path: path, reason: "not YAML: " + String("\(error)".prefix(300)).replacingOccurrences(of: "\n", with: " "))
        }
        let top = mapping(root)
        guard let metadataNode = top["metadata"], let groupingNode = top["grouping"], metadataNode.mapping != nil,
              !mapping(groupingNode).isEmpty
        else {
            throw MergeError.notThisFormat(path: path, reason: "not a DIALS grouping YAML (no 'metadata' and 'grouping' mappings)")
        }
        let metadata = mapping(metadataNode), groupings = mapping(groupingNode)
        var yaml = DIALSGroupingYAML(file: path)
        func issue(_ reason: String) { yaml.issues.append(IngestIssue(kind: .warning, file: path, line: 0, reason: reason)) }
        let chosen = ["merge_by", "split_by"].first { groupings[$0] != nil } ?? groupings.keys.sorted()[0]
        yaml.grouping = chosen
        let entry = mapping(groupings[chosen])
        yaml.names = (entry["values"]?.sequence.map(Array.init) ?? []).compactMap { $0.scalar?.string }
        if yaml.names.isEmpty { issue("grouping '\(chosen)' names no metadata ('values')") }
        let tolerances = (entry["tolerances"]?.sequence.map(Array.init) ?? []).map { $0.float }
        yaml.tolerances = yaml.names.indices.map { $0 < tolerances.count ? tolerances[$0] ?? 0 : 0 }
        for name in yaml.names {
            guard metadata[name]?.mapping != nil else {
                issue("metadata '\(name)' of grouping '\(chosen)' is not given")
                continue
            }
            for key in mapping(metadata[name]).keys.sorted() where yaml.specs[key] == nil {
                yaml.keys.append(key)
                yaml.specs[key] = []
            }
        }
        for key in yaml.keys {
            for name in yaml.names {
                guard let value = mapping(metadata[name])[key] else {
                    issue("metadata '\(name)' has no value for \(key) (DIALS needs every image under every name)")
                    yaml.specs[key] = nil
                    break
                }
                guard let spec = spec(value, base: path) else {
                    issue("metadata '\(name)' of \(key): '\((value.scalar?.string ?? "a list or mapping").prefix(80))' is not a constant, repeat=n, block=first:last:n or FILE:/dataset")
                    yaml.specs[key] = nil
                    break
                }
                yaml.specs[key]?.append(spec)
            }
        }
        yaml.keys = yaml.keys.filter { yaml.specs[$0] != nil }
        return yaml
    }

    /// A mapping node's entries with scalar keys (others passed over); empty for any other node.
    static func mapping(_ node: Node?) -> [String: Node] {
        var entries: [String: Node] = [:]
        for (key, value) in node?.mapping ?? [:] {
            if let name = key.scalar?.string, entries[name] == nil { entries[name] = value }
        }
        return entries
    }

    static func spec(_ node: Node, base: String) -> Spec? {
        guard let scalar = node.scalar else { return nil }
        // A plain YAML number is a constant; a quoted one is text, read by the rules below.
        if scalar.style == .plain, let x = node.float { return .constant(x) }
        let text = scalar.string
        if text.hasPrefix("repeat="), let n = Int(text.dropFirst(7)), n > 0 { return .repeating(n) }
        if text.hasPrefix("block=") {
            let parts = text.dropFirst(6).split(separator: ":").compactMap { Int($0) }
            guard parts.count == 3, parts[2] > 0 else { return nil }
            return .block(first: parts[0], last: parts[1], size: parts[2])
        }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].hasPrefix("/") {
            var file = String(text[..<colon])
            if !file.hasPrefix("/") { file = URL(fileURLWithPath: base).deletingLastPathComponent().appendingPathComponent(file).path }
            return .array(file: file, dataset: String(text[text.index(after: colon)...]))
        }
        return Double(text).map { .constant($0) }
    }

    /// The key an image belongs to: its file (the same path, else the same file name), or a
    /// template whose `#` run matches its number. Returns the key and the image's index.
    public func key(filename: String, event: String) -> (key: String, index: Int)? {
        let name = (filename as NSString).lastPathComponent
        for key in keys where !key.contains("#") {
            if key == filename || (key as NSString).lastPathComponent == name {
                guard event.hasPrefix("//"), let index = Int(event.dropFirst(2)) else { return nil }
                return (key, index)
            }
        }
        for key in keys where key.contains("#") {
            let template = (key as NSString).lastPathComponent
            guard let start = template.firstIndex(of: "#") else { continue }
            let run = template[start...].prefix { $0 == "#" }
            let prefix = template[..<start], suffix = template[run.endIndex...]
            guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count == template.count,
                  let number = Int(name.dropFirst(prefix.count).dropLast(suffix.count))
            else { continue }
            return (key, number)
        }
        return nil
    }

    /// The values of every image asked for, by DIALS's rules: `images` are (key, index)
    /// pairs; the answer has one tuple per pair (nil where a value cannot be had) and the
    /// issues met (arrays absent, unreadable or too short), each named once.
    public func values(of images: [(key: String, index: Int)]) -> (values: [[Double]?], issues: [String]) {
        var arrays: [String: [Double]?] = [:]
        var problems: [String] = []
        func array(_ file: String, _ dataset: String) -> [Double]? {
            let id = file + ":" + dataset
            if let cached = arrays[id] { return cached }
            var values: [Double]?
            do {
                values = try NumberArrayFile.read(dataset, from: file)
                if values == nil { problems.append("\(id): no such array of numbers") }
            } catch {
                problems.append("\(id): \(error.description)")
            }
            arrays[id] = values
            return values
        }
        var shortArrays = Set<String>()
        let values = images.map { image -> [Double]? in
            guard let specs = specs[image.key] else { return nil }
            var tuple: [Double] = []
            for spec in specs {
                switch spec {
                case .constant(let x): tuple.append(x)
                case .repeating(let n): tuple.append(Double(image.index % n))
                case .block(let first, _, let size): tuple.append(Double((image.index - first) / size))
                case .array(let file, let dataset):
                    guard let list = array(file, dataset) else { return nil }
                    guard image.index >= 0, image.index < list.count else {
                        if shortArrays.insert(file + ":" + dataset).inserted {
                            problems.append("\(file):\(dataset) has \(list.count) values; image \(image.index) of \(image.key) has none")
                        }
                        return nil
                    }
                    tuple.append(list[image.index])
                }
            }
            return tuple
        }
        return (values, problems)
    }

    /// DIALS's groups of `values` (nil: no group): the group number of each (0-based) and
    /// the names `group_1 … group_N`, with each group's description (`name=lo-hi, …`).
    public func groups(of values: [[Double]?]) -> (groupOf: [Int?], names: [String], descriptions: [String]) {
        let rounded = values.map { $0?.map { ($0 * 1e9).rounded() / 1e9 } }
        // Per name: bins [v, v + tolerance] from the lowest distinct value.
        var bins: [[(low: Double, high: Double)]] = []
        for n in names.indices {
            let distinct = Set(rounded.compactMap { $0?[n] }.filter { !$0.isNaN }).sorted()
            var list: [(low: Double, high: Double)] = []
            for v in distinct {
                if let last = list.last, v <= last.low + tolerances[n] { list[list.count - 1].high = v } else { list.append((v, v)) }
            }
            bins.append(list)
        }
        let keys = rounded.map { tuple -> [Int]? in
            guard let tuple else { return nil }
            var key: [Int] = []
            for (n, v) in tuple.enumerated() {
                guard let b = bins[n].lastIndex(where: { $0.low <= v }) else { return nil }
                key.append(b)
            }
            return key
        }
        let populated = Set(keys.compactMap { $0 }).sorted { $0.lexicographicallyPrecedes($1) }
        let number = Dictionary(uniqueKeysWithValues: populated.enumerated().map { ($1, $0) })
        let width = String(populated.count).count
        let groupNames = populated.indices.map { i -> String in
            let digits = String(i + 1)
            return "group_" + String(repeating: "0", count: width - digits.count) + digits
        }
        let descriptions = populated.map { key in
            zip(names.indices, key).map { n, b in
                let bin = bins[n][b]
                return bin.low == bin.high ? "\(names[n])=\(format(bin.low))" : "\(names[n])=\(format(bin.low))-\(format(bin.high))"
            }.joined(separator: ", ")
        }
        return (keys.map { $0.flatMap { number[$0] } }, groupNames, descriptions)
    }

    func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
