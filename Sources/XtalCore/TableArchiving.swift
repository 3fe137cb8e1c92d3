/// The binary form (`BinaryArchive`) of the columnar tables. Each table writes its columns
/// in one fixed order and reads them back checking what later stages rely on: equal column
/// lengths, bitsets with their bits beyond the count clear, string offsets ascending inside
/// their arena, crystal offsets ascending to the row count, image indices inside the image
/// table. A table read back equals the table written (tested in `TableArchivingTests`).

extension Bitset {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(count)
        writer.write(words)
    }

    public init(from reader: inout ArchiveReader, count expected: Int) throws {
        let count = try reader.readInt(in: expected...expected, "a bit column's length")
        var words: [UInt64] = try reader.readArray(count: (count + 63) / 64, "a bit column")
        if count & 63 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count & 63)) - 1 }
        self.init()
        self.words = words
        self.count = count
    }
}

extension StringColumn {
    /// The number of entries, the spans — numbered (prefix, numbers) or text (end offsets,
    /// bytes) — then whether entries repeat and, if so, the first entry of each span.
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(count)
        writer.write(numbered != nil)
        if let numbered {
            writer.write(numbered.prefix)
            writer.write(numbered.numbers)
        } else {
            writer.write(ends)
            writer.write(bytes)
        }
        writer.write(firstEntry != nil)
        if let firstEntry { writer.write(firstEntry) }
    }

    public init(from reader: inout ArchiveReader, count: Int) throws {
        self.init()
        _ = try reader.readInt(in: count...count, "a string column's length")
        if try reader.readBool() {
            let prefix: [UInt8] = try reader.readArray()
            guard prefix.count <= NumberedSpans.maximumPrefix else {
                throw ArchiveError.invalid("a numbered string column's prefix of \(prefix.count) bytes")
            }
            let numbers: [UInt32] = try reader.readArray()
            numbered = NumberedSpans(prefix: prefix, numbers: numbers)
        } else {
            ends = try reader.readArray()
            bytes = try reader.readArray()
            var previous: UInt32 = 0
            for end in ends {
                guard end >= previous, Int(end) <= bytes.count else {
                    throw ArchiveError.invalid("a string column's offsets are out of order or beyond its bytes")
                }
                previous = end
            }
        }
        let spans = storedCount
        guard spans <= count else { throw ArchiveError.invalid("\(spans) strings stored for \(count) entries") }
        if try reader.readBool() {
            let starts: [UInt32] = try reader.readArray(count: spans, "a string column's span starts")
            // Span s begins at entry starts[s]: the first at 0, each after the one before,
            // all inside the column.
            var ascending = starts.first == 0
            for s in starts.indices.dropFirst() where starts[s] <= starts[s - 1] { ascending = false }
            guard ascending, Int(starts.last ?? 0) < max(count, 1) else {
                throw ArchiveError.invalid("a string column's span starts are out of order or beyond its entries")
            }
            firstEntry = starts
        } else {
            guard spans == count else { throw ArchiveError.invalid("\(spans) strings for \(count) entries without repeats") }
        }
        self.count = count
    }
}

extension HeaderColumns {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(imageCount)
        writer.write(columns.count)
        for column in columns {
            writer.write(column.key)
            writer.write(column.kind.rawValue)
            writer.write(column.numbers)
            writer.write(column.stringIDs)
            writer.write(column.strings.count)
            for s in column.strings { writer.write(s) }
        }
    }

    /// Reads columns that cover `images` images, or none (a read that kept no header values).
    public init(from reader: inout ArchiveReader, images: Int) throws {
        self.init()
        let imageCount = try reader.readInt(in: 0...images, "the header columns' image count")
        guard imageCount == 0 || imageCount == images else {
            throw ArchiveError.invalid("header columns for \(imageCount) of \(images) images")
        }
        self.imageCount = imageCount
        let columnCount = try reader.readInt(in: 0...(reader.remaining / 32), "the number of header columns")
        for _ in 0..<columnCount {
            let key = try reader.readString()
            guard let kind = Kind(rawValue: try reader.readString()) else { throw ArchiveError.invalid("a header column of no known kind") }
            guard indexByKey[key] == nil else { throw ArchiveError.invalid("header column \(key) twice") }
            let numbers: [Double] = try reader.readArray()
            let ids: [UInt32] = try reader.readArray()
            let stringCount = try reader.readInt(in: 0...(reader.remaining / 8), "a header column's distinct strings")
            var strings: [String] = []
            var index: [String: UInt32] = [:]
            for i in 0..<stringCount {
                let s = try reader.readString()
                guard index[s] == nil else { throw ArchiveError.invalid("header column \(key) lists a string twice") }
                strings.append(s)
                index[s] = UInt32(i)
            }
            switch kind {
            case .string:
                guard numbers.isEmpty, ids.count == imageCount, ids.allSatisfy({ $0 == UInt32.max || Int($0) < strings.count })
                else { throw ArchiveError.invalid("header column \(key) does not fit its images") }
            case .int, .float:
                guard ids.isEmpty, strings.isEmpty, numbers.count == imageCount
                else { throw ArchiveError.invalid("header column \(key) does not fit its images") }
            }
            columns.append(Column(key: key, kind: kind, numbers: numbers, stringIDs: ids, strings: strings, stringIndex: index))
            indexByKey[key] = columns.count - 1
        }
    }
}

extension ImageTable {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(count)
        writer.write(crystalCount)
        hit.archive(into: &writer)
        hitLineAbsent.archive(into: &writer)
        indexedByMethod.archive(into: &writer)
        writer.write(numPeaks)
        writer.write(peakResolution)
        writer.write(serial)
        writer.write(photonEnergy)
        writer.write(listedPeaks)
        writer.write(listedPeakResolution)
        headers.archive(into: &writer)
        writer.write(filenames.count)
        filenames.archive(into: &writer)
        writer.write(events.count)
        events.archive(into: &writer)
    }

    public init(from reader: inout ArchiveReader) throws {
        self.init()
        let n = try reader.readInt(in: 0...reader.remaining, "the image count")
        crystalCount = try reader.readArray(count: n, "crystals per image")
        hit = try Bitset(from: &reader, count: n)
        hitLineAbsent = try Bitset(from: &reader, count: n)
        indexedByMethod = try Bitset(from: &reader, count: n)
        numPeaks = try reader.readArray(count: n, "num_peaks")
        peakResolution = try reader.readArray(count: n, "peak_resolution")
        // Columns that a statistics-only read leaves empty: all or none.
        func optional<T: BitwiseCopyable>(_ what: String) throws -> [T] {
            let values: [T] = try reader.readArray()
            guard values.isEmpty || values.count == n else { throw ArchiveError.invalid("\(what) has \(values.count) values for \(n) images") }
            return values
        }
        serial = try optional("serial numbers")
        photonEnergy = try optional("photon energies")
        listedPeaks = try optional("listed peaks")
        listedPeakResolution = try optional("listed peak resolutions")
        headers = try HeaderColumns(from: &reader, images: n)
        let names = try reader.readInt(in: 0...n, "the filename count")
        guard names == 0 || names == n else { throw ArchiveError.invalid("\(names) filenames for \(n) images") }
        filenames = try StringColumn(from: &reader, count: names)
        let events = try reader.readInt(in: 0...n, "the event count")
        guard events == 0 || events == n else { throw ArchiveError.invalid("\(events) events for \(n) images") }
        self.events = try StringColumn(from: &reader, count: events)
    }
}

extension CrystalTable {
    public func archive(into writer: inout ArchiveWriter) {
        writer.write(count)
        writer.write(imageIndex)
        for column in [a, b, c, alpha, beta, gamma, resolutionLimit, profileRadius, detShiftX, detShiftY] { writer.write(column) }
        writer.write(latticeType.map(\.rawValue))
        writer.write(centering)
        writer.write(uniqueAxis)
        writer.write(numReflections)
    }

    /// Reads a table whose crystals lie on `images` images.
    public init(from reader: inout ArchiveReader, images: Int) throws {
        self.init()
        let n = try reader.readInt(in: 0...reader.remaining, "the crystal count")
        let index: [UInt32] = try reader.readArray()
        // A statistics-only read with its tables dropped keeps no crystal rows but may keep
        // the image of each crystal (merging needs it): either full or the index alone.
        guard index.count == n || n == 0 else { throw ArchiveError.invalid("\(index.count) image indices for \(n) crystals") }
        guard index.allSatisfy({ Int($0) < images }) else { throw ArchiveError.invalid("a crystal on an image that is not in the table") }
        guard zip(index, index.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw ArchiveError.invalid("crystals out of image order") }
        imageIndex = index
        var floats: [[Float32]] = []
        for name in ["a", "b", "c", "alpha", "beta", "gamma", "resolution", "profile radius", "detector shift x", "detector shift y"] {
            floats.append(try reader.readArray(count: n, "crystal column \(name)"))
        }
        (a, b, c, alpha, beta, gamma) = (floats[0], floats[1], floats[2], floats[3], floats[4], floats[5])
        (resolutionLimit, profileRadius, detShiftX, detShiftY) = (floats[6], floats[7], floats[8], floats[9])
        let lattices: [UInt8] = try reader.readArray(count: n, "lattice types")
        latticeType = try lattices.map {
            guard let type = LatticeType(rawValue: $0) else { throw ArchiveError.invalid("lattice type \($0)") }
            return type
        }
        centering = try reader.readArray(count: n, "centering")
        uniqueAxis = try reader.readArray(count: n, "unique axes")
        numReflections = try reader.readArray(count: n, "reflection counts")
    }
}

extension ReflectionTable {
    /// Writes the table's whole crystals (rows after the last closed crystal are left out).
    public func archive(into writer: inout ArchiveWriter) {
        let rows = start[crystalCount]
        writer.write(start)
        writer.write(reciprocalAxes)
        writer.write(photonEnergy)
        for column in [h, k, l] { writer.write(Array(column[0..<rows])) }
        writer.write(Array(intensity[0..<rows]))
        writer.write(Array(sigma[0..<rows]))
    }

    public init(from reader: inout ArchiveReader) throws {
        self.init()
        let start: [Int] = try reader.readArray()
        guard let first = start.first, first == 0, zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ArchiveError.invalid("reflection offsets that do not start at 0 and ascend")
        }
        let crystals = start.count - 1
        let rows = start[crystals]
        self.start = start
        reciprocalAxes = try reader.readArray(count: 9 * crystals, "reciprocal axes")
        photonEnergy = try reader.readArray(count: crystals, "photon energies of crystals")
        h = try reader.readArray(count: rows, "h")
        k = try reader.readArray(count: rows, "k")
        l = try reader.readArray(count: rows, "l")
        intensity = try reader.readArray(count: rows, "intensities")
        sigma = try reader.readArray(count: rows, "sigma(I)")
    }
}
