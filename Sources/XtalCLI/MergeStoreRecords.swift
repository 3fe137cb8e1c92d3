import Foundation
import XtalCore
import XtalStore

/// The merged datasets of a job as the store writes them: each of xtalreport's own
/// datasets, and each peer merge read for a manifest dataset.
enum MergeStoreRecords {
    /// What the extension row keeps of xtalreport's own merge beyond Table 1.
    struct OwnDetails: Encodable {
        var dataset: MergedDatasetResults
        var method: String
        var lightDark: [MergedListComparison]
    }

    static func make(_ merging: MergingResults?, commandLine: String) -> [StoreJob.Merge] {
        guard let merging else { return [] }
        let encoder = ExperimentResults.jsonEncoder
        func json<T: Encodable>(_ value: T) -> String { (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
        var records: [StoreJob.Merge] = []
        var datasetsByName: [String: MergedDatasetResults] = [:]
        for d in merging.datasets {
            datasetsByName[d.name] = d
            let details = OwnDetails(
                dataset: d, method: merging.method, lightDark: merging.lightDark.filter { $0.first == d.name || $0.second == d.name })
            records.append(StoreJob.Merge(
                dataset: d.name, producer: "xtalreport", commandLine: commandLine, pointGroup: d.pointGroup,
                cell: UnitCell(d.cell), tableOne: d.tableOne, runs: d.runs, parameters: parameters(d) + [("crystals", "\(d.crystals)")],
                details: json(details)))
        }
        for peer in merging.peerMerges {
            let own = datasetsByName[peer.dataset]
            var parameters = own.map(parameters) ?? []
            if let name = peer.peerDataset { parameters.append(("peer_dataset", name)) }
            if let model = peer.model { parameters.append(("model", model)) }
            if let n = peer.crystals { parameters.append(("crystals", "\(n)")) }
            parameters.append(("checks", peer.checksPass ? "passed" : "failed"))
            records.append(StoreJob.Merge(
                dataset: peer.dataset, producer: peer.program, commandLine: peer.commandLine,
                pointGroup: peer.pointGroup ?? own?.pointGroup, cell: nil, tableOne: peer.table1, runs: own?.runs ?? [],
                parameters: parameters, details: json(peer)))
        }
        return records
    }

    /// The selection: time points, laser state, point group.
    static func parameters(_ d: MergedDatasetResults) -> [(key: String, value: String)] {
        var p: [(key: String, value: String)] = [("kind", d.kind.rawValue), ("point_group", d.pointGroup)]
        if let tps = d.timePoints { p.append(("time_points", tps.joined(separator: ","))) }
        if let laser = d.laser { p.append(("laser", laser)) }
        return p
    }

}
