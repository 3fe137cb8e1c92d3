import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalMX

/// Every processing-result sample in `../shared/samples/mx/` read, with the values a
/// scientist checks pinned (space group, cell, the three shells' completeness, resolution
/// limits, Rmerge, ⟨I/σ⟩, CC½), from the files themselves and the samples' README.
final class ProcessingResultSampleTests: XCTestCase {
    static func sample(_ relative: String) throws -> String { try SharedSamples.file("samples/mx/" + relative) }

    static func processing(_ relative: String) throws -> [ProcessingResult] {
        guard case .processing(let results) = try MXResultFile.read(path: try sample(relative)) else {
            XCTFail("\(relative) is not read as a processing result")
            return []
        }
        return results
    }

    func shells(_ result: ProcessingResult?, file: StaticString = #filePath, line: UInt = #line) throws -> (ShellStatistics, ShellStatistics, ShellStatistics) {
        let shells = try XCTUnwrap(result?.statistics, file: file, line: line)
        return (try XCTUnwrap(shells.overall), try XCTUnwrap(shells.innerShell), try XCTUnwrap(shells.outerShell))
    }

    /// README: I 2 2 2, 73.85 98.14 224.27 90 90 90; inner Rmerge 2.6 % next to Rmeas 0.034.
    func testEDNAprocRmergeInPercentIsConverted() throws {
        let result = try Self.processing("ispyb-xml/EDNA_proc_ispyb_id23eh2_20181023.xml").first
        XCTAssertEqual(result?.producer, .edna)
        XCTAssertEqual(result?.spaceGroup, "I 2 2 2")
        XCTAssertEqual(result?.cell, UnitCell(a: 73.85, b: 98.14, c: 224.27, alpha: 90, beta: 90, gamma: 90))
        let (overall, inner, outer) = try shells(result)
        XCTAssertEqual(try XCTUnwrap(inner.rMerge), 0.026, accuracy: 1e-12)
        XCTAssertEqual(inner.rMeasWithinIPlusIMinus, 0.034)
        XCTAssertEqual(inner.nTotalUniqueObservations, 300, "spelled ntotalUniqueObservations")
        XCTAssertEqual(try XCTUnwrap(outer.rMerge), 1.078, accuracy: 1e-12, "an outer Rmerge above 1 stays above 1")
        XCTAssertEqual(overall.completeness, 99.8)
        XCTAssertEqual(overall.ccHalf, 0.998)
        XCTAssertEqual(inner.anomalous, false)
        XCTAssertEqual(result?.scalings.first?.integrations.first?.dataCollectionId, 2_180_495)
        XCTAssertEqual(result?.program?.status, "SUCCESS")
        XCTAssertNil(result?.program?.message, "the literal None is no value")
        XCTAssertEqual(result?.normalisations.count, 1)
        XCTAssertEqual(result?.issues, [])
    }

    /// autoPROC's four helical sweeps: the same statistics four times become one scaling
    /// with four integrations; `.513` is a number.
    func testAutoPROCMultiSweepIsOneScaling() throws {
        let result = try Self.processing("ispyb-xml/autoPROC_esrf-id30a1_2024_4-sweeps.xml").first
        XCTAssertEqual(result?.producer, .autoPROC)
        XCTAssertEqual(result?.spaceGroup, "P 3 2 1")
        XCTAssertEqual(result?.wavelength, 0.96546)
        XCTAssertEqual(result?.scalings.count, 1)
        XCTAssertEqual(result?.scalings.first?.integrations.count, 4)
        let (overall, inner, outer) = try shells(result)
        XCTAssertEqual(overall.rMerge, 0.513)
        XCTAssertEqual(overall.ccHalf, 0.968)
        XCTAssertEqual(overall.ccAnomalous, -0.355)
        XCTAssertEqual(overall.danoOverSigDano, 0.757)
        XCTAssertEqual(overall.resolutionLimitHigh, 2.199)
        XCTAssertEqual(inner.resolutionLimitHigh, 5.967)
        XCTAssertEqual(outer.meanIOverSigI, 1.4)
        XCTAssertEqual(result?.attachments.count, 5)
        XCTAssertEqual(result?.normalisations, [])

        // With STARANISO the fourth container holds different (anisotropic) statistics and
        // the ellipsoid: a scaling of its own.
        let staraniso = try Self.processing("ispyb-xml/autoPROC-STARANISO_esrf-id30a1_2024_4-sweeps.xml").first
        XCTAssertEqual(staraniso?.scalings.map(\.integrations.count), [3, 1])
        XCTAssertEqual(staraniso?.scalings.last?.ellipsoidLimits, [2.151, 2.151, 2.259])
        XCTAssertEqual(staraniso?.scalings.last?.shells.overall?.resolutionLimitHigh, 2.054)
        XCTAssertEqual(staraniso?.scalings.last?.shells.outerShell?.completenessSpherical, 16.5)
    }

    func testAutoPROCSingleSweepAndTwoContainers() throws {
        let single = try Self.processing("ispyb-xml/autoPROC_esrf-id30a2_2016_single-sweep.xml").first
        XCTAssertEqual(single?.spaceGroup, "P 61 2 2")
        let (overall, _, outer) = try shells(single)
        XCTAssertEqual(overall.rMerge, 0.122)
        XCTAssertEqual(overall.ccHalf, 0.997)
        XCTAssertEqual(outer.completeness, 44.5)

        let two = try Self.processing("ispyb-xml/ispyb-api_autoPROC-two-ap_scaling_containers.xml").first
        XCTAssertEqual(two?.spaceGroup, "P 2 2 2")
        XCTAssertEqual(two?.scalings.count, 1, "two containers with the same statistics")
        XCTAssertEqual(two?.scalings.first?.integrations.count, 2)
        XCTAssertEqual(two?.statistics?.overall?.rMerge, 0.058)
    }

    /// ispyb-api's example: an unknown <foo> element, two integration containers with
    /// Image/fileName + fileLocation, a producer whose units are the standard ones.
    func testISPyBAPIExample() throws {
        let result = try Self.processing("ispyb-xml/ispyb-api_mx_data_reduction_pipeline_results.xml").first
        XCTAssertEqual(result?.producer, .other)
        XCTAssertEqual(result?.spaceGroup, "H 3 2")
        let integrations = try XCTUnwrap(result?.scalings.first?.integrations)
        XCTAssertEqual(integrations.count, 2)
        XCTAssertNotNil(integrations.first?.imageFileName)
        XCTAssertNotNil(integrations.first?.imageFileLocation)
        XCTAssertNil(integrations.first?.dataCollectionId)
        XCTAssertEqual(result?.statistics?.overall?.rMerge, 0.063)
        XCTAssertEqual(result?.issues, [])
    }

    /// EDNA's datamodel test file: the `XSDataInputAutoProc` root, `refinedXbeam`, `ccAno`,
    /// the nested STARANISO ellipsoid, rotation axis and beam vector, CC½ written as 18 (%).
    func testEDNAAllFieldsFile() throws {
        let result = try Self.processing("ispyb-xml/edna_XSDataInputStoreAutoProc_test_all-fields.xml").first
        XCTAssertEqual(result?.producer, .edna)
        XCTAssertEqual(result?.spaceGroup, "P 2 3")
        let scaling = try XCTUnwrap(result?.scalings.first)
        XCTAssertEqual(scaling.ellipsoidAxes, [11, 12, 13, 21, 22, 23, 31, 32, 33])
        XCTAssertEqual(scaling.ellipsoidLimits, [1, 2, 3])
        let integration = try XCTUnwrap(scaling.integrations.first)
        XCTAssertEqual(integration.refinedXBeam, 1542.950195)
        XCTAssertEqual(integration.rotationAxis, [10, 11, 12])
        XCTAssertEqual(integration.beamVector, [13, 14, 15])
        XCTAssertEqual(integration.anomalous, true)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.overall?.ccHalf), 0.18, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.overall?.ccAnomalous), 0.12, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(scaling.shells.overall?.rMerge), 0.218, accuracy: 1e-12)
        XCTAssertEqual(scaling.shells.overall?.isa, "34")
        XCTAssertEqual(result?.normalisations.count, 3)
    }

    func testOldEDNAFiles() throws {
        for (name, rMerge, spaceGroup) in [("edna_autoproc_data.xml", 0.132, "I 2 3"), ("edna_autoproc_anom_data.xml", 0.04, "P 1 2 1")] {
            let result = try Self.processing("ispyb-xml/" + name).first
            XCTAssertEqual(result?.spaceGroup, spaceGroup, name)
            XCTAssertEqual(try XCTUnwrap(result?.statistics?.overall?.rMerge), rMerge, accuracy: 1e-12, name)
        }
        let old = try Self.processing("ispyb-xml/EDNA_proc_ispyb_id29_20130301.xml").first
        XCTAssertEqual(try XCTUnwrap(old?.statistics?.innerShell?.rMerge), 0.08, accuracy: 1e-12)
    }

    /// README: I 2 3; inner 27.56–8.02 Å, completeness 77.3, CC½ 0.997, 189 / 70.
    func testFastDPJSON() throws {
        let result = try Self.processing("json/fast_dp.json").first
        XCTAssertEqual(result?.format, .fastDPJSON)
        XCTAssertEqual(result?.spaceGroup, "I 2 3")
        let (overall, inner, outer) = try shells(result)
        XCTAssertEqual(inner.resolutionLimitLow, 27.56)
        XCTAssertEqual(inner.resolutionLimitHigh, 8.02)
        XCTAssertEqual(inner.completeness, 77.3)
        XCTAssertEqual(inner.ccHalf, 0.997)
        XCTAssertEqual(inner.nTotalObservations, 189)
        XCTAssertEqual(inner.nTotalUniqueObservations, 70)
        XCTAssertEqual(overall.rMeasAllIPlusIMinus, 0.046)
        XCTAssertEqual(outer.ccAnomalous, -0.164)
        XCTAssertEqual(result?.scalings.first?.integrations.first?.refinedXBeam, 206.45053836697736)
        XCTAssertEqual(result?.cell?.a, 77.9622)
    }

    /// One xia2 dataset as three files: xia2.txt, xia2-summary.dat and the ISPyB XML xia2
    /// wrote agree wherever two of them carry a value (Rmerge 0.048 / 0.028 / 0.648;
    /// 125167 observations, 18787 unique).
    func testXia2FilesAgree() throws {
        let text = try Self.processing("xia2/xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2.txt").first
        let summary = try Self.processing("xia2/xia2-0.3.6.3_BAZ2BA-x828_3daii_xia2-summary.dat").first
        let xml = try Self.processing("xia2/xia2-0.3.6.3_dls-i04-1_2014_BAZ2BA-x828_ispyb.xml").first
        XCTAssertEqual(text?.format, .xia2Text)
        XCTAssertEqual(summary?.format, .xia2Summary)
        XCTAssertEqual(xml?.producer, .xia2)
        for result in [text, summary, xml] {
            XCTAssertEqual(result?.spaceGroup, "C 2 2 21", result?.file ?? "")
            XCTAssertEqual(result?.cell?.a ?? 0, 83.09, accuracy: 0.001)
            XCTAssertEqual(result?.statistics?.overall?.rMerge, 0.048)
            XCTAssertEqual(result?.statistics?.innerShell?.rMerge, 0.028)
            XCTAssertEqual(result?.statistics?.outerShell?.rMerge, 0.648)
            XCTAssertEqual(result?.statistics?.overall?.completeness, 99.9)
            XCTAssertEqual(result?.statistics?.innerShell?.resolutionLimitHigh, 8.5)
        }
        XCTAssertEqual(text?.program?.programs, "xia2 0.3.6.3")
        XCTAssertEqual(text?.wavelength, 0.92)
        XCTAssertEqual(summary?.wavelength, 0.92)
        XCTAssertEqual(text?.scalings.first?.dataset, "nt5073v16/xBAZ2BAx8281/SAD")
        // The XML's fields from xia2.txt's rows by xia2's own name map.
        for kind in ShellKind.allCases {
            let fromText = try XCTUnwrap(text?.statistics?[kind]), fromXML = try XCTUnwrap(xml?.statistics?[kind])
            XCTAssertEqual(fromText.nTotalObservations, fromXML.nTotalObservations, kind.rawValue)
            XCTAssertEqual(fromText.nTotalUniqueObservations, fromXML.nTotalUniqueObservations, kind.rawValue)
            XCTAssertEqual(fromText.rMeasAllIPlusIMinus, fromXML.rMeasAllIPlusIMinus, "Rmeas(I) \(kind.rawValue)")
            XCTAssertEqual(fromText.rPimAllIPlusIMinus, fromXML.rPimAllIPlusIMinus, "Rpim(I) \(kind.rawValue)")
            XCTAssertEqual(fromText.rPimWithinIPlusIMinus, fromXML.rPimWithinIPlusIMinus, "Rpim(I+/-) \(kind.rawValue)")
            XCTAssertEqual(fromText.meanIOverSigI, fromXML.meanIOverSigI, kind.rawValue)
            XCTAssertEqual(fromText.anomalousCompleteness, fromXML.anomalousCompleteness, kind.rawValue)
        }
        XCTAssertEqual(text?.statistics?.overall?.nTotalObservations, 125_167)
        XCTAssertEqual(text?.statistics?.overall?.nTotalUniqueObservations, 18787)
        XCTAssertEqual(text?.scalings.first?.otherFigures["Wilson B factor"], [29.862])
        let integration = try XCTUnwrap(summary?.scalings.first?.integrations.first)
        XCTAssertEqual(integration.startImageNumber, 1)
        XCTAssertEqual(integration.endImageNumber, 1800)
        XCTAssertEqual(integration.refinedDetectorDistance, 189.2)
        XCTAssertEqual(xml?.scalings.first?.integrations.first?.refinedDetectorDistance, 189.2)
        XCTAssertEqual(xml?.scalings.first?.integrations.first?.imageFileName, "BAZ2BA-x828_1_0001.cbf")
    }
}
