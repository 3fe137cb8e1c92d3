import Foundation
import XtalCore

/// Reads Dozor's standard output (Popov & Bourenkov), every version in the samples
/// (mx-results.md §5): 1.0.0 and 1.3.1 with one score, 1.3.8 with main score, spot score
/// and visible resolution, 2.0.2 with the spots' R-factor. Rows are `image | spots |
/// powder Wilson | scores`, told apart by how many values each group has, not by the
/// version line; "no results" rows (no Wilson fit) are kept, with their spots and scores,
/// and counted. A row that cannot be read is an issue with its line, never dropped silently.
public enum DozorLogReader {
    /// Dozor logs hold about 120 bytes per image.
    public static let largestFile = 1 << 30

    public static func read(path: String) throws -> ImageQualitySeries {
        try read(data: MXFileData.load(path, largest: largestFile), path: path)
    }

    /// True when `lines` hold Dozor's banner or its table header.
    static func looksLikeDozor(_ lines: [Substring]) -> Bool {
        lines.prefix(40).contains { $0.contains("Program dozor") || ($0.contains("SPOTS") && $0.contains("Powder Wilson")) }
    }

    public static func read(data: Data, path: String) throws -> ImageQualitySeries {
        let lines = MXFileData.lines(data)
        guard looksLikeDozor(lines) else {
            throw MXReadError.notThisFormat(path: path, reason: "no 'Program dozor' banner or Dozor table header")
        }
        var values = ResultValues(file: path)
        var series = ImageQualitySeries(file: path, format: .dozorLog)
        var inTable = false
        var seen = Set<Int>()
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Version "), series.program == nil {
                series.program = "dozor " + (trimmed.dropFirst(8).split(separator: " ").first.map(String.init) ?? "")
            } else if trimmed.hasPrefix("half-dose Time=") {
                let times = trimmed.dropFirst("half-dose Time=".count).split(separator: " ").compactMap { Double($0) }
                series.halfDoseTimes = times
            }
            if trimmed.hasPrefix("---"), !trimmed.contains("|") {
                // The dashed line opens the table (after the header) and closes it.
                inTable = !inTable && series.images.isEmpty
                continue
            }
            guard inTable else { continue }
            guard trimmed.contains("|") else {
                if !trimmed.isEmpty { inTable = false }
                continue
            }
            guard let image = row(line, line: number, &values) else { continue }
            if !seen.insert(image.imageNumber).inserted {
                values.note("image \(image.imageNumber) appears twice; the later row is left out", line: number, kind: .malformedLine)
                continue
            }
            if image.wilsonScale == nil { series.imagesWithoutResults += 1 }
            series.images.append(image)
        }
        if series.images.isEmpty { values.note("no table rows", line: lines.count) }
        series.issues = values.issues
        return series
    }

    /// One table row, or nil (with an issue) when it cannot be read.
    static func row(_ line: Substring, line number: Int, _ values: inout ResultValues) -> ImageQuality? {
        let groups = line.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.split(separator: " ").map(String.init)
        }
        func reject(_ why: String) -> ImageQuality? {
            values.note("Dozor row not read (\(why)): '\(line.trimmingCharacters(in: .whitespaces).prefix(100))'", line: number, kind: .malformedLine)
            return nil
        }
        guard groups.count == 4, groups[0].count == 1, let imageNumber = Int(groups[0][0]), imageNumber >= 0 else {
            return reject("expected 'image | spots | powder Wilson | scores'")
        }
        let spots = groups[1].map { Double($0) }
        let wilson = groups[2]
        let scores = groups[3].map { Double($0) }
        guard [3, 4].contains(spots.count), !spots.contains(where: { $0 == nil || !$0!.isFinite }) else {
            return reject("spots need 3 or 4 numbers")
        }
        guard [1, 3].contains(scores.count), !scores.contains(where: { $0 == nil || !$0!.isFinite }) else {
            return reject("scores need 1 or 3 numbers")
        }
        var image = ImageQuality(imageNumber: imageNumber)
        let s = spots.map { $0! }
        guard s[0] >= 0, s[0] < 1e12, s[0].rounded() == s[0] else { return reject("the spot count is not a whole number") }
        image.spots = Int(s[0])
        image.spotsMeanIntensity = s[1]
        if s.count == 4 { image.spotsRFactor = s[2] }
        image.spotsResolution = s[s.count - 1]
        let noResults = wilson.joined(separator: " ").contains("no results")
        if !noResults {
            let w = wilson.map { Double($0) }
            guard w.count == 5, !w.contains(where: { $0 == nil || !$0!.isFinite }) else {
                return reject("the powder-Wilson group needs 5 numbers or 'no results'")
            }
            (image.wilsonScale, image.wilsonBFactor, image.wilsonResolution, image.wilsonCorrelation, image.wilsonRFactor) =
                (w[0], w[1], w[2], w[3], w[4])
        }
        image.dozorScore = scores[0]
        if scores.count == 3 { (image.dozorSpotScore, image.visibleResolution) = (scores[1], scores[2]) }
        return image
    }
}
