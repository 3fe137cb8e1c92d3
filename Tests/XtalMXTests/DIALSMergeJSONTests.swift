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

    /// The Table 1 dials.merge prints (format_statistics: labels padded to 44 characters),
    /// with a suggested-resolution column, found in the middle of its log.
    func testTableOneTextOfTheLog() throws {
        func row(_ name: String, _ cells: [String]) -> String {
            name.padding(toLength: 44, withPad: " ", startingAt: 0) + cells.map { $0.leftPadded(8) }.joined()
        }
        let table = [
            "Merging statistics", "",
            String(repeating: " ", count: 44) + ["Suggested", "Low", "High", "Overall"].map { $0.leftPadded(10) }.joined(separator: ""),
            row("High resolution limit", ["2.10", "5.70", "1.90", "1.90"]),
            row("Low resolution limit", ["79.10", "79.10", "1.93", "79.10"]),
            row("Completeness", ["100.0", "99.8", "98.5", "99.9"]),
            row("Multiplicity", ["20.1", "25.0", "7.3", "18.2"]),
            row("I/sigma", ["4.2", "9.1", "0.4", "3.1"]),
            row("Rsplit(I)", ["0.301", "0.120", "1.20", "0.410"]),
            row("CC half", ["0.612*", "0.970*", "0.102", "0.880*"]),
            row("Total observations", ["100000", "8000", "3000", "120000"]),
            row("Total unique", ["5000", "320", "411", "6600"]),
            "", "Resolution limit suggested from CC½ fit (limit CC½=0.3): 2.10",
        ]
        let log = "DIALS (2024)\nThe following parameters have been modified:\n" + table.joined(separator: "\n") + "\n"
        let folder = try TemporaryFolder()
        let path = try folder.write("dials.merge.log", log)
        XCTAssertTrue(MXResultFile.recognises(path: path))
        guard case .processing(let results) = try MXResultFile.read(path: path), let result = results.first else {
            return XCTFail("Table 1 not read")
        }
        XCTAssertEqual(result.format, .dialsTableOne)
        XCTAssertEqual(result.program?.programs, "dials.merge")
        let shells = try XCTUnwrap(result.scalings.first?.shells)
        XCTAssertEqual(shells.overall?.ccHalf, 0.88)
        XCTAssertEqual(shells.innerShell?.resolutionLimitHigh, 5.7)
        XCTAssertEqual(shells.outerShell?.nTotalUniqueObservations, 411)
        XCTAssertEqual(shells.overall?.completeness, 99.9)
        XCTAssertEqual(result.scalings.first?.otherFigures["Rsplit(I)"], [0.41, 0.12, 1.2])
        XCTAssertEqual(result.scalings.first?.otherFigures["suggested CC half"], [0.612])
        XCTAssertEqual(result.scalings.first?.otherFigures["CC½ fit resolution limit"], [2.1])
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

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
