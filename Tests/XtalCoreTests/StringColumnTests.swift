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
        // Numbered spans, and each way a string stops them.
        ["//7", "//7", "//8", "//0", "//0"],
        ["//1", "//2", "x", "//3"],
        ["//1", "//01"],
        ["//4294967295", "//4294967296"],
        ["12", "13", "013"],
        ["//1", "/1", "//1"],
        ["entry//5", "entry//6", ""],
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
        XCTAssertEqual(names.firstEntry, [0])
        XCTAssertNil(column(["a", "b", "c"]).firstEntry, "no repeats: the end offsets alone")
        let events = column((0..<100_000).map { "//\($0)" })
        XCTAssertEqual(events.numbered?.prefix, Array("//".utf8))
        XCTAssertEqual(events.numbered?.numbers.count, 100_000)
        XCTAssertTrue(events.bytes.isEmpty && events.ends.isEmpty && events.firstEntry == nil, "4 bytes an event")
        XCTAssertEqual(events[99_999], "//99999")
        XCTAssertNil(column(["//1", "//01"]).numbered, "a leading zero is not written back: text")
        XCTAssertEqual(column(["//1", "//1", "//2"]).firstEntry, [0, 2])
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
        for starts: [UInt32] in [[0, 7], [1, 2], [0, 0], [2, 1]] {
            var hostile = column(["a", "a", "b"])
            hostile.firstEntry = starts
            XCTAssertThrowsError(try unarchived(archived(hostile), count: 3), "span starts \(starts)")
        }
        var longPrefix = column(["//1"])
        longPrefix.numbered!.prefix = Array(repeating: 0x2F, count: NumberedSpans.maximumPrefix + 1)
        XCTAssertThrowsError(try unarchived(archived(longPrefix), count: 1))
    }
}
