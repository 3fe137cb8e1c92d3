/// File names for names that come from users and files (run names, merged dataset names):
/// safe to put in a path and never shared by two different names.
///
/// A name that is already safe (ASCII letters, digits, `-`, `_`, `.`, not starting with a
/// dot, at most 100 characters) is its own stem. Any other name has every other
/// character replaced by `_`, leading dots dropped, is cut to 100 characters, and gets
/// a hash of the whole original name appended (`-` and 8 hex digits, FNV-1a), so
/// `../../x` cannot leave its folder and `y/../x`, `y_.._x` and `x` stay three files.
public enum FileStem {
    public static let maximumLength = 100

    public static func of(_ name: String) -> String {
        let safe = name.unicodeScalars.allSatisfy(isSafe) && !name.hasPrefix(".") && !name.isEmpty
            && name.unicodeScalars.count <= maximumLength
        if safe { return name }
        var kept = String(String.UnicodeScalarView(name.unicodeScalars.map { isSafe($0) ? $0 : "_" }))
        while kept.hasPrefix(".") { kept.removeFirst() }
        let suffix = "-" + hash(name)
        return String((kept.isEmpty ? "name" : kept).prefix(maximumLength - suffix.count)) + suffix
    }

    private static func isSafe(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
        default: false
        }
    }

    /// The 32-bit FNV-1a hash of `text`'s UTF-8 bytes as 8 hex digits.
    public static func hash(_ text: String) -> String {
        let hex = String(fnv1a(text), radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// 32-bit FNV-1a of the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            h ^= UInt32(byte)
            h = h &* 16_777_619
        }
        return h
    }
}
