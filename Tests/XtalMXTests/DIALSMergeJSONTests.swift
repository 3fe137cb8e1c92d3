import Foundation
import XCTest
import XtalCore
import XtalMX
import XtalTestSupport

/// `dials.merge.json` in the layout of dials' `generate_json_data` (merging.md §2.3): one
/// object per wavelength ("%.5f"), its Plotly figures first, iotbx's `merging_stats` after.
final class DIALSMergeJSONTests: XCTestCase {
    static let stats = """
        {"d_star_sq_min": [0.0005, 0.0686, 0.2494], "d_star_sq_max": [0.0686, 0.2494, 0.2770],
         "n_obs": [1512, 60000, 9679], "n_uniq": [247, 8000, 1388], "multiplicity": [6.1, 7.5, 7.0],
         "completeness": [99.2, 99.9, 99.9], "i_over_sigma_mean": [55.0, 21.0, 2.6], "cc_one_half": [0.999, 0.998, 0.712],
         "overall": {"d_star_sq_min": 0.0005, "d_star_sq_max": 0.2770, "n_obs": 71191, "n_uniq": 9635,
                     "completeness": 99.8, "multiplicity": 7.4, "i_over_sigma_mean": 19.3, "cc_one_half": 0.998}}
        """

    /// A file as dials writes it: the plots (here 20 kB of them) before the statistics.
    static func file(wavelengths: [String]) -> String {
        let plots = "{\"cc_one_half\": {\"data\": [{\"x\": [" + Array(repeating: "0.1", count: 5000).joined(separator: ", ") + "]}], \"layout\": {}}}"
        let entries = wavelengths.map {
            "\"\($0)\": {\"scaling_tables\": {\"overall\": []}, \"resolution_plots\": \(plots), \"merging_stats\": \(stats), \"table_1_stats\": \"...\"}"
        }
        return "{" + entries.joined(separator: ", ") + "}"
    }

    func testEachWavelengthIsAScalingAndTheFileIsRecognisedByItsKeys() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("dials.merge.group_1.json", Self.file(wavelengths: ["0.97950", "0.91840"]))
        XCTAssertTrue(MXResultFile.recognises(path: path), "merging_stats is past the first 8 kB: the wavelength key says what it is")
        guard case .processing(let results) = try MXResultFile.read(path: path), let result = results.first else {
            return XCTFail("dials.merge.json not read")
        }
        XCTAssertEqual(result.format, .dialsMergeJSON)
        XCTAssertEqual(result.producer, .dials)
        XCTAssertEqual(result.program?.programs, "dials.merge")
        XCTAssertEqual(result.scalings.map(\.dataset), ["wavelength 0.91840 Å", "wavelength 0.97950 Å"])
        XCTAssertEqual(result.wavelength, 0.9184)
        let shells = try XCTUnwrap(result.scalings.first?.shells)
        XCTAssertEqual(shells.overall?.nTotalUniqueObservations, 9635)
        XCTAssertEqual(shells.overall?.ccHalf, 0.998)
        XCTAssertEqual(shells.outerShell?.ccHalf, 0.712)
        XCTAssertEqual(result.scalings.first?.resolutionBins?.count, 3)
        XCTAssertEqual(result.issues, [])
    }

    func testAWavelengthWithoutStatisticsIsNamed() throws {
        let folder = try TemporaryFolder()
        let half = try folder.write("dials.merge.json", "{\"0.97950\": {\"merging_stats\": {\"overall\": 1}}, \"1.00000\": {\"merging_stats\": \(Self.stats)}}")
        guard case .processing(let results) = try MXResultFile.read(path: half) else { return XCTFail("not read") }
        XCTAssertEqual(results.first?.scalings.count, 1)
        XCTAssertEqual(results.first?.issues.map(\.reason), ["wavelength 0.97950: no iotbx merging_stats; left out"])
        let none = try folder.write("empty.json", "{\"0.97950\": {\"merging_stats\": {}}}")
        XCTAssertThrowsError(try MXResultFile.read(path: none))
    }
}
