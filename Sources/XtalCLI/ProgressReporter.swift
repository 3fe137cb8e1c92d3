import Foundation
import Synchronization

/// Shows reading progress on stderr: a redrawn bar (files, bytes, rate, ETA) when stderr is
/// a terminal, a plain log line per file and every 10 seconds otherwise, nothing when quiet.
final class ProgressReporter: Sendable {
    enum Style { case bar, lines, silent }

    private struct State {
        var filesDone = 0
        var bytesDoneInFinishedFiles = 0
        var bytesInCurrentFile = 0
        var lastDraw = 0.0
        var currentFile = -1
    }

    private let style: Style
    private let totalFiles: Int
    private let totalBytes: Int
    private let start = Date()
    private let state = Mutex(State())

    init(style: Style, totalFiles: Int, totalBytes: Int) {
        self.style = style
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }

    static func style(quiet: Bool) -> Style {
        quiet ? .silent : (Console.stderrIsTerminal ? .bar : .lines)
    }

    /// Reports `bytes` read of file number `fileNumber` (0-based over the whole job).
    /// A new file number closes the previous file.
    func update(fileNumber: Int, path: String, bytes: Int) {
        let (line, announce): (String?, Bool) = state.withLock { s in
            var announce = false
            if fileNumber != s.currentFile {
                if s.currentFile >= 0 {
                    s.filesDone += 1
                    s.bytesDoneInFinishedFiles += s.bytesInCurrentFile
                }
                s.currentFile = fileNumber
                announce = true
            }
            s.bytesInCurrentFile = bytes
            let now = Date().timeIntervalSince(start)
            let interval = style == .bar ? 0.1 : 10
            guard style != .silent, announce || now - s.lastDraw >= interval else { return (nil, announce) }
            s.lastDraw = now
            return (style == .bar || !announce ? render(s, elapsed: now) : nil, announce)
        }
        if announce, style == .lines { Console.info("reading \(path) (\(fileNumber + 1)/\(totalFiles))") }
        if let line { emit(line) }
    }

    /// Ends the bar's line.
    func finish() {
        let line: String? = state.withLock { s in
            if s.currentFile >= 0 {
                s.filesDone += 1
                s.bytesDoneInFinishedFiles += s.bytesInCurrentFile
                s.bytesInCurrentFile = 0
                s.currentFile = -1
            }
            return style == .silent ? nil : render(s, elapsed: Date().timeIntervalSince(start))
        }
        if let line { emit(line) }
        if style == .bar { Console.writeStderr("\n") }
    }

    private func emit(_ line: String) {
        switch style {
        case .bar: Console.writeStderr("\r\u{1B}[K" + line)
        case .lines: Console.info(line)
        case .silent: break
        }
    }

    private func render(_ s: State, elapsed: Double) -> String {
        let done = s.bytesDoneInFinishedFiles + s.bytesInCurrentFile
        let fraction = totalBytes > 0 ? min(1, Double(done) / Double(totalBytes)) : 1
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(totalBytes - done) / rate : 0
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        return "[\(bar)] \(s.filesDone)/\(totalFiles) files  \(Self.bytes(done))/\(Self.bytes(totalBytes))  "
            + "\(Self.bytes(Int(rate)))/s  ETA \(Self.duration(eta))"
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(n) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
