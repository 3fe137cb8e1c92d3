import Foundation
import XtalCore

/// External links and virtual-dataset sources, and the list of missing fields.
extension NexusReading {
    /// Every external link under the entry and every VDS source file, with whether its
    /// target was found (relative names resolve against the master's folder, as libhdf5
    /// does). Dangling links are normal for a master copied without its data files.
    func readExternalLinks() {
        var links: [ExternalLinkStatus] = []
        var visited = 0
        func visit(_ group: String) {
            for name in file.childNames(group) {
                visited += 1
                guard visited < 20_000 else { return }
                let path = group + "/" + name
                let entry = file.entry(path)
                if let target = file.externalTarget(path) {
                    let resolved: Bool
                    if case .dangling = entry { resolved = false } else { resolved = true }
                    links.append(ExternalLinkStatus(path: path, file: target.file, object: target.object, resolved: resolved))
                } else if entry == .group, !name.hasPrefix("detectorModule_") {
                    visit(path)
                }
            }
        }
        visit(layout.entry)
        if let data = file.dataset(layout.data + "/data"), let sources = data.virtualSources {
            let directory = URL(fileURLWithPath: file.path).deletingLastPathComponent()
            var seen = Set<String>()
            for source in sources where source.file != "." && seen.insert(source.file).inserted {
                let local = source.file.hasPrefix("/") ? source.file : directory.appendingPathComponent(source.file).path
                links.append(
                    ExternalLinkStatus(
                        path: data.path + " (virtual source)", file: source.file, object: source.dataset,
                        resolved: FileManager.default.fileExists(atPath: local)))
            }
        }
        metadata.externalLinks = links
    }

    /// Names the NXmx required/recommended values that a report needs and the file lacks.
    func noteMissingFields() {
        let m = metadata
        let checks: [(String, Bool)] = [
            ("definition (/entry/definition)", m.definition == nil),
            ("start time", m.startTime == nil),
            ("image count", m.images == nil),
            ("wavelength / energy", m.beam.wavelength == nil),
            ("detector description", m.detector.description == nil),
            ("sensor material", m.detector.sensorMaterial == nil),
            ("sensor thickness", m.detector.sensorThickness == nil),
            ("detector distance", m.detector.distance == nil),
            ("beam centre", m.detector.beamCentreX == nil || m.detector.beamCentreY == nil),
            ("pixel size", m.detector.pixelSizeX == nil || m.detector.pixelSizeY == nil),
            ("count time", m.detector.countTime == nil),
            ("sample name", m.sample.name == nil),
        ]
        metadata.missing = checks.filter(\.1).map(\.0)
    }
}
