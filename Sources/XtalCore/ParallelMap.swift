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
