/// A column of short strings stored as one byte arena plus end offsets, so that a million
/// image filenames or event ids cost two allocations, not a million.
public struct StringColumn: Sendable {
    var bytes: [UInt8] = []
    var ends: [UInt32] = []

    public init() {}

    public var count: Int { ends.count }

    public mutating func append(_ utf8: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: utf8)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    public mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    public mutating func append(contentsOf other: StringColumn) {
        let shift = UInt32(truncatingIfNeeded: bytes.count)
        bytes += other.bytes
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(end &+ shift) }
    }

    /// `body` of the bytes of the string at `index`, without making a String of them.
    public func withUTF8<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The string at `index`; invalid UTF-8 is repaired with U+FFFD.
    public subscript(index: Int) -> String {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
