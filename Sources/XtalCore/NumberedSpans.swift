#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Strings that are all one prefix followed by a number — CrystFEL's events `//0`, `//1`,
/// … — kept as that prefix and one 32-bit number each: 4 bytes a string instead of its
/// length plus a 4-byte offset (a 1.8 M-image run's `//1799999`: 13 bytes an image).
///
/// A string is taken only when writing the number back gives exactly its bytes: decimal
/// digits without a sign, no leading zero (except `0` itself), at most 4294967295.
struct NumberedSpans: Sendable, Equatable {
    /// The bytes before the number (at most `maximumPrefix`).
    var prefix: [UInt8]
    var numbers: [UInt32] = []

    static let maximumPrefix = 64

    /// The prefix and number `utf8` is, or nil when it is not one.
    static func split(_ utf8: UnsafeRawBufferPointer) -> (prefix: [UInt8], number: UInt32)? {
        var start = utf8.count
        while start > 0, utf8[start - 1] &- UInt8(ascii: "0") < 10 { start -= 1 }
        guard start <= maximumPrefix, let number = digits(utf8, from: start) else { return nil }
        return (Array(utf8[0..<start]), number)
    }

    /// The number of `utf8` when it is this prefix followed by a number.
    func number(_ utf8: UnsafeRawBufferPointer) -> UInt32? {
        let p = prefix.count
        guard utf8.count > p else { return nil }
        if p > 0 {
            let same = prefix.withUnsafeBytes { memcmp($0.baseAddress!, utf8.baseAddress!, p) == 0 }
            guard same else { return nil }
        }
        return Self.digits(utf8, from: p)
    }

    /// The decimal number `utf8[start...]` spells exactly, or nil.
    private static func digits(_ utf8: UnsafeRawBufferPointer, from start: Int) -> UInt32? {
        let n = utf8.count - start
        guard n >= 1, n <= 10, n == 1 || utf8[start] != UInt8(ascii: "0") else { return nil }
        var value: UInt64 = 0
        for k in start..<utf8.count {
            let digit = utf8[k] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value <= UInt64(UInt32.max) ? UInt32(value) : nil
    }

    /// The byte length of span `s`.
    func byteCount(_ s: Int) -> Int {
        var digits = 1
        var n = numbers[s]
        while n >= 10 {
            n /= 10
            digits += 1
        }
        return prefix.count + digits
    }

    /// The bytes of all spans written out.
    var textByteCount: Int { numbers.indices.reduce(0) { $0 + byteCount($1) } }

    /// `body` of the bytes of span `s`, written into a buffer on the stack.
    func withUTF8<R>(_ s: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: prefix.count + 10) { buffer in
            var length = prefix.count
            prefix.withUnsafeBufferPointer { p in
                if let base = p.baseAddress { buffer.baseAddress!.update(from: base, count: length) }
            }
            var digits: (UInt64, UInt64) = (0, 0)  // up to 10 digits, backwards
            var n = numbers[s]
            var k = 0
            withUnsafeMutableBytes(of: &digits) { scratch in
                repeat {
                    scratch[k] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                    k += 1
                } while n > 0
                for j in 0..<k { buffer[length + j] = scratch[k - 1 - j] }
            }
            length += k
            return body(UnsafeBufferPointer(rebasing: buffer[0..<length]))
        }
    }
}
