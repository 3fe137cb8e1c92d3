import ArgumentParser
import Foundation
import XtalCore
import XtalMX
import XtalNexus

/// `xtalreport inspect FILE...`: what a master file (or PandA capture file) says.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the metadata of NXmx/HDF5 master files, PandA capture files and MX processing results.",
        discussion: """
            Reads collection times, image count, beam, detector, goniometer, per-image sample \
            positions, the DLS pump-probe note and per-frame timestamps through libhdf5. Data \
            files may be absent: links to them are listed, not followed. Values are shown in \
            one convention (lengths mm, wavelength Å, energy eV, times s, angles degrees, beam \
            centre pixels) with the file's own unit when it differs.

            Rotation-MX results are recognised by their content: ISPyB AutoProcContainer XML \
            (autoPROC, xia2, fast_dp, EDNA_proc, XDSME), fast_dp.json, xia2.txt and \
            xia2-summary.dat give space group, cell and Table 1 per shell (R factors and CCs as \
            fractions, completeness in %, with any unit conversion stated); Dozor logs, EDNA2 \
            Dozor JSON and DIALS per-image analysis give per-image spots, scores and resolution.

            --json prints the same values for scripts (the 'metadata' object of summary.json); \
            add --per-image for the per-image arrays (sample positions, frame start times).

            \(ExitStatus.helpText)
            """)

    @Argument(help: ArgumentHelp("Master files (.nxs, _master.h5), PandA capture files, or MX result files.", valueName: "FILE"))
    var files: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .customLong("per-image"), help: "With --json, include the per-image arrays.")
    var perImage = false

    func run() throws {
        var failed = false
        var documents: [InspectDocument] = []
        for (index, path) in files.enumerated() {
            do {
                if MXResultFile.recognises(path: path) {
                    let content = try MXResultFile.read(path: path)
                    documents.append(InspectDocument(mxResult: content))
                    if !json { Console.print((index > 0 ? "\n" : "") + MXResultText.render(content)) }
                    continue
                }
                switch try NexusMasterReader.readCaptureOrMaster(path: path) {
                case .capture(let capture):
                    documents.append(InspectDocument(capture: capture, includeTimes: perImage))
                    if !json { Console.print((index > 0 ? "\n" : "") + MetadataText.renderCapture(capture)) }
                case .master(let master):
                    documents.append(InspectDocument(master: master, includePerImage: perImage))
                    if !json { Console.print((index > 0 ? "\n" : "") + MetadataText.render(master.metadata)) }
                }
            } catch {
                Console.error("\(error)")
                failed = true
            }
        }
        if json {
            // Non-finite values (a NaN or infinity in the file) as in summary.json.
            let data = try ExperimentResults.jsonEncoder.encode(documents)
            print(String(decoding: data, as: UTF8.self))
        }
        if failed { throw ExitStatus.unreadableInput }
    }
}

/// One file's `--json` output.
struct InspectDocument: Encodable {
    var metadata: RunMetadata?
    var perImage: PerImageMetadata?
    var capture: CaptureDocument?
    var processing: [ProcessingResult]?
    var imageQuality: ImageQualitySeries?
    var dozorInput: DozorInput?

    init(mxResult content: MXResultFile.Content) {
        switch content {
        case .processing(let results): processing = results
        case .imageQuality(let series): imageQuality = series
        case .dozorInput(let input): dozorInput = input
        }
    }

    init(master: NexusMasterFile, includePerImage: Bool) {
        metadata = master.metadata
        perImage = includePerImage ? master.perImage : nil
    }

    init(capture: PandACapture, includeTimes: Bool) {
        self.capture = CaptureDocument(
            path: capture.path, triggers: capture.triggers, columns: capture.columns, armTime: capture.armTime,
            startTime: capture.startTime, frameTimes: capture.frameTimes,
            timestamps: includeTimes ? capture.timestamps : nil)
    }

    struct CaptureDocument: Encodable {
        var path: String
        var triggers: Int
        var columns: [String]
        var armTime: MetadataTime?
        var startTime: MetadataTime?
        var frameTimes: FrameTimesSummary?
        var timestamps: [Double]?
    }
}
