import Foundation
import XCTest
import XtalCore
import XtalTestSupport

@testable import XtalMX

/// What the readers cannot read is named with file:line and the reason, the rest of the
/// file is kept, and no input crashes, hangs or grows memory without bound.
final class MalformedResultTests: XCTestCase {
    static let container = """
        <?xml version="1.0"?>
        <AutoProcContainer>
          <AutoProc><spaceGroup>P 1</spaceGroup></AutoProc>
          <AutoProcScalingContainer>
            <AutoProcScalingStatistics>
              <scalingStatisticsType>overall</scalingStatisticsType>
              <rMerge>abc</rMerge>
              <completeness>99.1</completeness>
              <nTotalObservations>12.5</nTotalObservations>
              <ccHalf>nan</ccHalf>
            </AutoProcScalingStatistics>
            <AutoProcScalingStatistics>
              <scalingStatisticsType>middleShell</scalingStatisticsType>
            </AutoProcScalingStatistics>
          </AutoProcScalingContainer>
        </AutoProcContainer>
        """

    func testBadValuesAreNamedWithTheirLines() throws {
        let results = try ISPyBXMLReader.read(data: Data(Self.container.utf8), path: "bad.xml")
        let result = try XCTUnwrap(results.first)
        XCTAssertEqual(result.statistics?.overall?.completeness, 99.1)
        XCTAssertNil(result.statistics?.overall?.rMerge)
        XCTAssertNil(result.statistics?.overall?.nTotalObservations)
        XCTAssertNil(result.statistics?.overall?.ccHalf)
        let described = result.issues.map(\.description)
        XCTAssertEqual(result.issues.count, 4, "\(described)")
        XCTAssertTrue(described.contains { $0.hasPrefix("bad.xml:7:") && $0.contains("rMerge: 'abc'") }, "\(described)")
        XCTAssertTrue(described.contains { $0.hasPrefix("bad.xml:9:") && $0.contains("nTotalObservations") }, "\(described)")
        XCTAssertTrue(described.contains { $0.hasPrefix("bad.xml:10:") && $0.contains("ccHalf") }, "\(described)")
        XCTAssertTrue(described.contains { $0.hasPrefix("bad.xml:12:") && $0.contains("middleShell") }, "\(described)")
    }

    func testUnreadableXMLIsRefusedWithItsLine() {
        XCTAssertThrowsError(try ISPyBXMLReader.read(data: Data("<AutoProcContainer>\n<AutoProc>\n</Auto".utf8), path: "cut.xml")) { error in
            XCTAssertTrue("\(error)".contains("cut.xml: not well-formed XML at line"), "\(error)")
        }
        XCTAssertThrowsError(try ISPyBXMLReader.read(data: Data("<html><body/></html>".utf8), path: "page.xml")) { error in
            XCTAssertEqual(error as? MXReadError, .notThisFormat(path: "page.xml", reason: "no AutoProcContainer element (root is <html>)"))
        }
        let deep = String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)
        XCTAssertThrowsError(try ISPyBXMLReader.read(data: Data(deep.utf8), path: "deep.xml")) { error in
            XCTAssertTrue("\(error)".contains("deep.xml"), "\(error)")
        }
        // A name that is not UTF-8 (found by the fuzzer: Foundation's parser traps on it).
        var bytes = Data("<?xml version=\"1.0\" ?>\n<AutoProcContainer>\n<spotTotal>1</spotTotal></AutoProcContainer>".utf8)
        bytes[bytes.count - 30] = 0xFF
        XCTAssertThrowsError(try ISPyBXMLReader.read(data: bytes, path: "latin.xml")) { error in
            XCTAssertTrue("\(error)".contains("line 3: not valid UTF-8"), "\(error)")
        }
        // An entity that would expand a billionfold is not expanded.
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
            <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
            <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
            <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
            <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
            <AutoProcContainer><AutoProc><spaceGroup>&lol9;</spaceGroup></AutoProc></AutoProcContainer>
            """
        let started = Date()
        let result = try? ISPyBXMLReader.read(data: Data(laughs.utf8), path: "laughs.xml")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertLessThan(result?.first?.spaceGroup?.count ?? 0, 10_000_000)
    }

    func testDozorRowsThatCannotBeReadAreListed() throws {
        let log = """
             Program dozor /A.Popov & G.Bourenkov/
             Version 2.0.2 //  21.05.2019
             N    |            SPOTS             |        Powder Wilson              |        Main    Spot   Visible
            image | num.of  INTaver R-factor Res.|   Scale B-fac. Res. Corr. R-factor|       Score   Score  Resolution
            --------------------------------------------------------------------------------------------------------
                1 |  2495     1660.   0.245   1.6|    0.10   13.6  1.5  92.7    11.8 |     967.135  810.64    1.42
                2 |  24x7     2008.   0.290   1.6|    0.08   13.2  1.5  92.9    13.0 |    1044.980  837.06    1.44
                3 |  2430     1718.   0.272   1.6|    0.10   12.9  1.5  93.0    12.2
                1 |  2383     1682.   0.265   1.6|    0.10   13.2  1.5  93.2    11.7 |     914.688  751.47    1.44
                5 |  2406     1842.   0.273   1.6|    0.09   13.6  1.5  92.7    11.7 |    1017.014  832.36    1.42
            --------------------------------------------------------------------------------------------------------
            """
        let series = try DozorLogReader.read(data: Data(log.utf8), path: "d.log")
        XCTAssertEqual(series.images.map(\.imageNumber), [1, 5])
        XCTAssertEqual(series.issues.map(\.line), [7, 8, 9])
        XCTAssertTrue(series.issues.allSatisfy { $0.kind == .malformedLine })
        XCTAssertTrue(series.issues[2].reason.contains("appears twice"), series.issues[2].reason)
    }

    func testJSONWithWrongTypesKeepsTheRest() throws {
        let json = #"{"spacegroup": "P 1", "unit_cell": [1, 2, "x", 90, 90, 90], "scaling_statistics": {"overall": {"completeness": "97.5", "cc_half": true, "n_tot_obs": 12.5}, "innerShell": 3}}"#
        let result = try FastDPJSONReader.read(data: Data(json.utf8), path: "f.json")
        XCTAssertEqual(result.statistics?.overall?.completeness, 97.5)
        XCTAssertNil(result.cell)
        XCTAssertNil(result.statistics?.innerShell)
        XCTAssertNil(result.statistics?.overall?.nTotalObservations)
        XCTAssertGreaterThanOrEqual(result.issues.count, 3, "\(result.issues)")
        XCTAssertThrowsError(try FastDPJSONReader.read(data: Data("[1, 2".utf8), path: "g.json"))
        let dials = #"{"n_spots_total": [1, 2, 3], "estimated_d_min": [2.0, "x"], "n_spots_no_ice": [1, null, 3]}"#
        let series = try DIALSPerImageReader.read(data: Data(dials.utf8), path: "p.json")
        XCTAssertEqual(series.images.map(\.spots), [1, 2, 3])
        XCTAssertEqual(series.images.map(\.spotsNoIce), [1, nil, 3])
        XCTAssertTrue(series.issues.contains { $0.reason.contains("estimated_d_min") }, "\(series.issues)")
    }

    /// Files that are not results at all: each a clear refusal, never a crash.
    func testOtherFilesAreRefused() throws {
        let folder = try TemporaryFolder()
        for (name, text) in [("empty.txt", ""), ("notes.txt", "just some notes\n"), ("array.json", "[]"), ("x.json", #"{"a": 1}"#)] {
            let path = try folder.write(name, text)
            XCTAssertThrowsError(try MXResultFile.read(path: path), name)
        }
        XCTAssertThrowsError(try MXResultFile.read(path: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        XCTAssertThrowsError(try MXResultFile.read(path: folder.path + "/absent.xml"))
    }
}
