/// A growable packed bit vector: one bit per image, 64 images per word.
///
/// Per-image yes/no facts (hit, "hit" line present, laser on …) live here instead of in
/// `[Bool]`, which costs a byte per image. Counting is a popcount per word, and boolean
/// combinations (`hit AND NOT indexed`) run word by word.
public struct Bitset: Sendable, Equatable, Codable {
    /// The packed words; bit `i % 64` of word `i / 64` is element `i`.
    public internal(set) var words: [UInt64]
    /// Number of bits in use.
    public internal(set) var count: Int

    public init() {
        words = []
        count = 0
    }

    /// A bitset of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        words = Array(repeating: value ? ~0 : 0, count: (count + 63) / 64)
        clearTail()
    }

    /// One bit per byte of `bytes`, set where the byte is not zero; built 8 bytes per step.
    public init(nonZero bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        count = n
        words = [UInt64](unsafeUninitializedCapacity: (n + 63) / 64) { out, filled in
            let raw = UnsafeRawPointer(bytes.baseAddress)
            for w in 0..<(n + 63) / 64 {
                var word: UInt64 = 0
                var j = 0
                if let raw {
                    while j < 64, w * 64 + j + 8 <= n {
                        let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: w * 64 + j, as: UInt64.self))
                        word |= Self.nonZeroByteBits(x) << UInt64(j)
                        j += 8
                    }
                }
                while j < 64, w * 64 + j < n {
                    if bytes[w * 64 + j] != 0 { word |= 1 << UInt64(j) }
                    j += 1
                }
                out[w] = word
            }
            filled = (n + 63) / 64
        }
    }

    /// Bit i set when byte i of `x` (little-endian) is not zero.
    @inline(__always)
    private static func nonZeroByteBits(_ x: UInt64) -> UInt64 {
        let low7 = UInt64(0x7F7F_7F7F_7F7F_7F7F)
        // High bit of each byte: set when the byte has any bit set.
        let high = ((x & low7) &+ low7 | x) & ~low7
        // Gather the eight high bits into the top byte (byte i lands on bit 56 + i).
        return ((high >> 7) &* 0x0102_0408_1020_4080) >> 56
    }

    public mutating func reserveCapacity(_ n: Int) {
        words.reserveCapacity((n + 63) / 64)
    }

    public mutating func append(_ value: Bool) {
        if count & 63 == 0 { words.append(0) }
        if value { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "Bitset index out of range")
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "Bitset index out of range")
            if newValue {
                words[index >> 6] |= 1 << UInt64(index & 63)
            } else {
                words[index >> 6] &= ~(1 << UInt64(index & 63))
            }
        }
    }

    /// Appends every bit of `other` after the bits of `self`.
    public mutating func append(contentsOf other: Bitset) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        // Each word of `other` straddles two words here: its low bits fill the last word,
        // its high bits start the next. Bits past `other.count` are zero, so they stay so.
        let shift = UInt64(count & 63)
        words.reserveCapacity((count + other.count + 63) / 64)
        for word in other.words {
            words[words.count - 1] |= word << shift
            words.append(word >> (64 - shift))
        }
        count += other.count
        words.removeLast(words.count - (count + 63) / 64)
    }

    /// Number of set bits. `nonzeroBitCount` compiles to one POPCNT per word on x86-64,
    /// which beats any vector formulation Swift's SIMD types offer (they have no popcount).
    public var popcount: Int {
        var total = 0
        for w in words { total &+= w.nonzeroBitCount }
        return total
    }

    /// Bitwise AND; both operands must have the same count.
    public static func & (lhs: Bitset, rhs: Bitset) -> Bitset {
        precondition(lhs.count == rhs.count, "Bitset sizes differ")
        var out = lhs
        for i in out.words.indices { out.words[i] &= rhs.words[i] }
        return out
    }

    /// Bitwise OR; both operands must have the same count.
    public static func | (lhs: Bitset, rhs: Bitset) -> Bitset {
        precondition(lhs.count == rhs.count, "Bitset sizes differ")
        var out = lhs
        for i in out.words.indices { out.words[i] |= rhs.words[i] }
        return out
    }

    /// Bitwise NOT of the bits in use (the unused tail of the last word stays zero).
    public static prefix func ~ (value: Bitset) -> Bitset {
        var out = value
        for i in out.words.indices { out.words[i] = ~out.words[i] }
        out.clearTail()
        return out
    }

    private mutating func clearTail() {
        let used = count & 63
        if used != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(used)) - 1 }
    }
}
