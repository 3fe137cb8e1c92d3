import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalMX

/// xia2's JSON outputs, whose layouts come from xia2's source (mx-results.md §3; no real
/// file is public): `ispyb.json` (the AutoProcContainer as JSON, singular
/// `processingProgram`) and `xia2.json` (the project's `_scalr_statistics`). Written here in
/// those layouts with the values of the real xia2 dataset in ../shared/samples/mx/xia2, they
/// must read as its ISPyB XML and xia2.txt do.
final class Xia2JSONTests: XCTestCase {
    func sample(_ name: String) throws -> ProcessingResult {
        let (path, reason) = SharedSamples.path("samples/mx/xia2/" + name)
        guard let path else { throw XCTSkip(reason) }
        guard case .processing(let results) = try MXResultFile.read(path: path), let first = results.first else {
            throw XCTSkip("\(name) not read")
        }
        return first
    }

    func testISPyBJSONReadsAsTheXML() throws {
        let xml = try sample("xia2-0.3.6.3_dls-i04-1_2014_BAZ2BA-x828_ispyb.xml")
        func stats(_ type: String, _ s: ShellStatistics) -> String {
            """
            {"scalingStatisticsType": "\(type)", "resolutionLimitLow": \(s.resolutionLimitLow!), "resolutionLimitHigh": \(s.resolutionLimitHigh!),
             "rMerge": \(s.rMerge!), "rMeasAllIPlusIMinus": \(s.rMeasAllIPlusIMinus!), "rPimAllIPlusIMinus": \(s.rPimAllIPlusIMinus!),
             "rPimWithinIPlusIMinus": \(s.rPimWithinIPlusIMinus!), "nTotalObservations": \(s.nTotalObservations!),
             "nTotalUniqueObservations": \(s.nTotalUniqueObservations!), "meanIOverSigI": \(s.meanIOverSigI!),
             "completeness": \(s.completeness!), "multiplicity": \(s.multiplicity!),
             "anomalousCompleteness": \(s.anomalousCompleteness!), "anomalousMultiplicity": \(s.anomalousMultiplicity!)}
            """
        }
        let shells = try XCTUnwrap(xml.statistics)
        let integration = try XCTUnwrap(xml.scalings.first?.integrations.first)
        let json = """
            {"AutoProc": {"spaceGroup": "C 2 2 21", "refinedCell_a": 83.089996, "refinedCell_b": 96.790001, "refinedCell_c": 57.950001,
                          "refinedCell_alpha": 90.0, "refinedCell_beta": 90.0, "refinedCell_gamma": 90.0},
             "AutoProcScalingContainer": {
               "AutoProcScaling": {"recordTimeStamp": "2014-05-15 03:34:18"},
               "AutoProcScalingStatistics": [\(stats("overall", shells.overall!)), \(stats("innerShell", shells.innerShell!)), \(stats("outerShell", shells.outerShell!))],
               "AutoProcIntegrationContainer": [{"Image": {"fileName": "\(integration.imageFileName!)", "fileLocation": "\(integration.imageFileLocation!)"},
                 "AutoProcIntegration": {"cell_a": 83.091, "cell_b": 96.794, "cell_c": 57.951, "cell_alpha": 90.0, "cell_beta": 90.0, "cell_gamma": 90.0,
                   "startImageNumber": 1, "endImageNumber": 1800, "refinedDetectorDistance": 189.2, "refinedXBeam": 144.42668, "refinedYBeam": 126.06568}}]},
             "AutoProcProgramContainer": {"AutoProcProgram": {"processingCommandLine": "xia2 -3daii", "processingProgram": "xia2"},
               "AutoProcProgramAttachment": [{"fileType": "Log", "fileName": "xia2.txt", "filePath": "/tmp"}]}}
            """
        let folder = try TemporaryFolder()
        let path = try folder.write("ispyb.json", json)
        guard case .processing(let results) = try MXResultFile.read(path: path), let result = results.first else {
            return XCTFail("ispyb.json not read as a processing result")
        }
        XCTAssertEqual(result.format, .xia2ISPyBJSON)
        XCTAssertEqual(result.producer, .xia2)
        XCTAssertEqual(result.program?.programs, "xia2")
        XCTAssertEqual(result.spaceGroup, xml.spaceGroup)
        XCTAssertEqual(result.statistics, xml.statistics)
        XCTAssertEqual(result.scalings.first?.integrations, xml.scalings.first?.integrations)
        XCTAssertEqual(result.attachments.count, 1)
        XCTAssertEqual(result.issues, [])
    }

    func testProjectJSONReadsAsXia2Text() throws {
        let text = try sample("xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt")
        // xia2.json's statistics of that dataset; "I/sigma" with a fourth value (a resolution
        // cut: the full overall), which is not a shell.
        let json = """
            {"__id__": "XProject", "_name": "nt5073v16",
             "_crystals": {"xBAZ2BAx8281": {"__id__": "XCrystal", "_scaler": {
               "_scalr_likely_spacegroups": ["C 2 2 21", "C 2 2 2"],
               "_scalr_cell": [83.09, 96.79, 57.95, 90.0, 90.0, 90.0],
               "_scalr_statistics": {"[\\"nt5073v16\\", \\"xBAZ2BAx8281\\", \\"SAD\\"]": {
                 "High resolution limit": [1.9, 8.5, 1.9], "Low resolution limit": [42.66, 42.66, 1.95],
                 "Completeness": [99.9, 99.2, 99.9], "Multiplicity": [6.7, 6.1, 7.0], "I/sigma": [19.3, 55.0, 2.6, 18.9],
                 "Rmerge(I+/-)": [0.048, 0.028, 0.648], "Rmeas(I)": [0.057, 0.034, 0.767], "Rmeas(I+/-)": [0.056, 0.032, 0.763],
                 "Rpim(I)": [0.022, 0.013, 0.288], "Rpim(I+/-)": [0.030, 0.016, 0.398], "Wilson B factor": [29.862],
                 "Anomalous completeness": [99.4, 100.0, 99.8], "Anomalous multiplicity": [3.4, 3.8, 3.5],
                 "Anomalous correlation": [0.016, -0.059, 0.031], "Total observations": [125167, 1512, 9679],
                 "Total unique": [18787, 247, 1388]}}}}}}
            """
        let folder = try TemporaryFolder()
        let path = try folder.write("xia2.json", json)
        guard case .processing(let results) = try MXResultFile.read(path: path), let result = results.first else {
            return XCTFail("xia2.json not read as a processing result")
        }
        XCTAssertEqual(result.format, .xia2JSON)
        XCTAssertEqual(result.spaceGroup, "C 2 2 21")
        XCTAssertEqual(result.cell, text.cell)
        XCTAssertEqual(result.scalings.first?.dataset, "nt5073v16/xBAZ2BAx8281/SAD")
        XCTAssertEqual(result.statistics, text.statistics)
        XCTAssertEqual(result.scalings.first?.otherFigures["Wilson B factor"], [29.862])
        XCTAssertEqual(result.issues, [])
    }

    /// xia2's `LogFiles/*_merging-statistics.json` (iotbx `dataset_statistics.as_json()`,
    /// merging.md §3): every bin read, inner and outer shell the first and last bin, the
    /// fraction `anom_completeness` made percent.
    func testMergingStatisticsBins() throws {
        let json = """
            {"d_star_sq_min": [0.0005, 0.0686, 0.2494], "d_star_sq_max": [0.0686, 0.2494, 0.2770],
             "n_obs": [1512, 60000, 9679], "n_uniq": [247, 8000, 1388], "multiplicity": [6.1, 7.5, 7.0],
             "completeness": [99.2, 99.9, 99.9], "i_over_sigma_mean": [55.0, 21.0, 2.6], "r_merge": [0.028, 0.05, 0.648],
             "r_meas": [0.034, 0.06, 0.767], "r_pim": [0.013, 0.02, 0.288], "cc_one_half": [0.999, 0.998, 0.712],
             "cc_anom": [-0.059, 0.02, 0.031], "anom_completeness": [1.0, 0.995, 0.998],
             "overall": {"d_star_sq_min": 0.0005, "d_star_sq_max": 0.2770, "n_obs": 125167, "n_uniq": 18787,
                         "completeness": 99.9, "multiplicity": 6.7, "i_over_sigma_mean": 19.3, "r_merge": 0.048,
                         "cc_one_half": 0.998, "anom_completeness": 0.994}}
            """
        let folder = try TemporaryFolder()
        let path = try folder.write("nt5073v16_xBAZ2BAx8281_SAD_merging-statistics.json", json)
        guard case .processing(let results) = try MXResultFile.read(path: path), let result = results.first else {
            return XCTFail("merging statistics not read")
        }
        XCTAssertEqual(result.format, .iotbxMergingStatistics)
        let scaling = try XCTUnwrap(result.scalings.first)
        XCTAssertEqual(scaling.resolutionBins?.count, 3)
        XCTAssertEqual(scaling.shells.innerShell?.nTotalObservations, 1512)
        XCTAssertEqual(scaling.shells.outerShell?.ccHalf, 0.712)
        XCTAssertEqual(scaling.shells.overall?.nTotalUniqueObservations, 18787)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.overall?.resolutionLimitHigh), 1.9, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.outerShell?.resolutionLimitLow), 2.0024, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.overall?.anomalousCompleteness), 99.4, accuracy: 1e-9)
        XCTAssertEqual(result.normalisations, ["anomalousCompleteness: iotbx writes a fraction; multiplied by 100"])
    }
}
