/// File names that are not valid UTF-8, kept losslessly in a `String`.
///
/// Linux file names are bytes. Swift decodes invalid UTF-8 (in argv, in directory listings)
/// into U+FFFD, after which the file cannot be opened. Here every byte that is not part of
/// valid UTF-8 becomes the private-use scalar U+10FF00 + byte instead, and turns back into
/// that byte whenever the path goes to the system (`withCString`, `bytes`); valid UTF-8 is
/// unchanged. (A name that really holds U+10FF00…U+10FFFF, plane-16 private use, would be
/// read as raw bytes: no known producer writes those.) On a terminal such bytes are shown
/// as `\xHH` (`display`).
public enum RawPath {
    static let base: UInt32 = 0x10_FF00

    /// The string for a file name's bytes.
    public static func string<C: Collection<UInt8>>(_ bytes: C) -> String where C.Index == Int {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let length = validSequenceLength(bytes, at: i)
            if length == 0 {
                scalars.append(Unicode.Scalar(base + UInt32(bytes[i]))!)
                i += 1
            } else {
                let decoded = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                scalars.append(contentsOf: decoded.unicodeScalars)
                i += length
            }
        }
        return String(scalars)
    }

    /// The file name's bytes (without a terminating NUL).
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.unicodeScalars.contains(where: isRawByte) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isRawByte(scalar) {
                out.append(UInt8(scalar.value - base))
            } else {
                out += String(scalar).utf8
            }
        }
        return out
    }

    /// Calls `body` with the path as the system knows it (NUL-terminated bytes).
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        guard path.unicodeScalars.contains(where: isRawByte) else { return try path.withCString(body) }
        let raw = bytes(path).map { CChar(bitPattern: $0) } + [0]
        return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `path` for a person: raw bytes as `\xHH`.
    public static func display(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: isRawByte) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if isRawByte(scalar) {
                let hex = String(scalar.value - base, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public static func isRawByte(_ scalar: Unicode.Scalar) -> Bool {
        (base...(base + 0xFF)).contains(scalar.value)
    }

    /// The length of the valid UTF-8 sequence starting at `i` (1–4), or 0 when the byte
    /// there does not start one (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
    static func validSequenceLength<C: Collection<UInt8>>(_ b: C, at i: Int) -> Int where C.Index == Int {
        let first = b[i]
        func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + k < b.endIndex && range.contains(b[i + k])
        }
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
