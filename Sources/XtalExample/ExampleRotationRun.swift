import Foundation
import XtalNexus

/// The rotation run of `xtalreport example` (folder `rot01/`): one lysozyme crystal
/// rotated 180° in 0.1° steps, as a pipeline would leave it: the NXmx master file, an ISPyB
/// AutoProcContainer XML from a fictitious pipeline ("xtalreport example pipeline"), a
/// Dozor log (2.0.2 layout) and DIALS per-image analysis (`spot_counts_per_image` JSON).
/// The figures are invented but consistent: spots and resolution fall slowly along the
/// scan as the crystal decays.
struct ExampleRotationRun {
    static let name = "rot01"
    static let images = 1800
    static let increment = 0.1
    var random: ExampleRandom

    /// Writes the four files into `folder`; returns their paths (master, XML, Dozor, DIALS).
    mutating func write(into folder: URL, announce: (String) -> Void) throws -> [String] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ExampleWriteError(path: folder.path, reason: error.localizedDescription)
        }
        let master = folder.appendingPathComponent("\(Self.name)_master.h5").path
        announce(master)
        var c = NXmxCollection(
            startTime: "2026-11-20T11:00:00Z", images: Self.images, wavelength: 0.9686, distance: 150.0,
            beamCentre: (1034.5, 1081.2), countTime: 0.0099, frameTime: 0.010, dataFilePrefix: Self.name)
        c.endTime = "2026-11-20T11:00:18Z"
        c.transmission = 0.2
        c.flux = 1.5e12
        c.sampleName = "lyso-crystal-01"
        c.rotation = (0, Self.increment)
        do {
            try NXmxMasterWriter.write(c, to: master)
        } catch {
            throw ExampleWriteError(path: master, reason: error.description)
        }
        // Per image: spots and resolution decaying along the scan, with scatter.
        var spots: [Int] = []
        var resolution: [Double] = []
        for i in 0..<Self.images {
            let decay = 1 - 0.25 * Double(i) / Double(Self.images)
            spots.append(max(0, Int((620 * decay + random.normal(mean: 0, sd: 25)).rounded())))
            resolution.append(1.55 + 0.25 * (1 - decay) * 4 + random.normal(mean: 0, sd: 0.02))
        }
        let files = [
            (folder.appendingPathComponent("\(Self.name)_ispyb.xml").path, ispybXML(folder: folder.path)),
            (folder.appendingPathComponent("\(Self.name)_dozor.log").path, dozorLog(spots: spots, resolution: resolution)),
            (folder.appendingPathComponent("\(Self.name)_per_image.json").path, perImageJSON(spots: spots, resolution: resolution)),
        ]
        for (path, text) in files {
            announce(path)
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw ExampleWriteError(path: path, reason: error.localizedDescription)
            }
        }
        return [master] + files.map(\.0)
    }

    /// Table 1 of the fictitious pipeline: P 43 21 2, 1.60 Å.
    func ispybXML(folder: String) -> String {
        func shell(_ type: String, _ low: Double, _ high: Double, _ rMerge: Double, _ obs: Int, _ unique: Int, _ iSig: Double,
                   _ completeness: Double, _ multiplicity: Double, _ ccHalf: Double) -> String {
            """
                <AutoProcScalingStatistics>
                  <scalingStatisticsType>\(type)</scalingStatisticsType>
                  <resolutionLimitLow>\(low)</resolutionLimitLow>
                  <resolutionLimitHigh>\(high)</resolutionLimitHigh>
                  <rMerge>\(rMerge)</rMerge>
                  <rMeasWithinIPlusIMinus>\(String(format: "%.3f", rMerge * 1.08))</rMeasWithinIPlusIMinus>
                  <rPimWithinIPlusIMinus>\(String(format: "%.3f", rMerge * 0.42))</rPimWithinIPlusIMinus>
                  <nTotalObservations>\(obs)</nTotalObservations>
                  <nTotalUniqueObservations>\(unique)</nTotalUniqueObservations>
                  <meanIOverSigI>\(iSig)</meanIOverSigI>
                  <completeness>\(completeness)</completeness>
                  <multiplicity>\(multiplicity)</multiplicity>
                  <anomalousCompleteness>\(String(format: "%.1f", completeness - 1.2))</anomalousCompleteness>
                  <anomalousMultiplicity>\(String(format: "%.1f", multiplicity / 2))</anomalousMultiplicity>
                  <ccHalf>\(ccHalf)</ccHalf>
                </AutoProcScalingStatistics>
            """
        }
        return """
            <?xml version="1.0"?>
            <AutoProcContainer>
              <AutoProcProgramContainer>
                <AutoProcProgram>
                  <processingCommandLine>xtalreport-example-pipeline \(Self.name)_master.h5</processingCommandLine>
                  <processingPrograms>xtalreport example pipeline 1.0</processingPrograms>
                </AutoProcProgram>
                <AutoProcProgramAttachment>
                  <fileType>Log</fileType>
                  <fileName>\(Self.name)_dozor.log</fileName>
                  <filePath>\(folder)</filePath>
                </AutoProcProgramAttachment>
              </AutoProcProgramContainer>
              <AutoProc>
                <spaceGroup>P 43 21 2</spaceGroup>
                <refinedCell_a>78.912</refinedCell_a>
                <refinedCell_b>78.912</refinedCell_b>
                <refinedCell_c>37.104</refinedCell_c>
                <refinedCell_alpha>90.000</refinedCell_alpha>
                <refinedCell_beta>90.000</refinedCell_beta>
                <refinedCell_gamma>90.000</refinedCell_gamma>
              </AutoProc>
              <AutoProcScalingContainer>
                <AutoProcScaling><recordTimeStamp>2026-11-20 11:05:00</recordTimeStamp></AutoProcScaling>
            \(shell("overall", 39.46, 1.60, 0.071, 212_400, 16_310, 14.2, 99.6, 13.0, 0.998))
            \(shell("innerShell", 39.46, 4.34, 0.038, 11_890, 915, 42.7, 99.1, 13.0, 0.999))
            \(shell("outerShell", 1.63, 1.60, 0.912, 10_150, 792, 1.9, 98.7, 12.8, 0.612))
                <AutoProcIntegrationContainer>
                  <Image>
                    <fileName>\(Self.name)_master.h5</fileName>
                    <fileLocation>\(folder)</fileLocation>
                  </Image>
                  <AutoProcIntegration>
                    <startImageNumber>1</startImageNumber>
                    <endImageNumber>\(Self.images)</endImageNumber>
                    <refinedDetectorDistance>150.21</refinedDetectorDistance>
                    <refinedXBeam>77.59</refinedXBeam>
                    <refinedYBeam>81.09</refinedYBeam>
                    <cell_a>78.905</cell_a>
                    <cell_b>78.905</cell_b>
                    <cell_c>37.101</cell_c>
                    <cell_alpha>90.000</cell_alpha>
                    <cell_beta>90.000</cell_beta>
                    <cell_gamma>90.000</cell_gamma>
                  </AutoProcIntegration>
                </AutoProcIntegrationContainer>
              </AutoProcScalingContainer>
            </AutoProcContainer>

            """
    }

    /// Dozor's table in the 2.0.2 layout (mx-results.md §5).
    func dozorLog(spots: [Int], resolution: [Double]) -> String {
        var lines = [
            " Program dozor /A.Popov & G.Bourenkov/", " Version 2.0.2 //  21.05.2019",
            " Copyright 2014 by Alexander Popov and Gleb Bourenkov",
            " N    |            SPOTS             |        Powder Wilson              |        Main    Spot   Visible",
            "image | num.of  INTaver R-factor Res.|   Scale B-fac. Res. Corr. R-factor|       Score   Score  Resolution",
            String(repeating: "-", count: 104),
        ]
        for (i, (n, d)) in zip(spots, resolution).enumerated() {
            let score = Double(n) * 1.1 / (d * d)
            lines.append(String(
                format: "%5d | %5d %8.0f. %7.3f %5.1f|   %5.2f %6.1f %4.1f %5.1f %7.1f | %11.3f %7.2f %7.2f",
                i + 1, n, 900 + Double(n) * 0.8, 0.25, d + 0.1, 0.12, 13.5, d - 0.05, 92.0, 12.0, score, score * 0.85, d))
        }
        lines.append(String(repeating: "-", count: 104))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `dials.spot_counts_per_image json=`: one list per field, one value per image.
    func perImageJSON(spots: [Int], resolution: [Double]) -> String {
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        let noIce = spots.map { "\(Int(Double($0) * 0.9))" }
        let fields = [
            ("n_spots_total", list(spots.map(String.init))), ("n_spots_no_ice", list(noIce)),
            ("n_spots_4A", list(spots.map { "\($0 / 5)" })),
            ("total_intensity", list(spots.map { String(format: "%.1f", Double($0) * 1400) })),
            ("estimated_d_min", list(resolution.map { String(format: "%.3f", $0 - 0.03) })),
        ]
        return "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }
}
