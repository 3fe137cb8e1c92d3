import XCTest

@testable import XtalIngest

/// The block-wise line cursor against a plain byte-by-byte line splitter: the same lines,
/// line numbers and end offsets on random text with every line length around the 64-byte
/// block size, CRLF ends, empty lines and a last line without a newline; and skipping
/// stops exactly before the first line starting with a wanted byte, never after it.
final class LineCursorTests: XCTestCase {
    /// Lines of `text` split the simple way (the reference).
    static func naiveLines(_ text: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in text {
            if byte == 0x0A {
                if current.last == 0x0D { current.removeLast() }
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty {
            if current.last == 0x0D { current.removeLast() }
            lines.append(current)
        }
        return lines
    }

    /// Random text: lines of 0–150 bytes from an alphabet where E, - and C start some lines.
    static func randomText(seed: UInt64, lines: Int, crlf: Bool, finalNewline: Bool) -> [UInt8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let alphabet = Array(" 0123456789.abcpE-C".utf8)
        var text: [UInt8] = []
        for i in 0..<lines {
            let length = Int(next() % 151)
            for _ in 0..<length { text.append(alphabet[Int(next() % UInt64(alphabet.count))]) }
            if i < lines - 1 || finalNewline {
                if crlf { text.append(0x0D) }
                text.append(0x0A)
            }
        }
        return text
    }

    func testLinesAndNumbersMatchAPlainSplitter() {
        for seed in 1...40 as ClosedRange<UInt64> {
            let text = Self.randomText(seed: seed, lines: Int(seed) * 7, crlf: seed % 3 == 0, finalNewline: seed % 2 == 0)
            let expected = Self.naiveLines(text)
            text.withUnsafeBytes { bytes in
                var cursor = LineCursor(bytes)
                var got: [[UInt8]] = []
                while let line = cursor.next() {
                    got.append(Array(UnsafeBufferPointer(start: line.start, count: line.count)))
                    XCTAssertEqual(cursor.lineNumber, got.count, "seed \(seed)")
                }
                XCTAssertEqual(got, expected, "seed \(seed)")
                XCTAssertEqual(cursor.offset, text.count, "seed \(seed)")
            }
        }
    }

    func testSkippingStopsBeforeTheFirstWantedLineAndCountsTheOthers() {
        let wanted = Set(Array("E-C".utf8))
        for seed in 100...160 as ClosedRange<UInt64> {
            let text = Self.randomText(seed: seed, lines: 300, crlf: seed % 2 == 0, finalNewline: seed % 3 != 0)
            let expected = Self.naiveLines(text)
            text.withUnsafeBytes { bytes in
                var cursor = LineCursor(bytes)
                var index = 0  // the reference line the cursor should return next
                var step = 0
                while true {
                    // Alternate plain reads and skips, as the parser does between list states.
                    if step % 3 != 0 {
                        cursor.skipLines(notStartingWithAnyOf: UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "C"))
                        // It may stop early, never past a wanted line.
                        let skippedTo = cursor.lineNumber
                        XCTAssertGreaterThanOrEqual(skippedTo, index, "seed \(seed)")
                        for k in index..<skippedTo {
                            XCTAssertFalse(wanted.contains(expected[k].first ?? 0), "seed \(seed): skipped line \(k + 1) starts with a wanted byte")
                        }
                        index = skippedTo
                    }
                    step += 1
                    guard let line = cursor.next() else { break }
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: line.start, count: line.count)), expected[index], "seed \(seed), line \(index + 1)")
                    index += 1
                    XCTAssertEqual(cursor.lineNumber, index, "seed \(seed)")
                }
                XCTAssertEqual(index, expected.count, "seed \(seed)")
            }
        }
    }

    /// Skipping over a long list moves at block speed yet lands on the right line.
    func testSkipPassesWholeBlocksOfOrdinaryLines() {
        var text: [UInt8] = []
        for i in 0..<10_000 { text += Array(String(format: "%7.2f %7.2f %10.2f   p0\n", Double(i), Double(i) / 3, 1.5).utf8) }
        text += Array("End of peak list\nnext\n".utf8)
        text.withUnsafeBytes { bytes in
            var cursor = LineCursor(bytes)
            cursor.skipLines(notStartingWithAnyOf: UInt8(ascii: "E"), UInt8(ascii: "-"), UInt8(ascii: "C"))
            XCTAssertEqual(cursor.lineNumber, 10_000)
            XCTAssertEqual(cursor.next()?.string, "End of peak list")
            XCTAssertEqual(cursor.lineNumber, 10_001)
        }
    }
}
