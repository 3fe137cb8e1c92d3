import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalMX

/// The Dozor logs of every version, EDNA2's Dozor JSON and DIALS per-image analysis, with
/// per-image counts and scores pinned.
final class ImageQualitySampleTests: XCTestCase {
    static func series(_ relative: String) throws -> ImageQualitySeries {
        let (path, reason) = SharedSamples.path("samples/" + relative)
        guard let path else { throw XCTSkip(reason) }
        guard case .imageQuality(let series) = try MXResultFile.read(path: path) else {
            XCTFail("\(relative) is not read as per-image quality")
            throw XCTSkip("not per-image")
        }
        return series
    }

    /// README: image 1 → 2495 spots, main score 967.135, spot score 810.64, 1.42 Å.
    func testDozor202() throws {
        let series = try Self.series("mx/image-quality/dozor_v2.0.2_2019.log")
        XCTAssertEqual(series.program, "dozor 2.0.2")
        XCTAssertEqual(series.images.count, 10)
        let first = try XCTUnwrap(series.images.first)
        XCTAssertEqual(first.imageNumber, 1)
        XCTAssertEqual(first.spots, 2495)
        XCTAssertEqual(first.spotsRFactor, 0.245)
        XCTAssertEqual(first.spotsResolution, 1.6)
        XCTAssertEqual(first.dozorScore, 967.135)
        XCTAssertEqual(first.dozorSpotScore, 810.64)
        XCTAssertEqual(first.visibleResolution, 1.42)
        XCTAssertEqual(first.wilsonBFactor, 13.6)
        XCTAssertEqual(series.issues, [])
    }

    func testOlderDozorVersions() throws {
        let v100 = try Self.series("mx/image-quality/dozor_v1.0.0_2014.log")
        XCTAssertEqual(v100.program, "dozor 1.0.0")
        XCTAssertEqual(v100.images.map(\.spots), [891, 905])
        XCTAssertEqual(v100.images.map(\.dozorScore), [1798.052, 3564.815])
        XCTAssertNil(v100.images[0].dozorSpotScore)
        XCTAssertEqual(v100.images[0].wilsonRFactor, 12.7)
        XCTAssertEqual(v100.issues, [])

        let v131 = try Self.series("mx/image-quality/dozor_v1.3.1_2014.log")
        XCTAssertEqual(v131.images.map(\.spots), [645, 641])
        XCTAssertEqual(v131.images.map(\.dozorScore), [117.531, 136.828])

        let v138 = try Self.series("mx/image-quality/dozor_v1.3.8_2016.log")
        XCTAssertEqual(v138.images.count, 100)
        XCTAssertEqual(v138.images.map(\.imageNumber), Array(1...100))
        XCTAssertEqual(v138.images[0].spots, 1931)
        XCTAssertEqual(v138.images[0].dozorScore, 770.053)
        XCTAssertEqual(v138.images[0].visibleResolution, 1.30)
        XCTAssertNil(v138.images[0].spotsRFactor)
        XCTAssertEqual(v138.images[99].spots, 1389)
        XCTAssertEqual(v138.halfDoseTimes, [26.684, 21.542, 31.827])
        XCTAssertEqual(v138.issues, [])
    }

    /// 40 of 51 rows read "no results": kept, with their zero spots and scores, and counted.
    func testDozorNoResultsRows() throws {
        let series = try Self.series("ssx/dozor-2.0.2_edna2_test_no_results.log")
        XCTAssertEqual(series.images.count, 51)
        XCTAssertEqual(series.imagesWithoutResults, 40)
        XCTAssertEqual(series.images[0].spots, 0)
        XCTAssertEqual(series.images[0].spotsResolution, 50)
        XCTAssertNil(series.images[0].wilsonScale)
        XCTAssertEqual(series.images[10].spots, 13)
        XCTAssertEqual(series.images[10].dozorScore, 0.78)
        XCTAssertEqual(series.issues, [])
    }

    func testEDNA2DozorJSON() throws {
        let control = try Self.series("mx/image-quality/edna2_outDataControlDozor.json")
        XCTAssertEqual(control.images.count, 5)
        XCTAssertEqual(control.images[0].spots, 192)
        XCTAssertEqual(control.images[0].dozorScore, 2.023)
        XCTAssertEqual(control.images[1].wilsonBFactor, -7.4)
        let mesh = try Self.series("mx/image-quality/edna2_mesh_id30a3_400images_dozor.json")
        XCTAssertEqual(mesh.images.count, 400)
        XCTAssertEqual(mesh.images.count { ($0.spots ?? 0) > 0 }, 75)
        XCTAssertEqual(mesh.images.compactMap(\.dozorScore).max(), 115.172)
        XCTAssertEqual(mesh.issues, [])
    }

    /// README: 654 / 578 / 76 spots, 919847, 1.4467 Å, DISTL 1.8772 / 1.6294, noise 0.0210 / 0.0859.
    func testDIALSPerImageAnalysis() throws {
        let series = try Self.series("mx/json/dials_per_image_analysis_stats_centroid_test_data.json")
        let image = try XCTUnwrap(series.images.first)
        XCTAssertEqual(series.images.count, 1)
        XCTAssertEqual(image.spots, 654)
        XCTAssertEqual(image.spotsNoIce, 578)
        XCTAssertEqual(image.spots4A, 76)
        XCTAssertEqual(image.totalIntensity, 919_847)
        XCTAssertEqual(try XCTUnwrap(image.estimatedDMin), 1.4467, accuracy: 5e-5)
        XCTAssertEqual(try XCTUnwrap(image.dMinDistlMethod1), 1.8772, accuracy: 5e-5)
        XCTAssertEqual(try XCTUnwrap(image.dMinDistlMethod2), 1.6294, accuracy: 5e-5)
        XCTAssertEqual(try XCTUnwrap(image.noisinessMethod1), 0.0210, accuracy: 5e-5)
        XCTAssertEqual(try XCTUnwrap(image.noisinessMethod2), 0.0859, accuracy: 5e-5)
    }

    /// EDNA's labelit/DISTL indicators: every ImageQualityIndicators column of the
    /// production file, and the list form with dozor_score (image numbers from file names).
    func testEDNAQualityIndicators() throws {
        let one = try Self.series("mx/image-quality/edna_XSDataInputStoreImageQualityIndicators_production.xml")
        XCTAssertEqual(one.format, .ednaXML)
        let image = try XCTUnwrap(one.images.first)
        XCTAssertEqual(image.imageNumber, 5, "mx1142_1_005.mccd")
        XCTAssertEqual(image.spots, 1434)
        XCTAssertEqual(image.inResTotal, 1334)
        XCTAssertEqual(image.spotsNoIce, 1013)
        XCTAssertEqual(image.iceRings, 0)
        XCTAssertEqual(image.dMinDistlMethod1, 2.05)
        XCTAssertEqual(image.dMinDistlMethod2, 1.87)
        XCTAssertEqual(image.maxUnitCell, 208.2)
        XCTAssertEqual(image.pctSaturationTop50Peaks, 18.41)
        XCTAssertEqual(image.inResolutionOvrlSpots, 1)
        XCTAssertEqual(image.binPopCutOffMethod2Res, 20)
        XCTAssertEqual(image.totalIntensity, 1.015294e7)
        let list = try Self.series("mx/image-quality/edna_XSDataInputStoreListOfImageQualityIndicators_test.xml")
        XCTAssertEqual(list.images.map(\.imageNumber), [1, 2])
        XCTAssertEqual(list.images.map(\.dozorScore), [123.45, 678.9])
        XCTAssertEqual(list.issues, [])
    }

    /// Dozor's input file: the collection as Dozor was asked to read it (commented lines,
    /// `!` after a value, and everything after `end` ignored).
    func testDozorInputFile() throws {
        let (path, reason) = SharedSamples.path("samples/mx/image-quality/dozor_input_example.dat")
        guard let path else { throw XCTSkip(reason) }
        guard case .dozorInput(let input) = try MXResultFile.read(path: path) else { return XCTFail("not read as Dozor input") }
        XCTAssertEqual(input.detector, "pilatus6m")
        XCTAssertEqual(input.exposure, 1.0)
        XCTAssertEqual(input.detectorDistance, 386.69)
        XCTAssertEqual(input.wavelength, 0.9729)
        XCTAssertEqual(input.beamCentre?.x, 1228.1, "the uncommented orgx")
        XCTAssertEqual(input.beamCentre?.y, 1255.15)
        XCTAssertEqual(input.oscillationRange, 1.0)
        XCTAssertEqual(input.firstImageNumber, 1)
        XCTAssertEqual(input.numberOfImages, 147)
        XCTAssertEqual(input.parameters["ix_max"], "1270")
        XCTAssertTrue(input.nameTemplate?.hasSuffix("mesh-CER-SampD05_1_????.cbf") ?? false)
        XCTAssertEqual(input.issues, [])
    }
}
