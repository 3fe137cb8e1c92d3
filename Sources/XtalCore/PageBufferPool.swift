#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Large working buffers as pages of their own (mmap), returned to the system when given
/// back — malloc would keep such blocks of varying size in its heap — except that up to
/// `keep` buffers of the standard size are kept for reuse: fresh pages cost a fault and a
/// clearing each. Thread-safe.
public final class PageBufferPool: @unchecked Sendable {
    // @unchecked: `spare` is touched only with `lock` held.
    public let standardSize: Int
    private let keep: Int
    private let lock = NSLock()
    private var spare: [UnsafeMutableRawBufferPointer] = []

    public init(standardSize: Int, keep: Int) {
        self.standardSize = standardSize
        self.keep = keep
    }

    deinit {
        for buffer in spare { munmap(buffer.baseAddress, buffer.count) }
    }

    /// A buffer of `bytes` (a spare one when `bytes` is the standard size); nil when the
    /// system has no memory for it.
    public func take(_ bytes: Int) -> UnsafeMutableRawBufferPointer? {
        if bytes == standardSize, let reused = lock.withLock({ spare.popLast() }) { return reused }
        let count = max(bytes, 1)
        guard let base = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED
        else { return nil }
        return UnsafeMutableRawBufferPointer(start: base, count: count)
    }

    /// Gives `buffer` back: kept when of the standard size and fewer than `keep` are spare.
    public func give(_ buffer: UnsafeMutableRawBufferPointer) {
        let kept = buffer.count == standardSize && lock.withLock {
            guard spare.count < keep else { return false }
            spare.append(buffer)
            return true
        }
        if !kept { munmap(buffer.baseAddress, buffer.count) }
    }
}
