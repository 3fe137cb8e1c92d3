import Foundation
import XCTest
import XtalTestSupport

/// What a terminal shows: names from files with control characters (an xterm title
/// sequence in a file name) are escaped there, and reach a pipe unchanged.
final class TerminalOutputCommandLineTests: XCTestCase {
    /// Runs `xtalreport ARGS` on a pseudo-terminal (util-linux `script`) and returns what
    /// the terminal received; `$EVIL` in the arguments is the hostile path.
    func onTerminal(_ arguments: String, evil: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\"$XR\" \(arguments)", "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(["XR": xtalreportBinary.path, "EVIL": evil]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testControlCharactersInNamesAreEscapedOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("util-linux 'script' is not installed (no pseudo-terminal to test on)")
        }
        let folder = try TemporaryFolder()
        let title = "\u{1B}]0;pwned\u{07}"
        let evil = try folder.write("run\(title).stream", "CrystFEL stream format 2.3\n----- Begin chunk -----\n"
            + "Image filename: a.h5\nEvent: //0\nImage serial number: 1\nhit = 0\nnum_peaks = 3\n----- End chunk -----\n")
        let shown = try onTerminal("stats \"$EVIL\" -q", evil: evil)
        XCTAssertTrue(shown.contains("run\\x1b]0;pwned\\x07.stream"), shown)
        XCTAssertFalse(shown.contains(title), shown)
        // An error quoting the name, on the terminal's stderr.
        let missing = try onTerminal("stats \"$EVIL.gone\" -q", evil: evil)
        XCTAssertTrue(missing.contains("\\x1b]0;pwned\\x07"), missing)
        XCTAssertFalse(missing.contains(title), missing)
        // Into a pipe the name is written as it is (a program reading the table gets it).
        let piped = try run(["stats", evil, "-q"])
        XCTAssertTrue(piped.stdout.contains(title), piped.stdout)
    }
}
