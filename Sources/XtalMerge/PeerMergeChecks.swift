import Foundation
import XtalCore

/// partialator's "Please check that these numbers match your expectations", made
/// automatic: what went into a peer's merge against xtalreport's per-image table.
///
/// - `custom split frames`: every frame the split file lists is an image of the job's streams;
/// - `custom split time points`: each dataset of the file is one of xtalreport's time points
///   (the one most of its frames have) and no frame of it has another;
/// - `custom split counts`: per dataset, the frames with crystals the file lists equal
///   xtalreport's indexed frames of that time point in the merge's runs, and partialator's
///   own count of assigned and unassigned crystals (its log) equals xtalreport's;
/// - `crystals`: the crystals the peer put into the dataset's list against xtalreport's
///   indexed crystals of the same selection, the difference explained by the rejections
///   its log lists where it can be.
///
/// Models are not compared: partialator scales, corrects and rejects, process_hkl does not,
/// so their figures differ; what a check flags is a difference in what went in.
enum PeerMergeChecks {
    /// At most this many frames are named in a check's detail.
    static let namedFrames = 5

    static func make(result: PeerMergeResults, inputs: PeerMergeFiles, listFile: String?, ledger: PeerMerge.Ledger) -> [MergeCheck] {
        var checks: [MergeCheck] = []
        for split in inputs.splits {
            checks += splitChecks(split, logs: inputs.logs, ledger: ledger)
        }
        for grouping in inputs.groupings {
            checks.append(groupingCheck(grouping, group: result.peerDataset, ledger: ledger))
        }
        for file in inputs.unmerged {
            checks.append(unmergedCheck(file, logs: inputs.logs, ledger: ledger))
        }
        checks.append(crystalCheck(result: result, logs: inputs.logs, ledger: ledger))
        return checks
    }

    /// A DIALS grouping against xtalreport's time points: every indexed image of the merge's
    /// runs has a group, each group is one time point (the one most of its images have) and
    /// no image of it has another, and each group holds the indexed images of its time point.
    /// `group`: the group whose merge this is (dials.merge.<group>.json): its time point
    /// must be one the manifest merge selects.
    static func groupingCheck(_ yaml: DIALSGroupingYAML, group: String?, ledger: PeerMerge.Ledger) -> MergeCheck {
        let name = "DIALS grouping"
        let file = (yaml.file as NSString).lastPathComponent
        let runs = Set(ledger.selection.runs)
        var images: [(run: Int, row: Int, key: String, index: Int)] = []
        var ungrouped = 0
        for (r, run) in ledger.runs.enumerated() where runs.contains(run.name) && run.images.filenames.count == run.images.count {
            for row in 0..<run.images.count where run.images.crystalCount[row] > 0 {
                if let place = yaml.key(filename: run.images.filenames[row], event: run.images.events[row]) {
                    images.append((r, row, place.key, place.index))
                } else {
                    ungrouped += 1
                }
            }
        }
        guard !images.isEmpty else {
            return MergeCheck(name: name, verdict: ungrouped > 0 ? .failed : .notChecked,
                              detail: "\(file) names none of the image files of \(ledger.selection.runs.joined(separator: ", "))")
        }
        let (values, problems) = yaml.values(of: images.map { ($0.key, $0.index) })
        let (groupOf, groupNames, descriptions) = yaml.groups(of: values)
        var labels: [Int: [String: Int]] = [:]
        for (i, image) in images.enumerated() {
            guard let g = groupOf[i] else { continue }
            labels[g, default: [:]][label(ledger.runs[image.run], row: image.row), default: 0] += 1
        }
        let timePointOf = labels.mapValues { counts in counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        var issues = problems
        let noValue = groupOf.filter { $0 == nil }.count
        if noValue > 0 { issues.append("\(noValue) indexed images get no value") }
        if ungrouped > 0 { issues.append("\(ungrouped) indexed images of \(ledger.selection.runs.joined(separator: ", ")) are in no file it names") }
        let wrong = images.indices.filter { i in groupOf[i].map { timePointOf[$0] != label(ledger.runs[images[i].run], row: images[i].row) } ?? false }
        if !wrong.isEmpty {
            issues.append("\(wrong.count) images are in another group than their time point's: " + wrong.prefix(namedFrames).map { i in
                let image = images[i]
                return "\((image.key as NSString).lastPathComponent) image \(image.index) in \(groupNames[groupOf[i]!]), xtalreport's time point \(label(ledger.runs[image.run], row: image.row))"
            }.joined(separator: ", "))
        }
        // Two groups of one time point split it; a group per time point is what the merge needs.
        var groupsOfPoint: [String: [String]] = [:]
        for (g, point) in timePointOf { groupsOfPoint[point, default: []].append(groupNames[g]) }
        for (point, groups) in groupsOfPoint where groups.count > 1 {
            issues.append("time point \(point) is split over \(groups.sorted().joined(separator: ", "))")
        }
        if let group, let g = groupNames.firstIndex(of: group) {
            let point = ledger.runs.lazy.flatMap(\.timePoints).first { $0.label == timePointOf[g] }
            if !ledger.selection.selects(run: ledger.selection.runs.first ?? "", timePoint: point) {
                issues.append("\(group) is time point \(timePointOf[g] ?? "none"), which \(describe(ledger.selection)) does not select")
            }
        } else if let group, group.hasPrefix("group_") || group.hasPrefix("dose_") {
            issues.append("the merge is of \(group), which the grouping does not make (its groups: \(groupNames.joined(separator: ", ")))")
        }
        let summary = groupNames.indices.map { g in
            "\(groupNames[g]) (\(descriptions[g])) = time point \(timePointOf[g] ?? "?"): \(groupOf.filter { $0 == g }.count) indexed images"
        }.joined(separator: "; ")
        return issues.isEmpty
            ? MergeCheck(name: name, verdict: .passed, detail: "\(file), \(yaml.grouping): \(summary)")
            : MergeCheck(name: name, verdict: .failed, detail: "\(file), \(yaml.grouping): \(summary); " + issues.joined(separator: "; "))
    }

    /// partialator's record of every crystal it read against xtalreport's crystals: each
    /// one on an image of the streams, as many per image as xtalreport counts, every crystal
    /// of the merge's runs there, and as many flagged as its log rejected.
    static func unmergedCheck(_ file: PartialatorUnmergedFile, logs: [PartialatorLog], ledger: PeerMerge.Ledger) -> MergeCheck {
        let name = (file.file as NSString).lastPathComponent
        let index = ledger.frames
        var perImage: [Int: (run: Int, row: Int, count: Int)] = [:]
        var missing: [PartialatorUnmergedFile.Crystal] = []
        for crystal in file.crystals {
            guard let place = index.place(of: crystal.frame) else {
                missing.append(crystal)
                continue
            }
            perImage[place.run << 40 | place.row, default: (place.run, place.row, 0)].count += 1
        }
        var problems: [String] = []
        if !missing.isEmpty {
            problems.append("\(missing.count) crystals are on no image of the streams: " + missing.prefix(namedFrames).map {
                "crystal \($0.index) on \($0.frame.filename) \($0.frame.event) (line \($0.line))"
            }.joined(separator: ", "))
        }
        let differing = perImage.values.filter { Int(ledger.runs[$0.run].images.crystalCount[$0.row]) != $0.count }
        if !differing.isEmpty {
            problems.append("\(differing.count) images have another number of crystals than xtalreport counts, e.g. " + differing.prefix(namedFrames).map {
                let images = ledger.runs[$0.run].images
                return "\(images.filenames[$0.row]) \(images.events[$0.row]): \($0.count), xtalreport \(images.crystalCount[$0.row])"
            }.joined(separator: ", "))
        }
        let runs = Set(ledger.selection.runs)
        var unlisted = 0
        for (r, run) in ledger.runs.enumerated() where runs.contains(run.name) {
            for row in 0..<run.images.count where run.images.crystalCount[row] > 0 && perImage[r << 40 | row] == nil {
                unlisted += Int(run.images.crystalCount[row])
            }
        }
        if unlisted > 0 { problems.append("\(unlisted) crystals of \(ledger.selection.runs.joined(separator: ", ")) are not in it") }
        let rejected = logs.first.map { $0.crystalsByFlag.filter { $0.key != "OK" }.values.reduce(0, +) }
        if let rejected, !logs[0].crystalsByFlag.isEmpty, rejected != file.flagged {
            problems.append("\(file.flagged) crystals flagged, partialator's log rejected \(rejected)")
        }
        let summary = "\(name): \(file.crystals.count) crystals, \(file.flagged) flagged, \(file.reflectionLines) observations"
        return problems.isEmpty
            ? MergeCheck(name: "unmerged crystals", verdict: .passed,
                         detail: summary + "; every crystal on an image of the streams, as many per image as xtalreport counts")
            : MergeCheck(name: "unmerged crystals", verdict: .failed, detail: summary + "; " + problems.joined(separator: "; "))
    }

    static func label(_ run: LedgerRun, row: Int) -> String { run.timePoint(row: row)?.label ?? "none" }

    static func splitChecks(_ split: CustomSplitFile, logs: [PartialatorLog], ledger: PeerMerge.Ledger) -> [MergeCheck] {
        let name = (split.file as NSString).lastPathComponent
        let index = ledger.frames
        guard !index.isEmpty else {
            return [MergeCheck(name: "custom split frames", verdict: .notChecked,
                               detail: "\(name): the job kept no image filenames and events to compare with")]
        }
        var missing: [CustomSplitFile.Assignment] = []
        var found: [(CustomSplitFile.Assignment, run: Int, row: Int)] = []
        for a in split.frames {
            if let place = index.place(of: a.frame) { found.append((a, place.run, place.row)) } else { missing.append(a) }
        }
        var checks: [MergeCheck] = []
        func frameText(_ a: CustomSplitFile.Assignment) -> String {
            "\(a.frame.filename)\(a.frame.event.isEmpty ? "" : " " + a.frame.event) (line \(a.line))"
        }
        let listedText = "\(name) lists \(split.frames.count) frames"
        checks.append(missing.isEmpty
            ? MergeCheck(name: "custom split frames", verdict: .passed, detail: "\(listedText); every one is an image of the streams")
            : MergeCheck(name: "custom split frames", verdict: .failed,
                         detail: "\(listedText); \(missing.count) are not images of the streams: "
                             + missing.prefix(namedFrames).map(frameText).joined(separator: ", ") + (missing.count > namedFrames ? ", …" : "")))
        // Each dataset of the file ↔ the time point most of its frames have.
        var labelsOfDataset: [String: [String: Int]] = [:]
        for (a, r, row) in found { labelsOfDataset[a.dataset, default: [:]][label(ledger.runs[r], row: row), default: 0] += 1 }
        let timePointOf = labelsOfDataset.mapValues { counts in counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        let wrong = found.filter { label(ledger.runs[$0.run], row: $0.row) != timePointOf[$0.0.dataset] }
        let mapping = timePointOf.sorted { $0.key < $1.key }.map { "'\($0.key)' = time point \($0.value)" }.joined(separator: ", ")
        checks.append(wrong.isEmpty
            ? MergeCheck(name: "custom split time points", verdict: .passed, detail: "\(mapping); every frame is in its time point's dataset")
            : MergeCheck(name: "custom split time points", verdict: .failed,
                         detail: "\(mapping); \(wrong.count) frames are in another dataset than xtalreport's time point: "
                             + wrong.prefix(namedFrames).map {
                                 "\(frameText($0.0)) in '\($0.0.dataset)', xtalreport's time point \(label(ledger.runs[$0.run], row: $0.row))"
                             }.joined(separator: ", ") + (wrong.count > namedFrames ? ", …" : "")))
        checks.append(countCheck(split: split, found: found, timePointOf: timePointOf, logs: logs, ledger: ledger))
        return checks
    }

    /// Frames with crystals per dataset against xtalreport's indexed frames of the time point
    /// in the merge's runs; partialator's assigned/unassigned crystals against xtalreport's.
    static func countCheck(
        split: CustomSplitFile, found: [(CustomSplitFile.Assignment, run: Int, row: Int)], timePointOf: [String: String],
        logs: [PartialatorLog], ledger: PeerMerge.Ledger
    ) -> MergeCheck {
        let runs = Set(ledger.selection.runs)
        var listedFrames: [String: Int] = [:], listedCrystals = 0
        var listed = Set<Int>()  // run << 40 | row
        for (a, r, row) in found {
            listed.insert(r << 40 | row)
            let crystals = Int(ledger.runs[r].images.crystalCount[row])
            guard crystals > 0 else { continue }
            listedFrames[a.dataset, default: 0] += 1
            listedCrystals += crystals
        }
        var indexedFrames: [String: Int] = [:], unlistedCrystals = 0
        for (r, run) in ledger.runs.enumerated() where runs.contains(run.name) {
            for row in 0..<run.images.count where run.images.crystalCount[row] > 0 {
                indexedFrames[label(run, row: row), default: 0] += 1
                if !listed.contains(r << 40 | row) { unlistedCrystals += Int(run.images.crystalCount[row]) }
            }
        }
        var problems: [String] = []
        var lines: [String] = []
        for (dataset, frames) in listedFrames.sorted(by: { $0.key < $1.key }) {
            let point = timePointOf[dataset] ?? "none"
            let ours = indexedFrames[point] ?? 0
            lines.append("'\(dataset)': \(frames) frames with crystals listed, xtalreport \(ours) indexed frames at \(point)")
            if frames != ours { problems.append("'\(dataset)' lists \(frames) indexed frames, xtalreport has \(ours) at time point \(point)") }
        }
        if let check = logs.compactMap(\.splitCheck).first {
            if let assigned = check.crystalsAssigned {
                lines.append("partialator assigned \(assigned) crystals, xtalreport counts \(listedCrystals) on the listed frames")
                if assigned != listedCrystals { problems.append("partialator assigned \(assigned) crystals, xtalreport counts \(listedCrystals) on the frames listed") }
            }
            if let unassigned = check.crystalsUnassigned {
                lines.append("\(unassigned) unassigned, xtalreport \(unlistedCrystals) on unlisted frames of \(ledger.selection.runs.joined(separator: ", "))")
                if unassigned != unlistedCrystals {
                    problems.append("partialator left \(unassigned) crystals unassigned, xtalreport counts \(unlistedCrystals) on frames the file does not list")
                }
            }
        }
        return problems.isEmpty
            ? MergeCheck(name: "custom split counts", verdict: .passed, detail: lines.joined(separator: "; "))
            : MergeCheck(name: "custom split counts", verdict: .failed, detail: problems.joined(separator: "; "))
    }

    /// The crystals of the peer's list against xtalreport's crystals of the selection.
    static func crystalCheck(result: PeerMergeResults, logs: [PartialatorLog], ledger: PeerMerge.Ledger) -> MergeCheck {
        let name = "crystals"
        guard let ours = ledger.lineage?.crystals else {
            return MergeCheck(name: name, verdict: .notChecked, detail: "xtalreport did not merge dataset '\(result.dataset)'")
        }
        let selection = describe(ledger.selection)
        guard let theirs = result.crystals else {
            return MergeCheck(name: name, verdict: .notChecked,
                              detail: "\(result.program) gives no crystal count for this list (its log was not given or does not name the list); xtalreport counts \(ours) in \(selection)")
        }
        let rejected = result.crystalsRejected.values.reduce(0, +)
        let rejectedText = result.crystalsRejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        if let dataset = result.peerDataset {
            // partialator's per-dataset count still includes the crystals deltaCC½ rejected.
            if theirs == ours {
                return MergeCheck(name: name, verdict: .passed,
                                  detail: "partialator wrote \(theirs) crystals into '\(dataset)', as xtalreport counts in \(selection)")
            }
            return MergeCheck(name: name, verdict: .failed, detail:
                "partialator wrote \(theirs) crystals into '\(dataset)', xtalreport counts \(ours) indexed crystals in \(selection): "
                + "\(abs(ours - theirs)) \(theirs < ours ? "fewer" : "more"), not explained by rejections (partialator's dataset counts include rejected crystals)")
        }
        // What the peer read: its rejection block counts every crystal (OK included).
        let read = logs.first.map { $0.crystalsByFlag.values.reduce(0, +) }.flatMap { $0 > 0 ? $0 : nil } ?? theirs + rejected
        let rejections = rejected > 0 ? "rejected \(rejected) (\(rejectedText))" : "rejected none"
        if read == ours, theirs + rejected == read {
            return MergeCheck(name: name, verdict: .passed, detail:
                "\(result.program) read \(read) crystals, as xtalreport counts in \(selection); \(rejections), merged \(theirs)")
        }
        let gap = ours - (theirs + rejected)
        return MergeCheck(name: name, verdict: .failed, detail:
            "\(result.program) merged \(theirs) crystals and \(rejections), xtalreport counts \(ours) indexed crystals in \(selection): "
            + (gap == 0
                ? "its log's rejection block counts \(read), not \(ours)"
                : "\(abs(gap)) \(gap > 0 ? "missing" : "more than xtalreport has"), not explained by rejections"))
    }

    static func describe(_ s: MergeDatasetSpec) -> String {
        var parts = ["run\(s.runs.count == 1 ? "" : "s") \(s.runs.joined(separator: ", "))"]
        if let tps = s.timePoints { parts.append("time points \(tps.joined(separator: ", "))") }
        if let laser = s.laser { parts.append("laser \(laser)") }
        return "merge '\(s.name)' (\(parts.joined(separator: ", ")))"
    }
}
