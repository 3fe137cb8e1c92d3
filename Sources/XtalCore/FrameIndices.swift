/// The 0-based collection index of every chunk of a run: where the image sits among the
/// images collected, which is what timing patterns (dose points, interleaves) count on.
public struct FrameIndices: Sendable, Equatable {
    /// Frame index per row of the run's `ImageTable`.
    public var index: [Int]
    /// How the indices were found: `event //N`, `image serial number - 1` or `stream order`.
    public var basis: String

    public init(index: [Int], basis: String) {
        self.index = index
        self.basis = basis
    }

    /// Resolves the indices of `table`'s chunks among `limit` collected images: from the
    /// events (`//N`, CrystFEL 0.10+, 0-based frame in a multi-image file), else from the
    /// serial numbers (1-based input order), else the order in the stream. A source is used
    /// only if every chunk has a distinct value below `limit`.
    public static func resolve(_ table: ImageTable, limit: Int) -> FrameIndices {
        if let fromEvents = eventIndices(table, limit: limit) {
            return FrameIndices(index: fromEvents, basis: "event //N")
        }
        if let fromSerials = serialIndices(table, limit: limit) {
            return FrameIndices(index: fromSerials, basis: "image serial number - 1")
        }
        return FrameIndices(index: Array(0..<table.count), basis: "stream order")
    }

    /// The image index of every chunk from its event `//N`, or nil when any is missing,
    /// out of range or repeated, or when the table kept no events (a statistics-only read).
    /// N is what follows the event's last `/`, read as `Int(_:)` reads text (an optional
    /// sign, then decimal digits only), straight from the column's bytes.
    public static func eventIndices(_ table: ImageTable, limit: Int) -> [Int]? {
        guard table.events.count == table.count else { return nil }
        var seen = SeenIndices(limit: limit, expected: table.count)
        var result: [Int] = []
        result.reserveCapacity(table.count)
        for i in 0..<table.count {
            guard let index = table.events.withUTF8(i, frameNumber), index >= 0, index < limit, seen.insert(index)
            else { return nil }
            result.append(index)
        }
        return result
    }

    /// The number after the last `/` of `event`, or nil (no slash, no digits, a character
    /// that is not one, a value outside Int).
    static func frameNumber(_ event: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let slash = event.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        var k = slash + 1
        var negative = false
        if k < event.count, event[k] == UInt8(ascii: "+") || event[k] == UInt8(ascii: "-") {
            negative = event[k] == UInt8(ascii: "-")
            k += 1
        }
        guard k < event.count else { return nil }
        var value = 0
        while k < event.count {
            let digit = event[k] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            // Negative numbers are built downwards, so that Int.min reads as Int(_:) reads it.
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times10.subtractingReportingOverflow(Int(digit)) : times10.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return nil }
            value = sum
            k += 1
        }
        return value
    }

    /// Which indices below a limit were seen: a bitset when the limit is within reach of the
    /// number of images, a hash set when it is not (a hostile image count must not size it).
    struct SeenIndices {
        private var bits: Bitset?
        private var set = Set<Int>()

        init(limit: Int, expected: Int) {
            if limit <= 64 * expected + (1 << 20) { bits = Bitset(count: max(0, limit), value: false) }
        }

        /// Records `index` (0 ≤ index < limit); false when it was seen before.
        mutating func insert(_ index: Int) -> Bool {
            guard bits != nil else { return set.insert(index).inserted }
            if bits![index] { return false }
            bits![index] = true
            return true
        }
    }

    static func serialIndices(_ table: ImageTable, limit: Int) -> [Int]? {
        guard table.serial.count == table.count else { return nil }
        var seen = SeenIndices(limit: limit, expected: table.count)
        var result: [Int] = []
        result.reserveCapacity(table.count)
        for serial in table.serial {
            guard serial != UInt32.max, serial >= 1 else { return nil }
            let index = Int(serial) - 1
            guard index < limit, seen.insert(index) else { return nil }
            result.append(index)
        }
        return result
    }
}
