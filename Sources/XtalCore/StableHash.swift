import Foundation

/// FNV-1a, 64 bits: a stable fingerprint (the same on every machine and in every run,
/// unlike Swift's `Hasher`), for telling inputs apart, not for security. Used for the
/// cluster plan's and the cache's keys, and for the store's check that a run's per-image
/// rows are already there.
public struct StableHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init() {}

    /// The text's UTF-8 bytes, then a 0 byte (so "ab","c" and "a","bc" differ).
    public mutating func add(_ text: String) {
        add(bytes: Data(text.utf8))
        add(bytes: Data([0]))
    }

    public mutating func add(bytes: Data) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* Self.prime
        }
    }

    /// The elements' bytes as they lie in memory, eight at a time (FNV-1a over 64-bit
    /// words: a different hash from `add(bytes:)` of the same bytes, and eight times as
    /// fast, which matters for the million values of a run's per-image columns), then the
    /// count. The bytes are the machine's: for fingerprints kept on one machine.
    public mutating func add<Element: BitwiseCopyable>(contentsOf values: [Element]) {
        values.withUnsafeBytes { raw in
            let words = raw.count / 8
            for w in 0..<words {
                state ^= raw.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)
                state = state &* Self.prime
                state ^= state >> 32  // a word's high bits reach the low ones too
            }
            for byte in raw[(words * 8)...] {
                state ^= UInt64(byte)
                state = state &* Self.prime
            }
        }
        add("\(values.count)")
    }

    public var hex: String { String(state, radix: 16, uppercase: false) }
}
