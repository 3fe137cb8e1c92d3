#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import XtalCore

/// Writing to the terminal: results to stdout, everything else to stderr.
///
/// Text that quotes what files hold (run names, paths, reasons with a line's content) goes
/// through `print`, `error`, `warning`, `info` or `writeStderrText`: on a terminal their
/// control characters are shown as escapes (`\x1b`), so a name cannot move the cursor,
/// recolour or retitle the user's terminal. Pipes and files get the text unchanged.
enum Console {
    /// True when stderr is a terminal (then progress is drawn as a bar).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    static func error(_ message: String) {
        writeStderrText("xtalreport: error: \(message)\n")
    }

    static func warning(_ message: String) {
        writeStderrText("xtalreport: warning: \(message)\n")
    }

    static func info(_ message: String) {
        writeStderrText("xtalreport: \(message)\n")
    }

    /// A line of results on stdout.
    static func print(_ text: String) {
        writeBytes(STDOUT_FILENO, terminalSafe(text + "\n", terminal: stdoutIsTerminal))
    }

    /// Text that may quote file content, on stderr.
    static func writeStderrText(_ text: String) {
        writeBytes(STDERR_FILENO, terminalSafe(text, terminal: stderrIsTerminal))
    }

    /// Writes `text` with the bytes of file names that are not UTF-8 as they were
    /// (`RawPath`), so a pipe gets the real name.
    private static func writeBytes(_ descriptor: Int32, _ text: String) {
        let bytes = RawPath.bytes(text)
        fflush(nil)  // after anything Swift.print left in stdio's buffer
        _ = bytes.withUnsafeBytes { bytes.isEmpty ? 0 : writeAll(to: descriptor, $0) }
    }

    /// `text` with every control character but line feed and tab (C0, DEL, C1), and every
    /// byte of a name that is not UTF-8, written as `\xHH` when `terminal`; unchanged otherwise.
    static func terminalSafe(_ text: String, terminal: Bool) -> String {
        guard terminal else { return text }
        let shown = RawPath.display(text)  // bytes of names that are not UTF-8 as \xHH
        guard shown.unicodeScalars.contains(where: isControl) else { return shown }
        var out = String.UnicodeScalarView()
        for scalar in shown.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\x".unicodeScalars)
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ((hex.count < 2 ? "0" : "") + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value)
    }

    /// Bytes to stderr as they are (the progress bar's own escape sequences).
    static func writeStderr(_ text: String) {
        var t = text
        t.withUTF8 { p in _ = write(STDERR_FILENO, p.baseAddress, p.count) }
    }
}
