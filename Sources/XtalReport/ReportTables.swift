import Foundation
import XtalCore

/// A table for a template: headers and rows of cells (text plus an optional CSS style).
struct ReportTable {
    struct Cell {
        var text: String
        var style: String?
        /// Files inside the report folder, linked relatively (after `text`).
        var links: [Link] = []

        init(text: String, style: String? = nil) {
            self.text = text
            self.style = style
        }
    }

    struct Link {
        var label: String
        var href: String
    }

    var headers: [String]
    var rows: [[Cell]]
    /// Two-column "label | value" tables render without a header row.
    var isKeyValue = false

    var context: [String: Any] {
        [
            "headers": headers.map { ["text": $0] }, "hasHeaders": !isKeyValue && !headers.isEmpty,
            // A key absent from a cell's context would fall back to an outer `style`; a Bool keeps
            // the section tag exact (swift-mustache treats "" as true).
            "rows": rows.map {
                ["cells": $0.map { cell -> [String: Any] in
                    [
                        "text": cell.text, "hasStyle": cell.style != nil, "style": cell.style ?? "",
                        "links": cell.links.map { ["label": $0.label, "href": $0.href] },
                    ]
                }]
            },
            "keyValue": isKeyValue,
        ]
    }
}

/// The tables a recipe can name.
enum ReportTables {
    static let names = ["experiment", "funnel", "runs", "lattices", "accounting", "metadata", "provenance", "inputs"]
        + TimeResolvedTables.names + MergingTables.names + MergeLineageTables.names + RotationTables.names

    static func make(_ name: String, _ scope: ReportScope) -> ReportTable? {
        let s = scope.statistics
        let r = scope.results
        switch name {
        case "experiment":
            return keyValue([
                ("experiment", r.experiment), ("session", r.session), ("sample", r.sample?.name),
                ("protein", r.sample?.protein), ("support", r.sample?.support), ("runs", "\(r.runs.count)"),
                ("generated", "\(r.generated) by \(r.engine.name) \(r.engine.version)"),
            ] + scope.jobNotes.map { ($0.label, Optional($0.text)) })
        case "funnel":
            func row(_ label: String, _ n: Int, ofImages: Bool = true, ofHits: Bool = false) -> [ReportTable.Cell] {
                [
                    .init(text: label), .init(text: "\(n)"),
                    .init(text: ofImages ? percent(n, s.imagesCollected) : "—"), .init(text: ofHits ? percent(n, s.hits) : "—"),
                ]
            }
            return ReportTable(
                headers: ["", "count", "% of images", "% of hits"],
                rows: [
                    row("images collected", s.imagesCollected), row("images processed", s.images),
                    row("hits", s.hits, ofHits: true), row("indexed frames", s.indexedFrames, ofHits: true),
                    row("non-indexed hits", s.nonIndexedHits, ofHits: true), row("skipped images (images − hits)", s.skippedImages),
                    row("crystals", s.crystals, ofImages: false), row("multi-lattice frames", s.multiLatticeFrames, ofHits: true),
                ])
        case "runs":
            return ReportTable(
                headers: ["run", "images", "processed", "hits", "hit %", "indexed", "% of hits", "crystals", "skipped", "median a / b / c (Å)"],
                rows: scope.runs.map { run in
                    let t = run.statistics
                    let cells = [t.cell.a.median, t.cell.b.median, t.cell.c.median].map { $0.map { String(format: "%.2f", $0) } ?? "–" }
                    return [
                        .init(text: run.name), .init(text: "\(t.imagesCollected)"), .init(text: "\(t.images)"),
                        .init(text: "\(t.hits)"),
                        .init(text: percent(t.hits, t.images), style: "background:\(PlotColour.hitRate(t.hitRate).hex)"),
                        .init(text: "\(t.indexedFrames)"), .init(text: percent(t.indexedFrames, t.hits)),
                        .init(text: "\(t.crystals)"), .init(text: "\(t.skippedImages)"), .init(text: cells.joined(separator: " / ")),
                    ]
                })
        case "lattices":
            let pairs = s.latticeCenterings.sorted { $0.value > $1.value }
            return ReportTable(
                headers: ["lattice", "crystals", "% of crystals"],
                rows: pairs.map { [.init(text: $0.key), .init(text: "\($0.value)"), .init(text: percent($0.value, s.crystals))] })
        case "accounting":
            return ReportTable(
                headers: ["run", "images in metadata", "processed", "chunks seen", "malformed", "incomplete", "check"],
                rows: scope.runs.map { run in
                    let a = run.accounting
                    let check = run.imageCheck.map { ($0.agrees ? "ok: " : "MISMATCH: ") + $0.explanation }
                        ?? run.metadataError.map { "master file unreadable: " + $0 } ?? "no master file"
                    return [
                        .init(text: run.name), .init(text: run.metadata?.images.map { "\($0.count)" } ?? "–"),
                        .init(text: "\(run.statistics.images)"), .init(text: "\(a.chunksSeen)"),
                        .init(text: "\(a.malformedChunks)"), .init(text: "\(a.incompleteChunks)"),
                        .init(text: check, style: run.imageCheck?.agrees == false ? "background:#f6d5d2" : nil),
                    ]
                })
        case "metadata":
            guard let m = scope.run?.metadata else { return nil }
            return keyValue(MetadataRows.rows(m))
        case "provenance":
            guard let run = scope.run else { return nil }
            return ReportTable(
                headers: ["stream header at line", "CrystFEL", "indexing", "command line"],
                rows: run.provenance.map {
                    [.init(text: "\($0.line)"), .init(text: $0.crystfelVersion ?? "–"), .init(text: $0.indexingMethods ?? "–"),
                     .init(text: $0.commandLine ?? "–", style: "font-family:monospace;font-size:85%")]
                })
        case "inputs":
            guard let run = scope.run else { return nil }
            return ReportTable(
                headers: ["file", "bytes", "good chunks", "malformed", "incomplete"],
                rows: run.inputs.map {
                    [scope.fileCell([$0.path]), .init(text: "\($0.bytes)"), .init(text: "\($0.goodChunks)"),
                     .init(text: "\($0.malformedChunks)"), .init(text: "\($0.incompleteChunks)")]
                })
        default:
            return TimeResolvedTables.make(name, scope) ?? MergingTables.make(name, scope) ?? MergeLineageTables.make(name, scope)
                ?? RotationTables.make(name, scope)
        }
    }

    static func keyValue(_ pairs: [(String, String?)]) -> ReportTable {
        ReportTable(headers: [], rows: pairs.map { [.init(text: $0.0), .init(text: $0.1 ?? "–")] }, isKeyValue: true)
    }

    static func percent(_ x: Int, _ y: Int) -> String {
        y == 0 ? "–" : String(format: "%.1f", Double(x) / Double(y) * 100)
    }
}

/// A run's collection metadata as label/value rows (units always shown).
enum MetadataRows {
    static func rows(_ m: RunMetadata) -> [(String, String?)] {
        func v(_ value: MeasuredValue?) -> String? { value.map { "\(number($0.value)) \($0.unit)" } }
        let d = m.detector
        var rows: [(String, String?)] = [
            ("master file", m.file), ("producer", m.producer), ("start", m.startTime?.utc), ("end", m.endTime?.utc),
            ("images", m.images.map { "\($0.count) (\($0.source))" }), ("wavelength", v(m.beam.wavelength)),
            ("energy", v(m.beam.energy)), ("flux", m.beam.flux.map { "\(number($0.value)) photons/s" }),
            ("transmission", m.beam.transmission.map { number($0.value) }),
            ("detector", d.description), ("sensor", [d.sensorMaterial, v(d.sensorThickness)].compactMap { $0 }.joined(separator: ", ")),
            ("distance", v(d.distance)),
            ("beam centre", d.beamCentreX.flatMap { x in d.beamCentreY.map { "\(number(x.value)), \(number($0.value)) px" } }),
            ("pixel size", v(d.pixelSizeX)), ("count time", v(d.countTime)), ("frame time", v(d.frameTime)),
            ("sample", m.sample.name),
            ("rotation", m.sample.rotation.map { "\($0.axis) \(number($0.start))° + \(number($0.increment))°/image, \(number($0.range))°" }
                ?? (m.sample.isStill == true ? "none (stills)" : nil)),
        ]
        if let p = m.sample.positions {
            rows.append(("sample positions", "\(p.images) per image, \(p.distinctPositions) distinct"))
        }
        if let note = m.pumpProbe {
            rows.append((
                "pump-probe note",
                "exposure \(v(note.exposure) ?? "–"), delay \(v(note.delay) ?? "–")"
                    + (note.delayEqualsExposure ? " (delay untrusted: equals the exposure, nexgen defect)" : "")
            ))
        }
        if let f = m.frameTimes {
            rows.append(("frame times", "\(f.frames) frames, every \(f.meanInterval.map(number) ?? "–") s (\(f.source))"))
        }
        for warning in m.warnings { rows.append(("warning", warning)) }
        return rows
    }

    static func number(_ x: Double) -> String { CompactNumber.text(x, significant: 6) }
}
