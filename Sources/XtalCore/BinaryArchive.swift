import Foundation

/// A compact binary form for handing large columnar results between processes (a cluster
/// task's partial result, a cached file's parse): flat arrays are written as their raw
/// little-endian bytes after a count, so a million-image table is written and read at
/// memory speed, where JSON would spend seconds.
///
/// The reader treats its bytes as hostile: every count is checked against the bytes that
/// are left before anything is allocated, and a value that breaks a table's invariants is
/// refused (`ArchiveError`), never trusted. Writers and readers must agree on the order of
/// fields; each archived type writes and reads its own fields in one place
/// (`TableArchiving.swift`, and the types that use it).
public struct ArchiveWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// An integer, as 8 bytes.
    public mutating func write(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ value: Double) { write(Int(Int64(bitPattern: value.bitPattern))) }

    /// A string as its UTF-8 bytes after their count.
    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    public mutating func write(_ value: String?) {
        write(value != nil)
        if let value { write(value) }
    }

    /// A flat array of plain values (integers, floats): its count, then its raw bytes.
    public mutating func write<T: BitwiseCopyable>(_ values: [T]) {
        write(values.count)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Raw bytes after their count.
    public mutating func write(bytes raw: UnsafeRawBufferPointer) {
        write(raw.count)
        bytes.append(contentsOf: raw)
    }

    /// A small value through its `Codable` form (JSON), for the fields that are few and
    /// structured (issues, provenance), where speed does not matter.
    public mutating func write<T: Encodable>(json value: T) throws {
        let data = try JSONEncoder().encode(value)
        write(data.count)
        bytes.append(contentsOf: data)
    }

    /// Takes the bytes out, leaving the writer empty.
    public mutating func take() -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &bytes)
        return out
    }
}

/// What is wrong with archived bytes.
public enum ArchiveError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The bytes end before the value does.
    case truncated(needed: Int, left: Int)
    /// A value that cannot be: a count, an offset or a length that breaks an invariant.
    case invalid(String)

    public var description: String {
        switch self {
        case .truncated(let needed, let left): "cut short (\(needed) bytes needed, \(left) left)"
        case .invalid(let why): "not a valid archive: \(why)"
        }
    }
}

/// Reads what `ArchiveWriter` wrote, checking every count against the bytes left.
public struct ArchiveReader {
    private let base: UnsafeRawBufferPointer
    /// The offset of the next value.
    public private(set) var offset: Int

    /// Reads `bytes`, which must stay valid while the reader is used.
    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        base = bytes
        self.offset = offset
    }

    /// Bytes not yet read.
    public var remaining: Int { base.count - offset }

    private mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw ArchiveError.truncated(needed: n, left: remaining) }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
    }

    public mutating func readInt() throws -> Int {
        let raw = try take(8)
        var value: Int64 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: raw) }
        return Int(Int64(littleEndian: value))
    }

    /// An integer that must lie in `range` (a count, an index).
    public mutating func readInt(in range: ClosedRange<Int>, _ what: @autoclosure () -> String) throws -> Int {
        let value = try readInt()
        guard range.contains(value) else { throw ArchiveError.invalid("\(what()) is \(value), outside \(range)") }
        return value
    }

    public mutating func readBool() throws -> Bool {
        let raw = try take(1)
        guard raw[0] <= 1 else { throw ArchiveError.invalid("a flag byte is \(raw[0])") }
        return raw[0] == 1
    }

    public mutating func readDouble() throws -> Double {
        Double(bitPattern: UInt64(bitPattern: Int64(try readInt())))
    }

    public mutating func readString() throws -> String {
        let count = try readInt()
        return String(decoding: try take(count), as: UTF8.self)
    }

    public mutating func readOptionalString() throws -> String? {
        try readBool() ? try readString() : nil
    }

    /// A flat array written by `write(_:[T])`; its count is checked against the bytes left
    /// before the array is made.
    public mutating func readArray<T: BitwiseCopyable>(of: T.Type = T.self) throws -> [T] {
        let count = try readInt()
        let stride = MemoryLayout<T>.stride
        guard count >= 0, count <= remaining / max(1, stride) else {
            throw ArchiveError.truncated(needed: count.multipliedReportingOverflow(by: stride).partialValue, left: remaining)
        }
        let raw = try take(count * stride)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            initialized = count
        }
    }

    /// A flat array that must have exactly `count` elements.
    public mutating func readArray<T: BitwiseCopyable>(of type: T.Type = T.self, count: Int, _ what: @autoclosure () -> String) throws -> [T] {
        let values: [T] = try readArray()
        guard values.count == count else { throw ArchiveError.invalid("\(what()) has \(values.count) values, not \(count)") }
        return values
    }

    /// Raw bytes written by `write(bytes:)`, as a view into the archive.
    public mutating func readBytes() throws -> UnsafeRawBufferPointer {
        try take(try readInt())
    }

    /// A value written by `write(json:)`.
    public mutating func read<T: Decodable>(json type: T.Type) throws -> T {
        let raw = try readBytes()
        do {
            return try JSONDecoder().decode(T.self, from: Data(raw))
        } catch {
            throw ArchiveError.invalid("a \(T.self) that is not valid JSON")
        }
    }
}
