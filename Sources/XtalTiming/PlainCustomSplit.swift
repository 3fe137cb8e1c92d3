import XtalCore

/// The custom split's fast path: when every line is plain — filename and event of printable
/// ASCII without spaces, every event holding `//`, every frame listed once, every line
/// shorter than partialator's buffer — the file is written as bytes, and reading it back
/// with partialator's rules provably gives the lines as written (each line is then exactly
/// the fields `FILENAME EVENT DATASET`, none of them split or merged), so it is not read
/// back. Any other line sends the whole split to `CustomSplitWriter`'s checked path, which
/// writes the same bytes and names what is wrong. On the 1 M-image example the checked
/// path's string work and read-back took about 0.4 s of CPU (perf); the fast path takes a
/// few tens of milliseconds.
enum PlainCustomSplit {
    /// Writes the lines of `runs` into `path` a megabyte at a time and returns their counts;
    /// nil, with nothing written, when a line is not plain.
    static func write(_ runs: [(images: ImageTable, timing: ImageTiming)], to path: String) throws -> CustomSplitWriter.Written? {
        var written: CustomSplitWriter.Written?
        do {
            try ChunkedFileWriter.write(to: path) { out, flushIfFull in
                guard let counts = try lines(runs, into: &out, afterEachLine: flushIfFull) else { throw NotPlain() }
                written = counts
            }
        } catch is NotPlain {
            return nil
        }
        return written
    }

    /// A line that is not plain: the temporary file is dropped and the checked path writes.
    struct NotPlain: Error {}

    /// Appends the lines of `runs` to `out` (given to `afterEachLine` after each) and
    /// returns their counts, or nil at the first line that is not plain.
    static func lines(
        _ runs: [(images: ImageTable, timing: ImageTiming)], into out: inout [UInt8],
        afterEachLine: (inout [UInt8]) throws -> Void
    ) rethrows -> CustomSplitWriter.Written? {
        var written = CustomSplitWriter.Written()
        var frames = FrameKeys(capacity: runs.reduce(0) { $0 + $1.images.count })
        for (r, (images, timing)) in runs.enumerated() {
            guard images.filenames.count == images.count else { return nil }
            let labels = timing.timePoints.map { Array($0.label.utf8) }
            guard labels.allSatisfy({ !$0.isEmpty && isPlain($0) }) else { return nil }
            for row in 0..<images.count {
                if images.hit[row] { written.hitsInRuns += 1 }
                let point = timing.timePoint(row: row)
                guard point >= 0 else { continue }
                let plain = images.filenames.withUTF8(row) { name in
                    images.events.withUTF8(row) { event in
                        !name.isEmpty && isPlain(name) && (event.isEmpty || (isPlain(event) && holdsDoubleSlash(event)))
                            && name.count + 1 + event.count + (event.isEmpty ? 0 : 1) + labels[point].count
                                < CustomSplitWriter.maximumLineBytes
                    }
                }
                guard plain, frames.insert(run: r, row: row, runs: runs) else { return nil }
                images.filenames.appendString(row, to: &out)
                out.append(0x20)
                if !images.events.isEmpty(row) {
                    images.events.appendString(row, to: &out)
                    out.append(0x20)
                }
                out += labels[point]
                out.append(0x0A)
                written.lines += 1
                if images.hit[row] { written.hitsListed += 1 }
                try afterEachLine(&out)
            }
        }
        return written
    }

    /// Printable ASCII without a space: one field of partialator's line, read as written.
    static func isPlain(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func holdsDoubleSlash(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && (1..<bytes.count).contains { bytes[$0] == 0x2F && bytes[$0 - 1] == 0x2F }
    }

    /// The frames listed so far, as partialator keys them (`"filename event"`, `//` for no
    /// event): an open-addressing table of (run, row) with the bytes compared on a match of
    /// the hash, not a `String` per frame.
    struct FrameKeys {
        private var slots: [UInt64]
        private let mask: Int
        private static let empty = UInt64.max

        init(capacity: Int) {
            var size = 16
            while size < 2 * capacity { size <<= 1 }
            slots = [UInt64](repeating: Self.empty, count: size)
            mask = size - 1
        }

        /// Adds the frame of `row` in run `run`; false when the same key is listed already.
        mutating func insert(run: Int, row: Int, runs: [(images: ImageTable, timing: ImageTiming)]) -> Bool {
            let images = runs[run].images
            var hasher = Hasher()
            images.filenames.withUTF8(row) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            Self.withEvent(images, row) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            var slot = hasher.finalize() & mask
            while true {
                let entry = slots[slot]
                if entry == Self.empty {
                    slots[slot] = UInt64(run) << 32 | UInt64(row)
                    return true
                }
                let other = runs[Int(entry >> 32)].images
                let otherRow = Int(entry & 0xFFFF_FFFF)
                if Self.sameKey(images, row, other, otherRow) { return false }
                slot = (slot + 1) & mask
            }
        }

        /// The event's bytes, `//` for none (partialator's key for a file of one image).
        static func withEvent<R>(_ images: ImageTable, _ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if images.events.isEmpty(row) {
                let slashes: [UInt8] = [0x2F, 0x2F]
                return slashes.withUnsafeBufferPointer(body)
            }
            return images.events.withUTF8(row, body)
        }

        static func sameKey(_ a: ImageTable, _ i: Int, _ b: ImageTable, _ j: Int) -> Bool {
            let names = a.filenames.withUTF8(i) { x in b.filenames.withUTF8(j) { y in x.elementsEqual(y) } }
            return names && withEvent(a, i) { x in withEvent(b, j) { y in x.elementsEqual(y) } }
        }
    }
}
