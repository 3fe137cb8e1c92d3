import Dispatch
import Foundation

/// A stream file whose segments are queued on a `WorkQueue` (`StreamSegments.schedule`);
/// `wait()` gives the parsed file once every segment is done.
public final class PendingStream: @unchecked Sendable {
    // @unchecked: slot k of `outcomes` is written only by segment k's task, between
    // `started()` and its `finished`, and read only after `group.wait()`; the rest is
    // immutable. `bytes` stay valid while `owner` (the mapping) is held.
    private let bytes: UnsafeRawBufferPointer
    private let owner: AnyObject?
    private let bounds: [Int]
    private let path: String
    private let options: StreamReadOptions
    private let group = DispatchGroup()
    private var outcomes: [StreamSegments.Outcome?]

    init(bytes: UnsafeRawBufferPointer, owner: AnyObject?, bounds: [Int], path: String, options: StreamReadOptions) {
        self.bytes = bytes
        self.owner = owner
        self.bounds = bounds
        self.path = path
        self.options = options
        outcomes = Array(repeating: nil, count: bounds.count - 1)
    }

    /// The bytes of segment k.
    func segment(_ k: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[bounds[k]..<bounds[k + 1]])
    }

    func started() { group.enter() }

    func finished(_ k: Int, _ outcome: StreamSegments.Outcome) {
        outcomes[k] = outcome
        group.leave()
    }

    /// Waits for every segment, then carries `--min-peaks` across segments, parsing again
    /// (here, on the waiting thread) a segment whose inherited value turned out wrong: a
    /// concatenated stream with another header in an earlier segment.
    public func wait() -> ParsedStream {
        group.wait()
        var all = outcomes.map { $0! }
        let segments = all.count
        var current = all[0].finalMinPeaks
        for k in 1..<max(1, segments) {
            if all[k].usedInheritedMinPeaks, all[k].initialMinPeaks != current {
                all[k] = withExtendedLifetime(owner) {
                    StreamSegments.parse(
                        segment(k), path: path, options: options, inheritedMinPeaks: current, segmentFollows: k < segments - 1,
                        progress: nil)
                }
            }
            if all[k].sawHeader { current = all[k].finalMinPeaks }
        }
        return ParsedStream(segments: all, byteCount: bytes.count, options: options)
    }
}
