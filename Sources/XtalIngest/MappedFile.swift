import Foundation
import XtalCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of an input file, memory-mapped read-only when it is a regular file (the page
/// cache is used directly, nothing is copied), read into memory when it is a pipe or a
/// socket (up to `pipeLimit` bytes). Devices (`/dev/zero`, a disk) are refused, and a
/// FIFO without a writer reads as empty instead of blocking in `open`.
public final class MappedFile: @unchecked Sendable {
    // @unchecked: the buffer is immutable after init and unmapped only in deinit.
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    /// True for a file mapping (pages can be released and faulted back), false for bytes read into memory.
    public let isMapped: Bool

    /// Opens `path`; throws `InputError` naming the file when it cannot be read.
    public init(path: String) throws {
        self.path = path
        // Non-blocking, so that opening a FIFO nobody writes to returns at once.
        let fd = RawPath.withCString(path) { open($0, O_RDONLY | O_NONBLOCK) }
        guard fd >= 0 else { throw InputError.unreadable(path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw InputError.unreadable(path: path, reason: Self.errnoText()) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw InputError.unreadable(path: path, reason: "is a directory")
        case S_IFCHR: throw InputError.unreadable(path: path, reason: "is a character device, not a file")
        case S_IFBLK: throw InputError.unreadable(path: path, reason: "is a block device, not a file")
        default: break
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            let size = Int(info.st_size)
            if size == 0 {
                bytes = UnsafeRawBufferPointer(start: nil, count: 0)
                isMapped = false
                return
            }
            guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
                throw InputError.unreadable(path: path, reason: Self.errnoText())
            }
            _ = madvise(base, size, MADV_SEQUENTIAL)
            bytes = UnsafeRawBufferPointer(start: base, count: size)
            isMapped = true
            return
        }
        // A pipe or socket: read it all in 1 MiB blocks, waiting for the writer from here on.
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 else {
            throw InputError.unreadable(path: path, reason: Self.errnoText())
        }
        var storage = [UInt8]()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw InputError.unreadable(path: path, reason: Self.errnoText()) }
            if n == 0 { break }
            guard storage.count + n <= Self.pipeLimit else {
                throw InputError.unreadable(
                    path: path, reason: "more than \(Self.pipeLimit >> 20) MiB from a pipe (the limit for input that is not "
                        + "a file: a quarter of this machine's memory); write it to a file and read that")
            }
            storage.append(contentsOf: block[0..<n])
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(storage.count, 1), alignment: 16)
        storage.withUnsafeBytes { buffer.copyMemory(from: $0) }
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: storage.count)
        isMapped = false
    }

    /// The most bytes read from a pipe or socket, which must be held in memory whole: a
    /// quarter of physical memory (an endless input stops there with a clear error).
    public static let pipeLimit = Int(ProcessInfo.processInfo.physicalMemory / 4)

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// An input the engine could not use at all (as opposed to a malformed part of an input,
/// which is counted and reported while the rest is read).
public enum InputError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case notAStream(path: String, reason: String)
    case badManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .notAStream(let path, let reason): "\(path) is not a CrystFEL stream: \(reason)"
        case .badManifest(let path, let reason): "manifest \(path): \(reason)"
        }
    }
}
