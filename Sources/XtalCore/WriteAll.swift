#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes all of `bytes` to `descriptor`, retrying after signals; 0, or the errno of the
/// failure (ENOSPC for a write that made no progress).
public func writeAll(to descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var done = 0
    while done < bytes.count {
        let n = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if n < 0, errno == EINTR { continue }
        if n < 0 { return errno }
        if n == 0 { return ENOSPC }
        done += n
    }
    return 0
}
