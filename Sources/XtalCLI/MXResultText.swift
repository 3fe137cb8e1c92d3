import Foundation
import XtalCore
import XtalMX

/// Renders rotation-MX processing results and per-image quality for a person
/// (`xtalreport inspect`): the program, space group and cell, then Table 1 with one column
/// per shell (overall, inner, outer), R factors and CCs as fractions, completeness in %.
enum MXResultText {
    static func render(_ result: ProcessingResult) -> String {
        var lines = [result.file, "  format            \(result.format.rawValue) (\(result.producer.rawValue))"]
        if let programs = result.program?.programs { lines.append("  program           \(programs)") }
        lines.append("  space group       \(result.spaceGroup ?? "-")")
        if let c = result.cell {
            lines.append("  cell              " + [c.a, c.b, c.c, c.alpha, c.beta, c.gamma].map { number($0) }.joined(separator: " "))
        }
        for (index, scaling) in result.scalings.enumerated() {
            let title = scaling.dataset.map { "Statistics of \($0)" } ?? (result.scalings.count > 1 ? "Statistics (scaling \(index + 1))" : "Statistics")
            lines.append(title + "  (\(scaling.integrations.count) integration\(scaling.integrations.count == 1 ? "" : "s"))")
            lines.append(contentsOf: table(scaling.shells))
        }
        for note in result.normalisations { lines.append("  note: \(note)") }
        for issue in result.issues { lines.append("  issue: \(issue)") }
        return lines.joined(separator: "\n")
    }

    static func render(_ series: ImageQualitySeries) -> String {
        var lines = [series.file, "  format            \(series.format.rawValue)" + (series.program.map { " (\($0))" } ?? "")]
        lines.append("  images            \(series.images.count)")
        if series.imagesWithoutResults > 0 { lines.append("  no results        \(series.imagesWithoutResults)") }
        let spots = series.images.compactMap(\.spots).map(Double.init)
        if let range = summary(spots) { lines.append("  spots             \(range)") }
        if let range = summary(series.images.compactMap(\.dozorScore)) { lines.append("  dozor score       \(range)") }
        let resolution = series.images.compactMap { $0.resolutionEstimate }
        if let range = summary(resolution) { lines.append("  resolution (Å)    \(range)") }
        for issue in series.issues { lines.append("  issue: \(issue)") }
        return lines.joined(separator: "\n")
    }

    private static func summary(_ values: [Double]) -> String? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return "min \(number(sorted[0]))  median \(number(sorted[sorted.count / 2]))  max \(number(sorted[sorted.count - 1]))"
    }

    private static func table(_ shells: ScalingShells) -> [String] {
        let columns = ShellKind.allCases.map { shells[$0] }
        let rows: [(String, (ShellStatistics) -> String?)] = [
            ("resolution (Å)", { s in
                guard let low = s.resolutionLimitLow, let high = s.resolutionLimitHigh else { return nil }
                return "\(number(low))-\(number(high))"
            }),
            ("completeness %", { $0.completeness.map { number($0) } }),
            ("multiplicity", { $0.multiplicity.map { number($0) } }),
            ("<I/σ(I)>", { $0.meanIOverSigI.map { number($0) } }),
            ("Rmerge", { $0.rMerge.map { number($0) } }),
            ("Rmeas", { ($0.rMeasWithinIPlusIMinus ?? $0.rMeasAllIPlusIMinus).map { number($0) } }),
            ("Rpim", { ($0.rPimWithinIPlusIMinus ?? $0.rPimAllIPlusIMinus).map { number($0) } }),
            ("CC½", { $0.ccHalf.map { number($0) } }),
            ("observations", { $0.nTotalObservations.map(String.init) }),
            ("unique", { $0.nTotalUniqueObservations.map(String.init) }),
            ("anom. compl. %", { $0.anomalousCompleteness.map { number($0) } }),
            ("anom. mult.", { $0.anomalousMultiplicity.map { number($0) } }),
            ("CC anom", { $0.ccAnomalous.map { number($0) } }),
        ]
        var lines = ["  " + pad("") + ["overall", "inner", "outer"].map { pad($0, 14) }.joined()]
        for (label, value) in rows {
            let cells = columns.map { $0.flatMap(value) }
            if cells.allSatisfy({ $0 == nil }) { continue }
            lines.append("  " + pad(label) + cells.map { pad($0 ?? "-", 14) }.joined())
        }
        return lines
    }

    private static func pad(_ text: String, _ width: Int = 18) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private static func number(_ x: Double) -> String { CompactNumber.text(x, significant: 6) }
}

extension MXResultText {
    static func render(_ content: MXResultFile.Content) -> String {
        switch content {
        case .processing(let results): results.map { render($0) }.joined(separator: "\n")
        case .imageQuality(let series): render(series)
        case .dozorInput(let input):
            ([input.file, "  format            Dozor input (not a result)"]
                + input.parameters.keys.sorted().map { "  " + $0 + String(repeating: " ", count: max(1, 22 - $0.count)) + input.parameters[$0]! }
                + input.issues.map { "  issue: \($0)" }).joined(separator: "\n")
        }
    }
}

extension MXResultText {
    /// One line per processing result and per-image file of a run, for `run`'s summary.
    static func runLines(_ run: RunResults) -> [String] {
        var lines: [String] = []
        for result in run.processing ?? [] {
            let program = result.program?.programs.map { String($0.components(separatedBy: " (")[0].prefix(40)) } ?? result.producer.rawValue
            var parts = [result.spaceGroup ?? "no space group"]
            if let overall = result.statistics?.overall {
                if let low = overall.resolutionLimitLow, let high = overall.resolutionLimitHigh {
                    parts.append("\(number(low))–\(number(high)) Å")
                }
                if let c = overall.completeness { parts.append("completeness \(number(c)) %") }
                if let cc = overall.ccHalf { parts.append("CC½ \(number(cc))") }
                if let r = overall.rMerge { parts.append("Rmerge \(number(r))") }
                if let i = overall.meanIOverSigI { parts.append("I/σ \(number(i))") }
            }
            lines.append("\(run.name): \(program): " + parts.joined(separator: ", "))
        }
        for quality in run.imageQuality ?? [] {
            var parts = ["\(quality.images) images"]
            if let median = quality.spots.median { parts.append("spots median \(number(median))") }
            if let median = quality.resolution.median { parts.append("resolution median \(number(median)) Å") }
            parts.append("\(quality.hits) with more than \(quality.hitSpotCutoff) spots")
            lines.append("\(run.name): \(quality.program ?? quality.format.rawValue): " + parts.joined(separator: ", "))
        }
        return lines
    }
}
