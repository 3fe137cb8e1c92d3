import Foundation
import Synchronization

/// Shows reading progress on stderr: a redrawn bar (files, bytes, rate, ETA) when stderr is
/// a terminal, a plain log line per file and every 10 seconds otherwise, nothing when quiet.
final class ProgressReporter: Sendable {
    enum Style { case bar, lines, silent }

    private struct State {
        var filesDone = 0
        /// Bytes read so far of every file started.
        var bytesByFile: [Int: Int] = [:]
        var bytesDone = 0
        var lastDraw = 0.0
    }

    private let style: Style
    private let fileSizes: [Int]
    private let totalBytes: Int
    private let start = Date()
    private let state = Mutex(State())

    /// `fileSizes`: the size of every file of the job, by file number.
    init(style: Style, fileSizes: [Int]) {
        self.style = style
        self.fileSizes = fileSizes
        totalBytes = fileSizes.reduce(0, +)
    }

    private var totalFiles: Int { fileSizes.count }

    static func style(quiet: Bool) -> Style {
        quiet ? .silent : (Console.stderrIsTerminal ? .bar : .lines)
    }

    /// Reports `bytes` read of file number `fileNumber` (0-based over the whole job). Files
    /// may be read at the same time (the next run starts before this one ends); a file is
    /// done when all its bytes are read.
    func update(fileNumber: Int, path: String, bytes: Int) {
        let (line, announce): (String?, Bool) = state.withLock { s in
            let before = s.bytesByFile[fileNumber]
            let announce = before == nil
            s.bytesDone += bytes - (before ?? 0)
            s.bytesByFile[fileNumber] = bytes
            if bytes >= fileSizes[fileNumber], (before ?? -1) < fileSizes[fileNumber] { s.filesDone += 1 }
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
            style == .silent ? nil : render(s, elapsed: Date().timeIntervalSince(start))
        }
        if let line { emit(line) }
        if style == .bar { Console.writeStderr("\n") }
    }

    private func emit(_ line: String) {
        switch style {
        case .bar: Console.writeStderr("\r\u{1B}[K" + Console.terminalSafe(line, terminal: true))
        case .lines: Console.info(line)
        case .silent: break
        }
    }

    private func render(_ s: State, elapsed: Double) -> String {
        let done = s.bytesDone
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
