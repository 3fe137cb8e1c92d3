import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a job's reflection tables go while the streams are read, so that memory holds
/// the merge's sums and not every observation: an unnamed temporary file (created in
/// `directory` on the first block, unlinked at once, so nothing is left behind even when
/// the process is killed), written in blocks of about `blockRows` reflections by the
/// stream reader and read back one block at a time by the merge.
///
/// One spill serves every reader thread of a job: a block's bytes are reserved under a
/// lock and written outside it. A block's disk space is released (a hole punched) when
/// the last `SpilledReflectionBlock` referring to it goes.
///
/// A spill can also be a named file that outlives the job (`init(file:)`): the cache keeps
/// a stream file's reflection blocks in one, where the next job reads them in place
/// (`existing(file:)`) instead of copying them; its blocks are never released.
public final class ReflectionSpill: @unchecked Sendable {
    // @unchecked: `descriptor`, `end` and `failure` are only touched while `lock` is held;
    // the file's bytes are written once per reserved range and read after that.
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private var end = 0
    private var failure: String?
    /// The folder the file is made in.
    public let directory: String
    /// Rows a reader keeps in memory before it writes them out as a block.
    public let blockRows: Int
    /// The named file the blocks go into and stay in; nil for an unnamed temporary file.
    public let file: String?

    /// A spill in `directory` (default: `TMPDIR`, else `/tmp`).
    public init(directory: String? = nil, blockRows: Int = 1 << 18) {
        self.directory = directory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        self.blockRows = max(1, blockRows)
        file = nil
    }

    /// A spill into the file at `path`, made (or emptied) when the first block is written
    /// and kept after the job.
    public init(file path: String, blockRows: Int = 1 << 18) {
        directory = (path as NSString).deletingLastPathComponent
        self.blockRows = max(1, blockRows)
        file = path
    }

    /// The named spill at `path` as an earlier job left it, to read its blocks (`block`);
    /// nothing more can be written to it.
    public static func existing(file path: String) throws(ReflectionSpillError) -> ReflectionSpill {
        let spill = ReflectionSpill(file: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .read(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .read(path: path, reason: reason)
        }
        spill.descriptor = fd
        spill.end = Int(status.st_size)
        spill.failure = "the file is an earlier job's, read only"
        return spill
    }

    /// The block an earlier job wrote at `offset` with `crystals` crystals and `rows`
    /// reflections, refused unless it lies inside the file.
    public func block(offset: Int, crystals: Int, rows: Int) throws(ReflectionSpillError) -> SpilledReflectionBlock {
        let size = bytesWritten
        let fits = offset >= 0 && crystals >= 0 && rows >= 0 && crystals <= size / 52 && rows <= size / 14
        let layout = SpilledReflectionBlock.Layout(crystals: crystals, rows: rows)
        guard fits, offset <= size - layout.bytes else {
            throw .read(path: file ?? directory, reason: "a block of \(crystals) crystals at byte \(offset) is not inside the file (\(size) bytes)")
        }
        return SpilledReflectionBlock(spill: self, offset: offset, layout: layout)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Bytes written so far (holes included).
    public var bytesWritten: Int {
        lock.lock()
        defer { lock.unlock() }
        return end
    }

    /// Writes `table` as one block and returns it; throws (the table is then still the
    /// caller's) when the file cannot be made or written.
    public func write(_ table: ReflectionTable) throws -> SpilledReflectionBlock {
        let layout = SpilledReflectionBlock.Layout(crystals: table.crystalCount, rows: table.count)
        let (fd, offset) = try reserve(layout.bytes)
        var at = offset
        func put<T>(_ column: [T]) throws {
            try column.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(at + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { throw ReflectionSpillError.write(path: file ?? directory, reason: String(cString: strerror(errno))) }
                    done += n
                }
                at += raw.count
            }
        }
        try put(table.start.map { Int64($0) })
        try put(table.reciprocalAxes)
        try put(table.photonEnergy)
        try put(table.h)
        try put(table.k)
        try put(table.l)
        try put(table.intensity)
        try put(table.sigma)
        return SpilledReflectionBlock(spill: self, offset: offset, layout: layout)
    }

    /// The file (made on first use) and `bytes` reserved at its end.
    private func reserve(_ bytes: Int) throws -> (Int32, Int) {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw ReflectionSpillError.write(path: file ?? directory, reason: failure) }
        if descriptor < 0, let file {
            let fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                failure = String(cString: strerror(errno))
                throw ReflectionSpillError.write(path: file, reason: failure!)
            }
            descriptor = fd
        } else if descriptor < 0 {
            var template = Array((directory + "/xtalreport-reflections-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                failure = String(cString: strerror(errno))
                throw ReflectionSpillError.write(path: directory, reason: failure!)
            }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            descriptor = fd
        }
        let offset = end
        end += bytes
        return (descriptor, offset)
    }

    /// Reads `count` bytes at `offset` into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        lock.lock()
        let fd = descriptor
        lock.unlock()
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw ReflectionSpillError.read(
                    path: file ?? directory, reason: n == 0 ? "the file ended early" : String(cString: strerror(errno)))
            }
            done += n
        }
    }

    /// Gives the disk space of a block back (where the file system can; else it stays
    /// until the process ends).
    func release(offset: Int, bytes: Int) {
        if file != nil { return }  // a named file keeps its blocks for the next job
        lock.lock()
        let fd = descriptor
        lock.unlock()
        if fd >= 0, bytes > 0, let punch = Self.punchHole { _ = punch(fd, 3, off_t(offset), off_t(bytes)) }
    }

    /// glibc's `fallocate`, looked up at run time (Swift's Glibc module leaves out the
    /// `_GNU_SOURCE` declarations); called with FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
    /// (2 | 1, linux/falloc.h). nil where the C library has none.
    private static let punchHole: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32)? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
        #else
            return nil
        #endif
    }()
}

/// One block of a reflection table in a `ReflectionSpill`: where it is and its shape.
public final class SpilledReflectionBlock: Sendable {
    /// The byte layout of a block: the columns of `ReflectionTable` one after another.
    struct Layout: Sendable {
        let crystals: Int
        let rows: Int
        var bytes: Int { 8 * (crystals + 1) + 36 * crystals + 8 * crystals + 6 * rows + 8 * rows }
    }

    /// The spill the block is in.
    public let spill: ReflectionSpill
    /// Where in the spill's file the block starts.
    public let offset: Int
    let layout: Layout
    public var crystalCount: Int { layout.crystals }
    public var count: Int { layout.rows }

    init(spill: ReflectionSpill, offset: Int, layout: Layout) {
        self.spill = spill
        self.offset = offset
        self.layout = layout
    }

    deinit { spill.release(offset: offset, bytes: layout.bytes) }

    /// Reads the block into `table`, replacing what it held (its buffers are reused).
    public func load(into table: inout ReflectionTable) throws {
        var at = offset
        func fill<T>(_ column: inout [T], _ n: Int, zero: T) throws {
            column.removeAll(keepingCapacity: true)
            column.append(contentsOf: repeatElement(zero, count: n))
            try column.withUnsafeMutableBytes { try spill.read(into: $0, at: at) }
            at += n * MemoryLayout<T>.stride
        }
        var start: [Int64] = []
        try fill(&start, layout.crystals + 1, zero: 0)
        table.start.removeAll(keepingCapacity: true)
        table.start.append(contentsOf: start.lazy.map { Int($0) })
        try fill(&table.reciprocalAxes, 9 * layout.crystals, zero: 0)
        try fill(&table.photonEnergy, layout.crystals, zero: 0)
        try fill(&table.h, layout.rows, zero: 0)
        try fill(&table.k, layout.rows, zero: 0)
        try fill(&table.l, layout.rows, zero: 0)
        try fill(&table.intensity, layout.rows, zero: 0)
        try fill(&table.sigma, layout.rows, zero: 0)
        guard table.start.first == 0, table.start.last == layout.rows, zip(table.start, table.start.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw ReflectionSpillError.read(path: spill.file ?? spill.directory, reason: "a block read back is not the block written") }
    }
}

/// A reflection block that could not be written to or read back from its spill file (the
/// temporary one in `path`, or the cache's file at `path`).
public enum ReflectionSpillError: Error, CustomStringConvertible, Sendable {
    case write(path: String, reason: String)
    case read(path: String, reason: String)

    public var description: String {
        switch self {
        case .write(let path, let reason): "cannot write reflections to their spill file (\(path)): \(reason)"
        case .read(let path, let reason): "cannot read reflections back from their spill file (\(path)): \(reason)"
        }
    }
}
