/// A stream file whose parse is under way on a `WorkQueue`; `wait()` gives the parsed file
/// once every part of it is done. Made by `StreamSegments.schedule` (a mapped file, queued
/// in segments at once) or by `DecompressedPieces` (a compressed file, queued piece by
/// piece as it is decompressed).
public final class PendingStream: Sendable {
    private let waiter: @Sendable () -> ParsedStream

    init(waiting waiter: @escaping @Sendable () -> ParsedStream) {
        self.waiter = waiter
    }

    /// Blocks until the whole file is parsed.
    public func wait() -> ParsedStream { waiter() }
}

/// Carries `--min-peaks` from segment to segment in file order. A segment after the first is
/// parsed with the value of the file's first header; if an earlier segment held another
/// header (a concatenated stream), the value it inherited was wrong and it is parsed again
/// with the right one.
struct MinPeaksCarry {
    private var current: Int?

    /// The outcome of the next segment in file order, parsed again by `reparse(value)` when
    /// the value it inherited was not the one in force at its start.
    mutating func settle(
        _ outcome: StreamSegments.Outcome, reparse: (Int) throws -> StreamSegments.Outcome
    ) rethrows -> StreamSegments.Outcome {
        var settled = outcome
        if let current, outcome.usedInheritedMinPeaks, outcome.initialMinPeaks != current {
            settled = try reparse(current)
        }
        if current == nil || settled.sawHeader { current = settled.finalMinPeaks }
        return settled
    }
}
