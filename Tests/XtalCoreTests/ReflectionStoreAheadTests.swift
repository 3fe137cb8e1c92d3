import XCTest

@testable import XtalCore

/// `ReflectionStore.forEachBlock(preparingAhead:)` against the plain `forEachBlock`: the same
/// blocks in the same order with the same first crystals, over spilled blocks, blocks kept
/// in memory and the tail; each block's prepared value made from that block (and its
/// buffer reused); an error thrown by the body ends the walk.
final class ReflectionStoreAheadTests: XCTestCase {
    /// A table of `crystals` crystals of 1 … 7 rows, values numbered from `seed`.
    private func table(crystals: Int, seed: Int) -> ReflectionTable {
        var t = ReflectionTable()
        var v = seed
        for c in 0..<crystals {
            for _ in 0..<(1 + (seed + c) % 7) {
                t.h.append(Int16(v % 50))
                t.k.append(Int16(v % 31))
                t.l.append(Int16(v % 17))
                t.intensity.append(Float32(v))
                t.sigma.append(1)
                v += 1
            }
            t.start.append(t.h.count)
            t.reciprocalAxes += [Float32](repeating: Float32(c), count: 9)
            t.photonEnergy.append(9000)
        }
        return t
    }

    /// Spilled blocks, then a store's in-memory block, then a tail.
    private func mixedStore() throws -> ReflectionStore {
        let spill = ReflectionSpill(blockRows: 10)
        var first = ReflectionStore()
        for b in 0..<5 {
            first.tail.append(contentsOf: table(crystals: 3 + b, seed: 100 * b))
            try first.spillTail(to: spill)
        }
        first.tail = table(crystals: 4, seed: 1000)
        var second = ReflectionStore()
        second.tail = table(crystals: 6, seed: 2000)
        first.append(contentsOf: second)
        XCTAssertEqual(first.spilledBlocks, 5)
        XCTAssertEqual(first.blocks.count, 6)
        return first
    }

    func testSameBlocksInOrderWithTheirPreparedValues() throws {
        let store = try mixedStore()
        var plain: [(Int, ReflectionTable)] = []
        try store.forEachBlock { plain.append(($1, $0)) }
        // One block ahead, the default two, and more than there are blocks.
        for depth in [1, 2, 3, 9] {
            var ahead: [(Int, ReflectionTable)] = []
            try store.forEachBlock(preparingAhead: { table, sums in
                sums.removeAll(keepingCapacity: true)
                sums.append(contentsOf: table.intensity.map { Double($0) * 2 })
            }, empty: [Double](), depth: depth) { table, first, sums in
                XCTAssertEqual(sums, table.intensity.map { Double($0) * 2 }, "block at crystal \(first), depth \(depth)")
                ahead.append((first, table))
            }
            XCTAssertEqual(ahead.count, 7, "depth \(depth)")
            XCTAssertEqual(ahead.map(\.0), plain.map(\.0), "depth \(depth)")
            XCTAssertEqual(ahead.map(\.1), plain.map(\.1), "depth \(depth)")
            XCTAssertEqual(ahead.last?.0, store.crystalCount - 6, "depth \(depth)")
        }
    }

    /// depth + 1 buffers take turns, however many blocks there are: a block whose
    /// prepared value was made in a fresh buffer sees 1 uses, a reused one more.
    func testBuffersAreReusedDepthPlusOne() throws {
        let store = try mixedStore()
        for depth in [1, 2, 3] {
            var uses: [Int] = []
            try store.forEachBlock(preparingAhead: { _, used in used += 1 }, empty: 0, depth: depth) { _, _, used in
                uses.append(used)
            }
            XCTAssertEqual(uses.count, 7)
            XCTAssertEqual(uses.filter { $0 == 1 }.count, depth + 1, "fresh buffers at depth \(depth): \(uses)")
            XCTAssertEqual(Array(uses.prefix(depth + 1)), [Int](repeating: 1, count: depth + 1), "depth \(depth): \(uses)")
            XCTAssertTrue(uses.dropFirst(depth + 1).allSatisfy { $0 > 1 }, "depth \(depth): \(uses)")
        }
    }

    func testAnErrorFromTheBodyEndsTheWalk() throws {
        struct Stop: Error {}
        let store = try mixedStore()
        var seen = 0
        XCTAssertThrowsError(try store.forEachBlock(preparingAhead: { _, _ in }, empty: 0) { _, _, _ in
            seen += 1
            if seen == 2 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, 2)
    }

    func testAnEmptyStoreCallsNothing() throws {
        try ReflectionStore().forEachBlock(preparingAhead: { _, _ in XCTFail("prepared") }, empty: 0) { _, _, _ in XCTFail("called") }
    }
}
