import XCTest

@testable import XtalCore

/// A string column gives back what was appended, whether entries repeat or not, joined
/// and archived; a hostile archive is refused, not trusted.
final class StringColumnTests: XCTestCase {
    func column(_ strings: [String]) -> StringColumn {
        var c = StringColumn()
        for s in strings { c.append(s) }
        return c
    }

    func strings(_ c: StringColumn) -> [String] { (0..<c.count).map { c[$0] } }

    let cases: [[String]] = [
        [],
        ["a"],
        ["", ""],
        ["/data/run_01.h5", "/data/run_01.h5", "/data/run_01.h5", "/data/run_02.h5", "/data/run_02.h5"],
        ["//0", "//1", "//2"],
        ["x", "", "", "x", "x", "y"],
    ]

    func testRepeatsAreStoredOnceAndReadBackAsAppended() {
        for strings in cases {
            let c = column(strings)
            XCTAssertEqual(self.strings(c), strings)
            for (i, s) in strings.enumerated() {
                XCTAssertEqual(c.isEmpty(i), s.isEmpty)
                XCTAssertEqual(c.byteCount(i), s.utf8.count)
                XCTAssertEqual(c.withUTF8(i) { Array($0) }, Array(s.utf8))
            }
        }
        let names = column(Array(repeating: "/data/lysozyme_chip_0001_master.h5", count: 100_000))
        XCTAssertEqual(names.storedCount, 1)
        XCTAssertEqual(names.bytes.count, 34)
        XCTAssertEqual(column(["//0", "//1", "//2"]).spanOf, nil, "no repeats: the end offsets alone")
    }

    func testJoinsOfEveryKindGiveTheConcatenation() {
        for a in cases {
            for b in cases {
                var joined = column(a)
                joined.append(contentsOf: column(b))
                XCTAssertEqual(strings(joined), a + b, "\(a) + \(b)")
            }
        }
    }

    func archived(_ c: StringColumn) -> [UInt8] {
        var writer = ArchiveWriter()
        c.archive(into: &writer)
        return writer.take()
    }

    func unarchived(_ bytes: [UInt8], count: Int) throws -> StringColumn {
        try bytes.withUnsafeBytes { raw in
            var reader = ArchiveReader(raw)
            let c = try StringColumn(from: &reader, count: count)
            XCTAssertEqual(reader.remaining, 0)
            return c
        }
    }

    func testArchivesRoundTripAndHostileOnesAreRefused() throws {
        for strings in cases {
            let bytes = archived(column(strings))
            XCTAssertEqual(self.strings(try unarchived(bytes, count: strings.count)), strings)
            XCTAssertThrowsError(try unarchived(bytes, count: strings.count + 1), "a count the archive does not hold")
            for cut in 0..<bytes.count {
                XCTAssertThrowsError(try unarchived(Array(bytes[0..<cut]), count: strings.count), "cut at \(cut)")
            }
        }
        // Spans pointing beyond the strings stored.
        var hostile = column(["a", "a", "b"])
        hostile.spanOf = [0, 0, 7]
        XCTAssertThrowsError(try unarchived(archived(hostile), count: 3))
    }
}
