#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to write an example file, naming the file.
public struct ExampleWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Buffered output to a file with C-`printf`-compatible number formatting (`%7.2f`, `%4i`)
/// done by hand, so that gigabytes of example stream are written at disk speed without a
/// String per number. The buffer is flushed every 1 MiB: memory stays flat.
final class ByteWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 1 << 20

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ExampleWriteError(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(flushSize + 4096)
    }

    deinit { close(fd) }

    func text(_ s: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    func text(_ s: String) {
        buffer.append(contentsOf: s.utf8)
    }

    func newline() throws {
        buffer.append(0x0A)
        if buffer.count >= flushSize { try flush() }
    }

    func line(_ s: StaticString) throws {
        text(s)
        try newline()
    }

    func line(_ s: String) throws {
        text(s)
        try newline()
    }

    /// `%<width>i`.
    func int(_ value: Int, width: Int = 0) {
        var digits: [UInt8] = []
        var v = value.magnitude
        repeat {
            digits.append(UInt8(0x30 + v % 10))
            v /= 10
        } while v > 0
        let length = digits.count + (value < 0 ? 1 : 0)
        if width > length { buffer.append(contentsOf: repeatElement(0x20, count: width - length)) }
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer.append(contentsOf: digits.reversed())
    }

    /// `%<width>.<decimals>f`, with `plus` giving `%+…f`. Rounds half away from zero, which
    /// matches glibc's output for the example's values (none sit on an exact binary tie).
    func fixed(_ value: Double, decimals: Int, width: Int = 0, plus: Bool = false) {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        let whole = UInt64(scaled) / scale
        let fraction = UInt64(scaled) % scale
        let negative = value < 0 && scaled != 0
        var out: [UInt8] = []
        if negative { out.append(UInt8(ascii: "-")) } else if plus { out.append(UInt8(ascii: "+")) }
        out.append(contentsOf: String(whole).utf8)
        if decimals > 0 {
            out.append(UInt8(ascii: "."))
            let f = String(fraction)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals - f.utf8.count))
            out.append(contentsOf: f.utf8)
        }
        if width > out.count { buffer.append(contentsOf: repeatElement(0x20, count: width - out.count)) }
        buffer.append(contentsOf: out)
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { throw ExampleWriteError(path: path, reason: String(cString: strerror(errno))) }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
