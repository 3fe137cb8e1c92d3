import Dispatch
import Foundation

/// The segments of a mapped stream file, all queued on a `WorkQueue` at once
/// (`StreamSegments.schedule`); `wait()` gives the parsed file once every segment is done.
final class QueuedSegments: @unchecked Sendable {
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
    /// Whether `wait` settles `--min-peaks` (a whole file), or leaves it to the join of the
    /// file's pieces (`StreamPiece`).
    private let settles: Bool

    init(
        bytes: UnsafeRawBufferPointer, owner: AnyObject?, bounds: [Int], path: String, options: StreamReadOptions,
        settles: Bool = true
    ) {
        self.settles = settles
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

    /// Waits for every segment, then settles `--min-peaks` across them (`MinPeaksCarry`;
    /// a segment parsed again is parsed here, on the waiting thread).
    func wait() -> ParsedStream {
        group.wait()
        let segments = outcomes.count
        var carry = MinPeaksCarry()
        let all = outcomes.indices.map { k in
            guard settles else { return outcomes[k]! }
            return carry.settle(outcomes[k]!) { value in
                withExtendedLifetime(owner) {
                    StreamSegments.parse(
                        segment(k), path: path, options: options, inheritedMinPeaks: value,
                        segmentFollows: k < segments - 1, progress: nil)
                }
            }
        }
        return ParsedStream(segments: all, byteCount: bytes.count, options: options)
    }
}
