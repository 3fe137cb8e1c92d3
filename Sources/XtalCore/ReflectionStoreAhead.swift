import Dispatch

extension ReflectionStore {
    /// `forEachBlock` with the work of getting each block done ahead, on another thread:
    /// while `body` takes block i, blocks i + 1 … i + `depth` are read back from the spill
    /// file (if they were spilled) and `prepare` makes what `body` will want of them. The
    /// blocks come in order, exactly as `forEachBlock` gives them; an error reading a block
    /// is thrown before `body` sees it. `prepare` fills a `Prepared` that an earlier block
    /// used (starting from `empty`), so that its buffers are reused. The merge uses it to
    /// read back and polarisation-correct the next blocks while the current one is added.
    ///
    /// Why two blocks ahead by default: with one, the thread that prepares could start
    /// block i + 1 only once `body` had taken block i, so each thread waited on the other
    /// whenever one block was slower to prepare and the next slower to add (`perf script`
    /// on the merge of a 1.12 GB stream: both threads 60–70 % busy). With two, the
    /// preparing thread runs on while `body` is behind, and the walk takes about the
    /// longer of the two threads' work.
    public func forEachBlock<Prepared: Sendable>(
        preparingAhead prepare: @escaping @Sendable (ReflectionTable, inout Prepared) -> Void, empty: Prepared,
        depth: Int = 2,
        _ body: (_ table: ReflectionTable, _ firstCrystal: Int, _ prepared: Prepared) throws -> Void
    ) throws {
        var items = blocks
        if tail.crystalCount > 0 { items.append(.memory(tail)) }
        guard !items.isEmpty else { return }
        // A serial queue of its own: GCD serves it with a thread of its own (it is an
        // overcommitting queue), so the walk cannot starve even when every worker thread of
        // a `ParallelMap` is inside a walk waiting for its next block. Being serial, it
        // prepares the blocks in order.
        let queue = DispatchQueue(label: "xtalreport.reflection-blocks-ahead")
        // depth + 1 tables and `Prepared`s take turns as the buffers a block is read into
        // and prepared in: one with `body`, the others being prepared or waiting.
        var spares: [(ReflectionTable, Prepared)] = []
        func start(_ i: Int) -> Pending<Prepared> {
            let buffers = spares.popLast() ?? (ReflectionTable(), empty)
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
        let ahead = max(1, depth)
        var pending: [Pending<Prepared>] = (0..<min(ahead, items.count)).map(start)
        var started = pending.count
        // Never return while a block is still being read: its buffer and store are ours.
        defer { for p in pending { _ = p.wait() } }
        var first = 0
        for i in items.indices {
            let (table, prepared) = try pending.removeFirst().wait().get()
            if started < items.count {
                pending.append(start(started))
                started += 1
            }
            try body(table, first, prepared)
            // A block kept in memory is the store's own table: not a buffer to fill.
            if case .spilled = items[i] {
                spares.append((table, prepared))
            } else {
                spares.append((ReflectionTable(), prepared))
            }
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
