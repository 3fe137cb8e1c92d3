import Foundation
import XtalCore
import XtalNexus

/// Renders master-file metadata for a person (`xtalreport inspect`): one labelled line per
/// value, units always shown, missing values as "-".
enum MetadataText {
    static func render(_ m: RunMetadata) -> String {
        var lines: [String] = [m.file]
        func row(_ label: String, _ value: String?) {
            lines.append("  " + label.padding(toLength: 18, withPad: " ", startingAt: 0) + (value ?? "-"))
        }
        func section(_ title: String) { lines.append(title) }

        row("producer", m.producer)
        row("definition", m.definition ?? "- (not NXmx: no /entry/definition)")
        row("start", m.startTime.map(time))
        row("end", m.endTime.map(time))
        row("end (estimated)", m.endTimeEstimated.map(time))
        if let images = m.images {
            var text = "\(images.count)  (\(images.source))"
            let raw = [
                images.nimages.map { "nimages \($0)" }, images.ntrigger.map { "ntrigger \($0)" },
                images.triggerMode.map { "trigger mode \($0)" },
            ].compactMap { $0 }
            if !raw.isEmpty { text += "; " + raw.joined(separator: ", ") }
            row("images", text)
        } else {
            row("images", nil)
        }
        row("instrument", [m.instrument, m.source].compactMap { $0 }.joined(separator: " / ").nilIfEmpty)

        section("Beam")
        row("probe", m.beam.probe)
        row("wavelength", m.beam.wavelength.map(value))
        row("energy", m.beam.energy.map(value))
        row("flux", m.beam.flux.map { format($0.value) + " photons/s" })
        if let x = m.beam.beamSizeX, let y = m.beam.beamSizeY {
            row("beam size", "\(format(x.value * 1000)) × \(format(y.value * 1000)) µm")
        }
        row("transmission", m.beam.transmission.map { format($0.value) })

        section("Detector")
        let d = m.detector
        row("description", [d.description, d.type.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ").nilIfEmpty)
        row("serial / firmware", [d.serialNumber, d.firmware].compactMap { $0 }.joined(separator: " / ").nilIfEmpty)
        row("sensor", [d.sensorMaterial, d.sensorThickness.map(value)].compactMap { $0 }.joined(separator: ", ").nilIfEmpty)
        row("distance", d.distance.map(value))
        row("beam centre", pair(d.beamCentreX, d.beamCentreY, separator: ", "))
        row("pixel size", pair(d.pixelSizeX, d.pixelSizeY, separator: " × "))
        if let x = d.pixelsX, let y = d.pixelsY { row("pixels", "\(x) × \(y)") }
        row("count time", d.countTime.map(value))
        row("frame time", d.frameTime.map(value))
        row("saturation", d.saturationValue.map { format($0) })
        let depths = [d.bitDepthReadout.map { "readout \($0)" }, d.bitDepthImage.map { "image \($0)" }].compactMap { $0 }
        row("bit depth", depths.joined(separator: ", ").nilIfEmpty)

        section("Sample")
        row("name", m.sample.name)
        row("depends_on", m.sample.dependsOn)
        if let r = m.sample.rotation, r.continuous == true {
            row("rotation", "\(r.axis) from \(format(r.start))° to \(format(r.start + r.range))°, one continuous scan (event mode, no images), range \(format(r.range))°")
        } else if let r = m.sample.rotation {
            row("rotation", "\(r.axis) from \(format(r.start))° by \(format(r.increment))°/image, range \(format(r.range))°")
        } else if m.sample.isStill == true {
            row("rotation", "none (still images: no rotation axis moves)")
        } else {
            row("rotation", nil)
        }
        if let p = m.sample.positions {
            row(
                "positions",
                "\(p.images) per-image (\(p.axes.joined(separator: ", "))), \(p.distinctPositions) distinct; "
                    + "x \(format(p.xRange[0]))…\(format(p.xRange[1])) mm, y \(format(p.yRange[0]))…\(format(p.yRange[1])) mm")
        }

        section("Time-resolved")
        if let note = m.pumpProbe {
            let status = note.status.map { $0 ? "on" : "off" } ?? "not written"
            var text = "pump \(status); exposure \(note.exposure.map(value) ?? "-"); delay \(note.delay.map(value) ?? "-")"
            if note.delayEqualsExposure { text += " (UNTRUSTED: equals the exposure, nexgen defect)" }
            row("pump-probe note", text)
            if note.repeatSetting != nil || note.exposuresPerPosition != nil {
                row(
                    "chip settings",
                    "pump_repeat \(note.repeatSetting.map(String.init) ?? "-"), n_exposures \(note.exposuresPerPosition.map(String.init) ?? "-")")
            }
        } else {
            row("pump-probe note", "none in the file (unknown, not necessarily off)")
        }
        row("frame times", m.frameTimes.map(frameTimes))

        let dangling = m.externalLinks.filter { !$0.resolved }
        let missingFiles = Array(Set(dangling.map(\.file))).sorted()
        var linkText = "\(m.externalLinks.count) external link(s)/VDS source(s), \(dangling.count) not found"
        if !missingFiles.isEmpty { linkText += " (absent: \(missingFiles.joined(separator: ", ")))" }
        section("Files")
        row("links", linkText)
        if !m.missing.isEmpty { row("missing", m.missing.joined(separator: ", ")) }
        if !m.warnings.isEmpty {
            section("Warnings")
            lines += m.warnings.map { "  - " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    static func renderCapture(_ c: PandACapture) -> String {
        var lines = [c.path, "  producer          PandABox position capture (DLS)"]
        lines.append("  triggers          \(c.triggers)")
        lines.append("  armed             \(c.armTime.map(time) ?? "-")")
        lines.append("  started           \(c.startTime.map(time) ?? "-")")
        lines.append("  frame times       \(c.frameTimes.map(frameTimes) ?? "-")")
        lines.append("  columns           \(c.columns.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }

    static func frameTimes(_ f: FrameTimesSummary) -> String {
        "\(f.frames) frames over \(format(f.last)) s" + (f.meanInterval.map { ", every \(format($0)) s" } ?? "")
            + " (\(f.source))"
    }

    static func time(_ t: MetadataTime) -> String {
        t.hasZone ? t.utc : "\(t.utc) (written \"\(t.text)\" without a zone; UTC assumed)"
    }

    static func value(_ v: MeasuredValue) -> String {
        if let derivation = v.derivedFrom { return "\(format(v.value)) \(v.unit) (\(derivation))" }
        let converted = v.fileUnit.map { $0 != v.unit ? " (file: \($0))" : "" } ?? " (no unit in the file: NXmx default)"
        return "\(format(v.value)) \(v.unit)\(converted)"
    }

    static func pair(_ x: MeasuredValue?, _ y: MeasuredValue?, separator: String) -> String? {
        guard let x, let y else { return nil }
        return "\(format(x.value))\(separator)\(format(y.value)) \(x.unit)"
    }

    /// Up to 7 significant digits, no trailing zeros (0.9801122, 134.255, 2.70474e+11).
    static func format(_ x: Double) -> String { CompactNumber.text(x) }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
