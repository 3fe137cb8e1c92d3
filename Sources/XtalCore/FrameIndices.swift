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
    public static func eventIndices(_ table: ImageTable, limit: Int) -> [Int]? {
        guard table.events.count == table.count else { return nil }
        var seen = Set<Int>()
        var result: [Int] = []
        result.reserveCapacity(table.count)
        for i in 0..<table.count {
            let event = table.events[i]
            guard let slash = event.lastIndex(of: "/"), let index = Int(event[event.index(after: slash)...]),
                index >= 0, index < limit, seen.insert(index).inserted
            else { return nil }
            result.append(index)
        }
        return result
    }

    static func serialIndices(_ table: ImageTable, limit: Int) -> [Int]? {
        guard table.serial.count == table.count else { return nil }
        var seen = Set<Int>()
        var result: [Int] = []
        result.reserveCapacity(table.count)
        for serial in table.serial {
            guard serial != UInt32.max, serial >= 1 else { return nil }
            let index = Int(serial) - 1
            guard index < limit, seen.insert(index).inserted else { return nil }
            result.append(index)
        }
        return result
    }
}
