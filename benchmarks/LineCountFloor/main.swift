// The floor for any reader that looks at every byte of a page-cached file through a
// memory mapping: map each file, count its newlines 64 bytes per step (SSE2 compares on
// x86-64, as xtalreport's line cursor does), nothing else. benchmarks/ingest-throughput.sh
// times it beside `wc -l` and `xtalreport stats`: whatever the floor takes is memory and
// kernel (page-mapping) work that no parser of the file can avoid.
//
//   line-count-floor [--threads N] FILE...
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Dispatch

#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Newlines in `count` bytes at `p`.
func newlines(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var total = 0
    var i = 0
    #if arch(x86_64)
        let needle = _mm_set1_epi8(0x0A)
        let raw = UnsafeRawPointer(p)
        func mask(_ offset: Int) -> UInt64 {
            let v = _mm_loadu_si128((raw + offset).assumingMemoryBound(to: __m128i.self))
            return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(v, needle))))
        }
        while i + 64 <= count {
            total += (mask(i) | mask(i + 16) << 16 | mask(i + 32) << 32 | mask(i + 48) << 48).nonzeroBitCount
            i += 64
        }
    #endif
    while i < count {
        if p[i] == 0x0A { total += 1 }
        i += 1
    }
    return total
}

/// The parts' counts, written by one worker each.
final class Counts: @unchecked Sendable {
    // @unchecked: slot k is written only by worker k, and read after all have joined.
    var slots: [Int]
    init(_ n: Int) { slots = Array(repeating: 0, count: n) }
}

/// An address shared read-only by the workers.
struct Mapping: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
}

var arguments = Array(CommandLine.arguments.dropFirst())
var threads = 1
if let k = arguments.firstIndex(of: "--threads"), k + 1 < arguments.count, let n = Int(arguments[k + 1]), n > 0 {
    threads = n
    arguments.removeSubrange(k...k + 1)
}
guard !arguments.isEmpty else {
    print("usage: line-count-floor [--threads N] FILE...")
    exit(64)
}
var total = 0
for path in arguments {
    let fd = open(path, O_RDONLY)
    var info = stat()
    guard fd >= 0, fstat(fd, &info) == 0 else {
        print("cannot read \(path)")
        exit(66)
    }
    let size = Int(info.st_size)
    if size == 0 { continue }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
        print("cannot map \(path)")
        exit(66)
    }
    madvise(address, size, MADV_SEQUENTIAL)
    let mapping = Mapping(base: UnsafePointer(address.assumingMemoryBound(to: UInt8.self)))
    let parts = threads
    let counts = Counts(parts)
    DispatchQueue.concurrentPerform(iterations: parts) { k in
        let start = size * k / parts
        let end = size * (k + 1) / parts
        counts.slots[k] = newlines(mapping.base + start, end - start)
    }
    total += counts.slots.reduce(0, +)
    munmap(address, size)
    close(fd)
}
print(total)
