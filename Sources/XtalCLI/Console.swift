#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the terminal: results to stdout, everything else to stderr.
enum Console {
    /// True when stderr is a terminal (then progress is drawn as a bar).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ message: String) {
        writeStderr("xtalreport: error: \(message)\n")
    }

    static func warning(_ message: String) {
        writeStderr("xtalreport: warning: \(message)\n")
    }

    static func info(_ message: String) {
        writeStderr("xtalreport: \(message)\n")
    }

    static func writeStderr(_ text: String) {
        var t = text
        t.withUTF8 { p in _ = write(STDERR_FILENO, p.baseAddress, p.count) }
    }
}
