#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import XtalCore

/// The line-by-line state machine behind `CrystFELStreamReader`.
///
/// Every line is classified by its first byte before any comparison, so lines of peak and
/// reflection lists (the bulk of a stream) cost one byte test each in statistics mode.
struct StreamParser {
    enum State {
        case top, geometry, unitCell, chunk, peaks, crystal, reflections
    }

    private(set) var result: StreamReadResult
    private let options: StreamReadOptions
    private var state = State.top
    private var chunk = ChunkRecord()
    private var crystal = CrystalRecord(startLine: 0)
    private var blockText: [UInt8] = []
    private var expectCommandLine = false
    /// No chunk has begun since the current header started: header lines belong to it.
    /// Header lines after a chunk (a concatenated stream whose `CrystFEL stream format`
    /// line is damaged or missing) start a header of their own, so that what they say does
    /// not depend on where a segment of the file began.
    private var headerOpen = false
    private var peakHeaderPending = false
    private var reflectionHeaderPending = false
    /// Crystals in `result.reflections.tail` before the current chunk: a chunk that turns
    /// out malformed or incomplete is rolled back to them.
    private var reflectionsBeforeChunk = 0
    /// The last top-level line was stray (one issue per stretch), and whether that
    /// stretch has listed chunk content yet.
    private var inStrayStretch = false
    private var strayStretchHadContent = false
    /// The spill could not be written: reflections stay in memory from then on.
    private var spillFailed = false
    private var headerKeys = HeaderKeyCache()
    /// `--min-peaks` of the current header's command line (parsed once per header, not per chunk).
    private(set) var minPeaks = 0
    /// A segment of a file that does not start at its beginning: chunks before this
    /// segment's first header belong to the header of an earlier segment.
    private let isContinuation: Bool
    /// Chunks committed before this segment's first header (continuations only).
    private(set) var chunksBeforeFirstHeader = 0
    /// A chunk before this segment's first header was judged a hit by the inherited
    /// `--min-peaks` (no `hit =` line): the segment depends on the value it was given.
    private(set) var usedInheritedMinPeaks = false
    /// `--min-peaks` this segment started with.
    let initialMinPeaks: Int

    init(path: String, options: StreamReadOptions) {
        result = StreamReadResult(path: path)
        self.options = options
        isContinuation = false
        initialMinPeaks = 0
    }

    /// A parser for a segment that starts at a chunk boundary inside a file, with the
    /// `--min-peaks` in force there.
    init(path: String, options: StreamReadOptions, continuingWithMinPeaks inherited: Int) {
        result = StreamReadResult(path: path)
        self.options = options
        isContinuation = true
        minPeaks = inherited
        initialMinPeaks = inherited
    }

    // MARK: dispatch

    /// True while only lines starting with `E` (the end of the list), `-` or `C` (a chunk
    /// or header marker where the list should have gone on) can change anything: inside a
    /// reflection list, and inside a peak list when peak lists are not parsed. The reader
    /// skips the other lines in bulk then.
    var ignoresOrdinaryListLines: Bool {
        (state == .reflections && !options.parseReflections) || (state == .peaks && !options.parsePeakLists)
    }

    /// True inside a reflection list in reflection mode, past its column header: the rows
    /// can be taken in batches (`takeReflectionRows`).
    var takesReflectionRows: Bool {
        state == .reflections && options.parseReflections && !reflectionHeaderPending
    }

    /// Takes the rows that follow in indexamajig's fixed layout straight into the table,
    /// in one batch of at most 512; the first line that is not such a row (the end of the
    /// list, a marker, a row in another spacing, garbage) goes through `handle` as usual.
    /// False when the buffer ended before any line.
    mutating func takeReflectionRows(_ cursor: inout LineCursor) -> Bool {
        var other: ByteLine?
        var any = false
        result.reflections.tail.appendRows(upTo: 512) { rows in
            var n = 0
            while n < rows.capacity, let line = cursor.next() {
                any = true
                guard let row = ReflectionLineParsing.fixedColumns(line) else {
                    other = line
                    break
                }
                rows.set(n, row)
                n += 1
            }
            return n
        }
        if let other { handle(other, number: cursor.lineNumber) }
        return any
    }

    mutating func handle(_ line: ByteLine, number: Int) {
        switch state {
        case .chunk: chunkLine(line, number)
        case .peaks: peakLine(line, number)
        case .reflections: reflectionLine(line, number)
        case .crystal: crystalLine(line, number)
        case .top: topLine(line, number)
        case .geometry, .unitCell: headerBlockLine(line, number)
        }
    }

    /// Ends the input. `segmentFollows`: the bytes were one segment of a larger file and the
    /// next segment starts with `----- Begin chunk -----` (line `lastLine + 1`), so an open
    /// chunk is interrupted exactly as a sequential read would find it.
    mutating func finish(lastLine: Int, segmentFollows: Bool = false) {
        if segmentFollows, state != .top, state != .geometry, state != .unitCell {
            abandonChunk(at: lastLine + 1, reason: "chunk interrupted by a new chunk \(lastLine + 1 - chunk.startLine) lines later")
        } else {
            switch state {
            case .chunk, .peaks, .crystal, .reflections:
                abandonChunk(at: lastLine, reason: "end of file inside this chunk (truncated stream)")
            case .geometry, .unitCell:
                warn(lastLine, "end of file inside a header block")
            case .top:
                break
            }
        }
        // A segment that spilled writes out the rest too; one too small to spill keeps
        // at most a small remainder in memory.
        if let spill = options.reflectionSpill,
           result.reflections.spilledBlocks > 0 || result.reflections.tail.count >= spill.blockRows / 16 {
            spillReflections(lastLine, spill, last: true)
        }
    }

    /// The tail's whole crystals written out as a block; if that fails, they stay in
    /// memory (nothing is lost) and the failure is listed once.
    private mutating func spillReflections(_ n: Int, _ spill: ReflectionSpill, last: Bool = false) {
        guard !spillFailed else { return }
        do {
            try result.reflections.spillTail(to: spill, keepingCapacity: !last)
        } catch {
            spillFailed = true
            warn(n, "reflections kept in memory from here on: \(error)")
        }
    }

    // MARK: outside chunks

    private mutating func topLine(_ line: ByteLine, _ n: Int) {
        if line.equals("----- Begin chunk -----") {
            beginChunk(n)
        } else if line.hasPrefix("CrystFEL stream format") {
            beginHeader(line, n)
        } else if line.hasPrefix("Generated by ") {
            ensureHeader(n)
            let text = line.hasPrefix("Generated by CrystFEL ") ? line.dropFirst(22) : line.dropFirst(13)
            result.provenance[result.provenance.count - 1].crystfelVersion = text.trimmed().string
            expectCommandLine = true
            return
        } else if line.equals("----- Begin geometry file -----") {
            ensureHeader(n)
            state = .geometry
            blockText.removeAll(keepingCapacity: true)
        } else if line.equals("----- Begin unit cell -----") {
            ensureHeader(n)
            state = .unitCell
            blockText.removeAll(keepingCapacity: true)
        } else if line.hasPrefix("Indexing methods selected: ") {
            ensureHeader(n)
            result.provenance[result.provenance.count - 1].indexingMethods = line.dropFirst(27).trimmed().string
        } else if expectCommandLine, !line.isEmpty, !result.provenance.isEmpty,
            result.provenance[result.provenance.count - 1].commandLine == nil
        {
            result.provenance[result.provenance.count - 1].commandLine = line.string
            minPeaks = result.provenance[result.provenance.count - 1].minPeaks ?? 0
        } else if !line.trimmed().isEmpty {
            strayLine(line, n)
            return
        }
        expectCommandLine = false
        inStrayStretch = false
    }

    /// A line outside any chunk and header that none of the above took. A damaged
    /// `----- Begin chunk -----` starts a chunk that is left out as malformed (counted and
    /// listed, not lost in silence); any other line is stray. The first line of each
    /// stretch of stray lines is listed, and a stretch that holds chunk content (a chunk
    /// whose marker is missing, or a crystal after an extra `----- End chunk -----`) makes
    /// the read incomplete.
    private mutating func strayLine(_ line: ByteLine, _ n: Int) {
        expectCommandLine = false
        if StrayLines.isDamagedChunkBegin(line) {
            inStrayStretch = false
            beginChunk(n)
            chunk.fail(n, "damaged chunk marker '\(line.string.prefix(60))' (expected '----- Begin chunk -----')")
            return
        }
        result.strayLines += 1
        result.strayBytes += line.count + 1
        let content = StrayLines.looksLikeChunkContent(line)
        if content { result.strayChunkLines += 1 }
        if !inStrayStretch { strayStretchHadContent = false }
        // Listed: the first line of a stretch, and its first line of chunk content.
        if !inStrayStretch || (content && !strayStretchHadContent) {
            warn(n, content
                ? "chunk content outside any chunk (a missing or damaged '----- Begin chunk -----', or an extra "
                    + "'----- End chunk -----' before it?), not read: '\(line.string.prefix(80))'"
                : "line outside any chunk, not read: '\(line.string.prefix(80))'")
        }
        strayStretchHadContent = strayStretchHadContent || content
        inStrayStretch = true
    }

    private mutating func beginHeader(_ line: ByteLine, _ n: Int) {
        var provenance = StreamProvenance(line: n)
        provenance.formatVersion = line.dropFirst(22).trimmed().string
        result.provenance.append(provenance)
        expectCommandLine = false
        headerOpen = true
        minPeaks = 0
    }

    /// Header lines before any `CrystFEL stream format` line, or after a chunk, get a
    /// provenance entry of their own.
    private mutating func ensureHeader(_ n: Int) {
        if result.provenance.isEmpty || !headerOpen { result.provenance.append(StreamProvenance(line: n)) }
        headerOpen = true
    }

    /// True when a header (or a header line) was seen in this input.
    var sawHeader: Bool { !result.provenance.isEmpty }

    private mutating func headerBlockLine(_ line: ByteLine, _ n: Int) {
        let endMarker: StaticString =
            state == .geometry ? "----- End geometry file -----" : "----- End unit cell -----"
        if line.equals(endMarker) {
            let text = String(decoding: blockText, as: UTF8.self)
            if state == .geometry {
                result.provenance[result.provenance.count - 1].geometry = text
            } else {
                result.provenance[result.provenance.count - 1].targetCell = text
            }
            state = .top
        } else if line.equals("----- Begin chunk -----") {
            warn(n, "header block not closed before the first chunk")
            state = .top
            beginChunk(n)
        } else {
            blockText.append(contentsOf: line.rawBuffer)
            blockText.append(0x0A)
        }
    }

    // MARK: chunk lines

    private mutating func beginChunk(_ n: Int) {
        inStrayStretch = false
        headerOpen = false
        chunk.reset(startLine: n)
        if let spill = options.reflectionSpill, result.reflections.tail.count >= spill.blockRows { spillReflections(n, spill) }
        reflectionsBeforeChunk = result.reflections.tail.crystalCount
        state = .chunk
    }

    private mutating func chunkLine(_ line: ByteLine, _ n: Int) {
        switch line.first {
        case UInt8(ascii: "-"):
            if line.equals("----- End chunk -----") {
                commitChunk(endLine: n)
            } else if line.equals("--- Begin crystal") {
                crystal = CrystalRecord(startLine: n)
                state = .crystal
            } else {
                interruptionCheck(line, n)
            }
        case UInt8(ascii: "I"):
            if line.hasPrefix("Image filename: ") {
                chunk.hasFilename = true
                chunk.filename = line.dropFirst(16)
            } else if line.hasPrefix("Image serial number: ") {
                if let v = NumberParsing.wholeInt(line.dropFirst(21)), v >= 0, v < Int(UInt32.max) {
                    chunk.serial = UInt32(v)
                } else {
                    chunk.fail(n, "unreadable image serial number '\(line.dropFirst(21).string)'")
                }
            }
        case UInt8(ascii: "E"):
            if line.hasPrefix("Event: ") { chunk.event = line.dropFirst(7).trimmed() }
        case UInt8(ascii: "h"):
            if line.hasPrefix("hit = ") {
                switch NumberParsing.wholeInt(line.dropFirst(6)) {
                case .some(0): chunk.hitLine = false
                case .some(1): chunk.hitLine = true
                default: chunk.fail(n, "unreadable hit flag '\(line.dropFirst(6).string)'")
                }
            } else if options.keepHeaderValues, line.hasPrefix("header/") || line.hasPrefix("hdf5/") {
                headerValueLine(line, n)
            }
        case UInt8(ascii: "i"):
            if line.hasPrefix("indexed_by = ") {
                var value = line.dropFirst(13).trimmed()
                // The EDNA2 autocryst template writes the method in single quotes.
                if value.count >= 2, value.first == UInt8(ascii: "'"), value.start[value.count - 1] == UInt8(ascii: "'") {
                    value = ByteLine(start: value.start + 1, count: value.count - 2)
                }
                chunk.indexedByPresent = true
                chunk.indexedByNone = value.equals("none")
            }
        case UInt8(ascii: "n"):
            if line.hasPrefix("num_peaks = ") {
                if let v = NumberParsing.wholeInt(line.dropFirst(12)), v >= 0, v < Int(UInt32.max) {
                    chunk.numPeaks = UInt32(v)
                } else {
                    chunk.fail(n, "unreadable num_peaks '\(line.dropFirst(12).string)'")
                }
            } else if line.hasPrefix("n_indexing_tries = ") {
                chunk.indexingTries = NumberParsing.wholeInt(line.dropFirst(19))
            }
        case UInt8(ascii: "p"):
            if line.hasPrefix("photon_energy_eV = ") {
                if let v = NumberParsing.wholeDouble(line.dropFirst(19)) {
                    chunk.photonEnergy = Float32(v)
                    chunk.photonEnergyDouble = v
                }
            } else if line.hasPrefix("peak_resolution = ") {
                if let v = StreamValueParsing.resolutionInAngstrom(line.dropFirst(18)) {
                    chunk.peakResolution = v
                } else {
                    chunk.fail(n, "unreadable peak_resolution '\(line.dropFirst(18).string)'")
                }
            }
        case UInt8(ascii: "P"):
            if line.equals("Peaks from peak search") {
                state = .peaks
                peakHeaderPending = true
            }
        case UInt8(ascii: "C"):
            interruptionCheck(line, n)
        default:
            break  // unknown `key = value` lines (notes, future fields) are skipped
        }
    }

    /// `header/<kind>/<path> = value` (0.10+) or `hdf5/<path> = value` (≤ 0.9).
    private mutating func headerValueLine(_ line: ByteLine, _ n: Int) {
        guard let eq = line.firstRange(of: " = ") else {
            warn(n, "header line without ' = ': '\(line.string)'")
            return
        }
        let key = ByteLine(start: line.start, count: eq)
        let value = line.dropFirst(eq + 3)
        let number = key.hasPrefix("header/str/") ? nil : NumberParsing.wholeDouble(value)
        // The column's kind is fixed by the key's first occurrence: header/int/, header/str/,
        // header/float/; legacy hdf5/ keys are numbers unless their first value is text.
        let kind: HeaderColumns.Kind
        if key.hasPrefix("header/int/") {
            kind = .int
        } else if key.hasPrefix("header/str/") {
            kind = .string
        } else if key.hasPrefix("hdf5/"), number == nil {
            kind = .string
        } else {
            kind = .float
        }
        let column = headerKeys.columnIndex(for: key, kind: kind, in: &result.images.headers)
        if result.images.headers.columns[column].kind == .string {
            chunk.headerTexts.append((column, value.trimmed().string))
        } else if let number {
            chunk.headerNumbers.append((column, number))
        } else {
            warn(n, "unreadable value '\(value.string)' for \(key.string)")
        }
    }

    // MARK: peak and reflection lists

    private mutating func peakLine(_ line: ByteLine, _ n: Int) {
        switch line.first {
        case UInt8(ascii: "E"):
            if line.equals("End of peak list") {
                state = .chunk
                return
            }
        case UInt8(ascii: "-"):
            if line.equals("----- End chunk -----") {
                chunk.fail(n, "peak list not closed with 'End of peak list'")
                commitChunk(endLine: n)
                return
            }
            if line.equals("--- Begin crystal") {
                chunk.fail(n, "peak list not closed with 'End of peak list'")
                crystal = CrystalRecord(startLine: n)
                state = .crystal
                return
            }
            if interruptionCheck(line, n) { return }
        case UInt8(ascii: "C"):
            if interruptionCheck(line, n) { return }
        default:
            break
        }
        guard options.parsePeakLists else { return }
        if peakHeaderPending {
            peakHeaderPending = false
            if line.firstRange(of: "fs/px") != nil { return }
        }
        // fs/px ss/px (1/d)/nm^-1 intensity panel
        var rest = line
        guard let (_, u1) = NumberParsing.double(rest) else { return }
        rest = rest.dropFirst(u1)
        guard let (_, u2) = NumberParsing.double(rest) else { return }
        rest = rest.dropFirst(u2)
        guard let (inverseD, _) = NumberParsing.double(rest) else { return }
        chunk.listedPeaks += 1
        if inverseD > chunk.maxPeakInverseD { chunk.maxPeakInverseD = inverseD }
    }

    private mutating func reflectionLine(_ line: ByteLine, _ n: Int) {
        switch line.first {
        case UInt8(ascii: "E"):
            if line.equals("End of reflections") {
                state = .crystal
                return
            }
        case UInt8(ascii: "-"):
            // `-100` (a negative index written with %4i) also starts with '-'.
            if line.equals("--- End crystal") {
                chunk.fail(n, "reflection list not closed with 'End of reflections'")
                state = .crystal
                crystalLine(line, n)
                return
            } else if line.equals("----- End chunk -----") {
                chunk.fail(n, "reflection list not closed with 'End of reflections'")
                commitChunk(endLine: n)
                return
            } else if interruptionCheck(line, n) {
                return
            }
        case UInt8(ascii: "C"):
            if interruptionCheck(line, n) { return }
        default:
            break
        }
        guard options.parseReflections else { return }
        if reflectionHeaderPending {
            reflectionHeaderPending = false
            if line.firstRange(of: "sigma(I)") != nil { return }
        }
        if let (h, k, l, i, s) = ReflectionLineParsing.parse(line) {
            result.reflections.tail.h.append(h)
            result.reflections.tail.k.append(k)
            result.reflections.tail.l.append(l)
            result.reflections.tail.intensity.append(i)
            result.reflections.tail.sigma.append(s)
        } else {
            result.malformedReflectionLines += 1
            warn(n, "unreadable reflection line (not 'h k l I sigma(I) …'): '\(line.string.prefix(80))'")
        }
    }

    // MARK: crystal lines

    private mutating func crystalLine(_ line: ByteLine, _ n: Int) {
        switch line.first {
        case UInt8(ascii: "-"):
            if line.equals("--- End crystal") {
                if !crystal.hasCell { chunk.fail(crystal.startLine, "crystal without a 'Cell parameters' line") }
                chunk.crystals.append(crystal)
                if options.parseReflections {
                    // The rows read since the last crystal closed are this crystal's.
                    result.reflections.tail.reciprocalAxes += crystal.reciprocalAxes
                    result.reflections.tail.photonEnergy.append(chunk.photonEnergyDouble)
                    result.reflections.tail.start.append(result.reflections.tail.h.count)
                }
                state = .chunk
            } else if line.equals("----- End chunk -----") {
                chunk.fail(n, "crystal that began \(n - crystal.startLine) lines earlier not closed with '--- End crystal'")
                commitChunk(endLine: n)
            } else {
                interruptionCheck(line, n)
            }
        case UInt8(ascii: "C"):
            if line.hasPrefix("Cell parameters ") {
                if let cell = StreamValueParsing.cell(line.dropFirst(16)) {
                    crystal.cell = cell
                    crystal.hasCell = true
                } else {
                    chunk.fail(n, "unreadable cell '\(line.string)'")
                }
            } else {
                interruptionCheck(line, n)
            }
        case UInt8(ascii: "l"):
            if line.hasPrefix("lattice_type = ") {
                crystal.latticeType = LatticeType(name: line.dropFirst(15).trimmed().string)
            }
        case UInt8(ascii: "c"):
            if line.hasPrefix("centering = ") {
                crystal.centering = StreamValueParsing.letter(line.dropFirst(12)) ?? UInt8(ascii: "?")
            } else if options.parseReflections, line.hasPrefix("cstar = ") {
                StreamValueParsing.vector(line.dropFirst(8), into: &crystal.reciprocalAxes, at: 6)
            }
        case UInt8(ascii: "a"):
            if options.parseReflections, line.hasPrefix("astar = ") {
                StreamValueParsing.vector(line.dropFirst(8), into: &crystal.reciprocalAxes, at: 0)
            }
        case UInt8(ascii: "b"):
            if options.parseReflections, line.hasPrefix("bstar = ") {
                StreamValueParsing.vector(line.dropFirst(8), into: &crystal.reciprocalAxes, at: 3)
            }
        case UInt8(ascii: "u"):
            if line.hasPrefix("unique_axis = ") {
                crystal.uniqueAxis = StreamValueParsing.letter(line.dropFirst(14)) ?? UInt8(ascii: "?")
            }
        case UInt8(ascii: "p"):
            if line.hasPrefix("profile_radius = ") {
                if let (v, _) = NumberParsing.double(line.dropFirst(17)) { crystal.profileRadius = Float32(v) }
            } else if line.hasPrefix("predict_refine/det_shift ") {
                if let (x, y) = StreamValueParsing.detectorShift(line.dropFirst(25)) {
                    crystal.detShiftX = x
                    crystal.detShiftY = y
                }
            }
        case UInt8(ascii: "d"):
            if line.hasPrefix("diffraction_resolution_limit = ") {
                if let v = StreamValueParsing.resolutionInAngstrom(line.dropFirst(31)) {
                    crystal.resolutionLimit = v
                } else {
                    chunk.fail(n, "unreadable diffraction_resolution_limit '\(line.dropFirst(31).string)'")
                }
            }
        case UInt8(ascii: "n"):
            if line.hasPrefix("num_reflections = ") {
                if let v = NumberParsing.wholeInt(line.dropFirst(18)) { crystal.numReflections = Int32(clamping: v) }
            }
        case UInt8(ascii: "R"):
            if line.equals("Reflections measured after indexing") {
                state = .reflections
                reflectionHeaderPending = true
            }
        default:
            break
        }
    }

    // MARK: chunk boundaries

    /// A chunk or header marker where the current chunk should have continued: the chunk
    /// is incomplete, and the marker is handled as at top level. Returns true if it was one.
    @discardableResult
    private mutating func interruptionCheck(_ line: ByteLine, _ n: Int) -> Bool {
        if line.equals("----- Begin chunk -----") {
            abandonChunk(at: n, reason: "chunk interrupted by a new chunk \(n - chunk.startLine) lines later")
            beginChunk(n)
            return true
        }
        if line.hasPrefix("CrystFEL stream format") {
            abandonChunk(at: n, reason: "chunk interrupted by a stream header \(n - chunk.startLine) lines later")
            state = .top
            topLine(line, n)
            return true
        }
        return false
    }

    private mutating func abandonChunk(at n: Int, reason: String) {
        result.reflections.tail.truncate(toCrystals: reflectionsBeforeChunk)
        result.incompleteChunks += 1
        record(IngestIssue(kind: .incompleteChunk, file: result.path, line: chunk.startLine, reason: reason))
        state = .top
    }

    private mutating func commitChunk(endLine: Int) {
        state = .top
        if !chunk.hasFilename { chunk.fail(chunk.startLine, "chunk without an 'Image filename' line") }
        if let problem = chunk.problem {
            result.reflections.tail.truncate(toCrystals: reflectionsBeforeChunk)
            result.malformedChunks += 1
            record(IngestIssue(kind: .malformedChunk, file: result.path, line: problem.line, reason: problem.reason))
            return
        }
        if !result.provenance.isEmpty {
            result.provenance[result.provenance.count - 1].chunks += 1
        } else if isContinuation {
            chunksBeforeFirstHeader += 1
        }
        let imageIndex = UInt32(result.images.count)
        let hit: Bool
        if let line = chunk.hitLine {
            hit = line
        } else {
            hit = chunk.numPeaks == UInt32.max ? minPeaks == 0 : Int(chunk.numPeaks) >= minPeaks
            if isContinuation, result.provenance.isEmpty { usedInheritedMinPeaks = true }
        }
        result.images.hit.append(hit)
        result.images.hitLineAbsent.append(chunk.hitLine == nil)
        result.images.crystalCount.append(UInt8(clamping: chunk.crystals.count))
        result.images.indexedByMethod.append(chunk.indexedByPresent && !chunk.indexedByNone)
        result.images.numPeaks.append(chunk.numPeaks)
        result.images.peakResolution.append(chunk.peakResolution)
        if options.parsePeakLists {
            result.images.listedPeaks.append(chunk.listedPeaks)
            result.images.listedPeakResolution.append(
                chunk.maxPeakInverseD > 0 ? Float32(10 / chunk.maxPeakInverseD) : .nan)
        }
        result.images.headers.appendImage(numeric: chunk.headerNumbers, text: chunk.headerTexts)
        if options.keepImageIdentity {
            result.images.serial.append(chunk.serial)
            result.images.photonEnergy.append(chunk.photonEnergy)
            if let f = chunk.filename { result.images.filenames.append(f.rawBuffer) } else { result.images.filenames.append("") }
            if let e = chunk.event { result.images.events.append(e.rawBuffer) } else { result.images.events.append("") }
        }

        for c in chunk.crystals {
            result.crystals.imageIndex.append(imageIndex)
            result.crystals.a.append(c.cell.0)
            result.crystals.b.append(c.cell.1)
            result.crystals.c.append(c.cell.2)
            result.crystals.alpha.append(c.cell.3)
            result.crystals.beta.append(c.cell.4)
            result.crystals.gamma.append(c.cell.5)
            result.crystals.latticeType.append(c.latticeType)
            result.crystals.centering.append(c.centering)
            result.crystals.uniqueAxis.append(c.uniqueAxis)
            result.crystals.resolutionLimit.append(c.resolutionLimit)
            result.crystals.numReflections.append(c.numReflections)
            result.crystals.profileRadius.append(c.profileRadius)
            result.crystals.detShiftX.append(c.detShiftX)
            result.crystals.detShiftY.append(c.detShiftY)
        }
    }

    private mutating func warn(_ n: Int, _ reason: String) {
        record(IngestIssue(kind: .warning, file: result.path, line: n, reason: reason))
    }

    private mutating func record(_ issue: IngestIssue) {
        if result.issues.count < options.maxIssuesListed {
            result.issues.append(issue)
        } else {
            result.issuesNotListed += 1
        }
    }
}

/// Maps header keys (raw bytes) to column indices without building a String per line:
/// a stream has a handful of distinct keys, found by a short linear scan.
struct HeaderKeyCache {
    private var keys: [(bytes: [UInt8], column: Int)] = []

    mutating func columnIndex(for key: ByteLine, kind: HeaderColumns.Kind, in columns: inout HeaderColumns) -> Int {
        for entry in keys where entry.bytes.count == key.count {
            let same = entry.bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, key.start, key.count) == 0 }
            if same { return entry.column }
        }
        let column = columns.columnIndex(for: key.string, kind: kind)
        keys.append((Array(UnsafeBufferPointer(start: key.start, count: key.count)), column))
        return column
    }
}
