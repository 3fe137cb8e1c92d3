#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The resident window of a file mapping that a reader walks through once, front to back.
///
/// Behind the reader, pages are handed back to the kernel (`MADV_DONTNEED`: they stay in
/// the page cache and fault back in if touched), so resident memory stays bounded however
/// large the file is. (Filling page tables ahead with `MADV_POPULATE_READ` was measured
/// and was no faster than the page faults it replaces.) Only for file-backed mappings: on
/// anonymous memory `MADV_DONTNEED` would lose the bytes.
struct MappingWindow {
    /// How far the reader moves between calls to `advance`.
    static let step = 16 << 20

    private let bytes: UnsafeRawBufferPointer
    private let enabled: Bool
    private var released = 0

    init(_ bytes: UnsafeRawBufferPointer, enabled: Bool) {
        self.bytes = bytes
        self.enabled = enabled
        advance(to: 0)
    }

    /// The reader has passed every byte before `offset` and keeps nothing that points there.
    mutating func advance(to offset: Int) {
        guard enabled, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: base)
        // Whole pages only: the first and last page may hold bytes of neighbouring data.
        let releaseStart = (address + released + page - 1) / page * page
        let releaseEnd = (address + offset) / page * page
        if releaseEnd > releaseStart {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: releaseStart), releaseEnd - releaseStart, MADV_DONTNEED)
            released = releaseEnd - address
        }
    }
}
