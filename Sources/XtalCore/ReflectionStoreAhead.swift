import Dispatch

extension ReflectionStore {
    /// `forEachBlock` with the work of getting each block done one block ahead, on another
    /// thread: while `body` takes block i, block i + 1 is read back from the spill file (if
    /// it was spilled) and `prepare` makes what `body` will want of it. The blocks come in
    /// order, exactly as `forEachBlock` gives them; an error reading a block is thrown
    /// before `body` sees it. `prepare` fills a `Prepared` that an earlier block used
    /// (starting from `empty`), so that its buffers are reused. The merge uses it to read
    /// back and polarisation-correct the next block while the current one is added.
    public func forEachBlock<Prepared: Sendable>(
        preparingAhead prepare: @escaping @Sendable (ReflectionTable, inout Prepared) -> Void, empty: Prepared,
        _ body: (_ table: ReflectionTable, _ firstCrystal: Int, _ prepared: Prepared) throws -> Void
    ) throws {
        var items = blocks
        if tail.crystalCount > 0 { items.append(.memory(tail)) }
        guard !items.isEmpty else { return }
        // A serial queue of its own: GCD serves it with a thread of its own (it is an
        // overcommitting queue), so the walk cannot starve even when every worker thread of
        // a `ParallelMap` is inside a walk waiting for its next block.
        let queue = DispatchQueue(label: "xtalreport.reflection-blocks-ahead")
        // Two tables and two `Prepared` take turns as the buffers a block is read into and
        // prepared in.
        var spare = (ReflectionTable(), empty)
        func start(_ i: Int, into buffers: (ReflectionTable, Prepared)) -> Pending<Prepared> {
            let pending = Pending<Prepared>()
            let block = items[i]
            queue.async {
                var (table, prepared) = buffers
                pending.fulfil(Result {
                    switch block {
                    case .spilled(let spilled): try spilled.load(into: &table)
                    case .memory(let t): table = t
                    }
                    prepare(table, &prepared)
                    return (table, prepared)
                })
            }
            return pending
        }
        var next = start(0, into: (ReflectionTable(), empty))
        // Never return while a block is still being read: its buffer and store are ours.
        defer { _ = next.wait() }
        var first = 0
        for i in items.indices {
            let (table, prepared) = try next.wait().get()
            if i + 1 < items.count {
                next = start(i + 1, into: spare)
                spare = (ReflectionTable(), empty)
            }
            try body(table, first, prepared)
            // A block kept in memory is the store's own table: not a buffer to fill.
            if case .spilled = items[i] { spare = (table, prepared) } else { spare.1 = prepared }
            first += items[i].crystalCount
        }
    }
}

/// The result of one block's work, handed from the thread that makes it to the one that
/// waits for it.
private final class Pending<Prepared: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is written once, before the semaphore is signalled, and read
    // only after a wait on it; a second wait returns the stored value.
    private var result: Result<(ReflectionTable, Prepared), any Error>?
    private let done = DispatchSemaphore(value: 0)
    private var taken = false

    func fulfil(_ value: Result<(ReflectionTable, Prepared), any Error>) {
        result = value
        done.signal()
    }

    func wait() -> Result<(ReflectionTable, Prepared), any Error> {
        if !taken {
            done.wait()
            taken = true
        }
        return result!
    }
}
