import Foundation
import XtalCore

/// A Dozor input file (`dozor.dat`, mx-results.md §5): keyword lines (`detector`,
/// `exposure`, `detector_distance`, `X-ray_wavelength`, `orgx`, `orgy`,
/// `oscillation_range`, `starting_angle`, `first_image_number`, `number_images`,
/// `name_template_image`, …) up to `end`, `!` starting a comment. Not a result: it says how
/// Dozor was asked to read a scan, and `inspect` shows it.
public struct DozorInput: Sendable, Codable, Equatable {
    public var file: String
    /// Every keyword and its value as written, in file order (a later repeat wins).
    public var parameters: [String: String] = [:]
    public var detector: String? { parameters["detector"] }
    public var exposure: Double? { parameters["exposure"].flatMap(Double.init) }
    /// mm.
    public var detectorDistance: Double? { parameters["detector_distance"].flatMap(Double.init) }
    /// Å.
    public var wavelength: Double? { parameters["X-ray_wavelength"].flatMap(Double.init) }
    /// Beam centre (pixels).
    public var beamCentre: (x: Double, y: Double)? {
        guard let x = parameters["orgx"].flatMap(Double.init), let y = parameters["orgy"].flatMap(Double.init) else { return nil }
        return (x, y)
    }
    public var oscillationRange: Double? { parameters["oscillation_range"].flatMap(Double.init) }
    public var startingAngle: Double? { parameters["starting_angle"].flatMap(Double.init) }
    public var firstImageNumber: Int? { parameters["first_image_number"].flatMap { Int($0) } }
    public var numberOfImages: Int? { parameters["number_images"].flatMap { Int($0) } }
    public var nameTemplate: String? { parameters["name_template_image"] }
    /// Lines that are neither a keyword line nor a comment (listed, not used).
    public var issues: [IngestIssue] = []

    public init(file: String) {
        self.file = file
    }
}

public enum DozorInputReader {
    /// True when `lines` look like a Dozor input file.
    static func looksLikeInput(_ lines: [Substring]) -> Bool {
        let keys = Set(lines.prefix(200).compactMap { $0.split(separator: " ").first.map(String.init) })
        return keys.contains("name_template_image") || (keys.contains("detector") && keys.contains("X-ray_wavelength"))
    }

    public static func read(data: Data, path: String) throws -> DozorInput {
        let lines = MXFileData.lines(data)
        guard looksLikeInput(lines) else {
            throw MXReadError.notThisFormat(path: path, reason: "no Dozor input keywords (name_template_image, detector, X-ray_wavelength)")
        }
        var input = DozorInput(file: path)
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("!") { continue }
            if line == "end" { break }
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else {
                input.issues.append(IngestIssue(kind: .warning, file: path, line: index + 1, reason: "'\(line.prefix(60))' has no value"))
                continue
            }
            let value = parts[1].split(separator: "!", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            input.parameters[String(parts[0])] = value
        }
        return input
    }
}
