#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Everything `descriptor` gives until its end (a child's pipe), read with read(2) and
/// retried when a signal interrupts it. FileHandle's `readDataToEndOfFile` stops the
/// process on EINTR, which timers and children's exits can send to whichever thread reads
/// (the fuzzer found it). An error other than EINTR ends the read with what came so far.
public func readAll(from descriptor: Int32) -> Data {
    // Straight into the Data that is returned (a large answer is tens of MB: no copy at
    // the end), through one reused 1 MiB buffer.
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if n > 0 {
            chunk.withUnsafeBytes { data.append($0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n) }
        } else if n < 0, errno == EINTR {
            continue
        } else {
            return data
        }
    }
}

/// Reads `descriptor` to its end and drops what comes (a child's pipe, so that the child
/// can finish writing), through one 64 KiB buffer.
public func discardAll(from descriptor: Int32) {
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return }
    }
}

/// Exactly `count` bytes from `descriptor`, or nil at its end or on an error.
public func readExactly(from descriptor: Int32, count: Int) -> [UInt8]? {
    var whole = true
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        whole = count == 0 || readExactly(from: descriptor, into: UnsafeMutableRawBufferPointer(buffer))
        initialized = whole ? count : 0
    }
    return whole ? bytes : nil
}

/// Fills `buffer` completely from `descriptor` (retried when a signal interrupts a read);
/// false at its end or on an error.
public func readExactly(from descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
    var done = 0
    while done < buffer.count {
        let n = read(descriptor, buffer.baseAddress! + done, buffer.count - done)
        if n > 0 {
            done += n
        } else if n < 0, errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}
