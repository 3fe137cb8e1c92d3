/// How a stream file is compressed, known from its first bytes (not its name): gzip
/// (RFC 1952, `1f 8b`) or Zstandard (RFC 8878: frame magic `28 b5 2f fd`, or a skippable
/// frame `5X 2a 4d 18`, with which pzstd begins every frame).
public enum StreamCompression: String, Sendable, Codable, CaseIterable {
    case gzip
    case zstd

    /// The file name endings that directory mode takes as compressed streams.
    public var streamSuffix: String {
        switch self {
        case .gzip: ".stream.gz"
        case .zstd: ".stream.zst"
        }
    }

    /// The compression whose magic number `bytes` begins with, if any.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> StreamCompression? {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { return .gzip }
        if bytes.count >= 4, bytes[0] == 0x28, bytes[1] == 0xB5, bytes[2] == 0x2F, bytes[3] == 0xFD { return .zstd }
        if bytes.count >= 4, bytes[0] & 0xF0 == 0x50, bytes[1] == 0x2A, bytes[2] == 0x4D, bytes[3] == 0x18 { return .zstd }
        return nil
    }
}
