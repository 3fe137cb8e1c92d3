import Dispatch

/// Runs independent pieces of work on all cores and collects their results in order.
public enum ParallelMap {
    /// `[body(0), body(1), …, body(count − 1)]`, computed concurrently.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { k in slots[k] = body(k) }
        return slots.values
    }

    /// `(first(), second())`, the two computed at the same time where a core is free:
    /// `first` on this thread, `second` on a thread of the global queue. Not through
    /// `concurrentPerform`: a `concurrentPerform` inside one (a `map` within either
    /// closure) gets libdispatch's width divided by the outer one's, on 2 cores a single
    /// thread, so the report's plots were drawn one after another (0.30 s, not 0.15).
    public static func pair<A: Sendable, B: Sendable>(
        _ first: @Sendable () -> A, _ second: @Sendable () -> B
    ) -> (A, B) {
        let b = Slots<B>(count: 1)
        let group = DispatchGroup()
        return withoutActuallyEscaping(second) { second in
            DispatchQueue.global().async(group: group) { b[0] = second() }
            let a = first()
            group.wait()
            return (a, b[0])
        }
    }
}

/// One slot per iteration, each written by exactly one iteration of `concurrentPerform`.
private final class Slots<T>: @unchecked Sendable {
    // @unchecked: slot k is written only by iteration k, and read after all have joined.
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    subscript(k: Int) -> T {
        get { slots[k]! }
        set { slots[k] = newValue }
    }
    var values: [T] { slots.map { $0! } }
}
