/// A run's reflection table as blocks in crystal order: blocks already written out to a
/// `ReflectionSpill` or kept in memory, then the `tail` still being filled. Memory holds
/// the tail and the in-memory blocks only, so reading a whole beamtime's reflections
/// takes disk in proportion to the observations, not memory.
///
/// Consumers take the crystals block by block with `forEachBlock`, in order, each block a
/// `ReflectionTable` whose crystal 0 is crystal `firstCrystal` of the store.
public struct ReflectionStore: Sendable {
    /// A block: in memory, or in the spill file.
    public enum Block: Sendable {
        case memory(ReflectionTable)
        case spilled(SpilledReflectionBlock)

        var crystalCount: Int {
            switch self {
            case .memory(let t): t.crystalCount
            case .spilled(let b): b.crystalCount
            }
        }

        var count: Int {
            switch self {
            case .memory(let t): t.count
            case .spilled(let b): b.count
            }
        }
    }

    /// The blocks before `tail`, in crystal order.
    public private(set) var blocks: [Block] = []
    /// The last crystals, still in memory (the reader appends here).
    public var tail = ReflectionTable()
    private var crystalsInBlocks = 0
    private var rowsInBlocks = 0

    public init() {}

    /// Crystals in the store.
    public var crystalCount: Int { crystalsInBlocks + tail.crystalCount }
    /// Reflections in the store.
    public var count: Int { rowsInBlocks + tail.count }
    /// Blocks written to the spill file.
    public var spilledBlocks: Int { blocks.reduce(0) { if case .spilled = $1 { $0 + 1 } else { $0 } } }

    /// Writes the tail's whole crystals out as a block and empties it; `keepingCapacity`
    /// keeps its buffers for more rows. On an error nothing changes: the rows stay in memory.
    public mutating func spillTail(to spill: ReflectionSpill, keepingCapacity: Bool = true) throws {
        tail.truncate(toCrystals: tail.crystalCount)
        if tail.crystalCount > 0 { push(.spilled(try spill.write(tail))) }
        tail.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Appends `other`'s crystals after these.
    public mutating func append(contentsOf other: ReflectionStore) {
        if tail.crystalCount > 0 {
            push(.memory(tail))
            tail = ReflectionTable()
        }
        for block in other.blocks { push(block) }
        tail = other.tail
    }

    /// Appends a block already in a spill file after these crystals.
    public mutating func append(spilled block: SpilledReflectionBlock) {
        if tail.crystalCount > 0 {
            push(.memory(tail))
            tail = ReflectionTable()
        }
        push(.spilled(block))
    }

    private mutating func push(_ block: Block) {
        blocks.append(block)
        crystalsInBlocks += block.crystalCount
        rowsInBlocks += block.count
    }

    /// Calls `body` with each block in order (spilled ones read back into one reused
    /// table) and the store's index of the block's first crystal.
    public func forEachBlock(_ body: (_ table: ReflectionTable, _ firstCrystal: Int) throws -> Void) throws {
        var first = 0
        var scratch = ReflectionTable()
        for block in blocks {
            switch block {
            case .memory(let table):
                try body(table, first)
            case .spilled(let spilled):
                try spilled.load(into: &scratch)
                try body(scratch, first)
            }
            first += block.crystalCount
        }
        if tail.crystalCount > 0 { try body(tail, first) }
    }

    /// Every block joined into one table in memory (small inputs and tests).
    public func table() throws -> ReflectionTable {
        var all = ReflectionTable()
        all.reserveCapacity(moreCrystals: crystalCount, moreRows: count)
        try forEachBlock { table, _ in all.append(contentsOf: table) }
        return all
    }
}
