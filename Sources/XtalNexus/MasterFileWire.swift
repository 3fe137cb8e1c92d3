import Foundation
import XtalCore

/// How a read travels from the reading child process to the job (`IsolatedMasterReader`):
/// the run metadata (or a PandA capture, or the reader's error) as JSON, then the per-image
/// arrays as raw little-endian doubles, so 1.8 million positions cost a copy, not a JSON
/// round trip.
///
///     "XRMF2\n" · u64 JSON length · JSON {metadata}, {capture} or {error} · 4 × array
///     array: u8 present · u64 count · count × f64 (frameStart: NaN where a frame has none)
enum MasterFileWire {
    static let magic = Array("XRMF2\n".utf8)

    private struct Header: Codable {
        var metadata: RunMetadata?
        var capture: PandACapture?
        var error: NexusError?
    }

    static func encode(_ outcome: Result<NexusFileContent, NexusError>) -> Data {
        var out = Data(magic)
        let header: Header
        var perImage = PerImageMetadata()
        switch outcome {
        case .success(.master(let master)):
            header = Header(metadata: master.metadata)
            perImage = master.perImage
        case .success(.capture(let capture)): header = Header(capture: capture)
        case .failure(let error): header = Header(error: error)
        }
        let json = (try? ExperimentResults.jsonEncoder.encode(header)) ?? Data()
        // One allocation for the tens of MB a large run's per-image values take.
        let values = [perImage.sampleX, perImage.sampleY, perImage.rotationStart, perImage.frameStart]
            .reduce(0) { $0 + 8 * ($1?.count ?? 0) }
        out.reserveCapacity(out.count + 8 + json.count + 4 * 9 + values)
        append(UInt64(json.count), to: &out)
        out += json
        for values in [perImage.sampleX, perImage.sampleY, perImage.rotationStart, perImage.frameStart] {
            append(values, to: &out)
        }
        return out
    }

    /// The read, taken straight from `descriptor` (the child's pipe), or nil when what
    /// came is not one (a child that died halfway). Each array goes from the pipe into its
    /// own storage: the 45 MB a 1.8 M-frame run's values take are not first gathered in one
    /// buffer and then copied (that held both at once). No length is believed beyond
    /// `limit` bytes, the child's address space.
    static func decode(from descriptor: Int32, limit: Int) -> Result<NexusFileContent, NexusError>? {
        let reader = WireReader(descriptor: descriptor, limit: limit)
        guard reader.bytes(magic.count) == magic, let length = reader.integer(), let json = reader.bytes(length),
            let header = try? ExperimentResults.jsonDecoder.decode(Header.self, from: Data(json))
        else { return nil }
        if let error = header.error { return .failure(error) }
        if let capture = header.capture { return .success(.capture(capture)) }
        guard let metadata = header.metadata else { return nil }
        var perImage = PerImageMetadata()
        guard let x = reader.doubles(), let y = reader.doubles(), let rotation = reader.doubles(),
            let frames = reader.doubles()
        else { return nil }
        (perImage.sampleX, perImage.sampleY, perImage.rotationStart, perImage.frameStart) = (x, y, rotation, frames)
        return .success(.master(NexusMasterFile(metadata: metadata, perImage: perImage)))
    }

    private static func append(_ value: UInt64, to out: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private static func append(_ values: [Double]?, to out: inout Data) {
        guard let values else {
            out.append(0)
            return
        }
        out.append(1)
        append(UInt64(values.count), to: &out)
        #if _endian(little)
            values.withUnsafeBytes { out.append(contentsOf: $0) }  // the wire's byte order already
        #else
            // (A closure, not a key path: key-path projection costs a call per element.)
            values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { out += $0 }
        #endif
    }

    /// Reads the wire front to back from a descriptor, each read exactly as long as asked
    /// (retried when a signal interrupts it), none longer than `limit`.
    private struct WireReader {
        let descriptor: Int32
        let limit: Int

        /// Fills `buffer` completely; false at the end of the pipe or an error.
        func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Bool { readExactly(from: descriptor, into: buffer) }

        func bytes(_ count: Int) -> [UInt8]? {
            guard count >= 0, count <= limit else { return nil }
            return readExactly(from: descriptor, count: count)
        }

        func integer() -> Int? {
            guard let bytes = bytes(8) else { return nil }
            let value = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return value <= UInt64(Int.max) ? Int(value) : nil
        }

        /// nil: malformed; .some(nil): absent; .some(values).
        func doubles() -> [Double]?? {
            guard let flag = bytes(1)?.first else { return nil }
            if flag == 0 { return .some(nil) }
            guard let count = integer(), count <= limit / 8 else { return nil }
            var ok = true
            let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                ok = count == 0 || fill(UnsafeMutableRawBufferPointer(buffer))
                initialized = ok ? count : 0
            }
            guard ok else { return nil }
            #if _endian(little)
                return .some(values)  // the wire's byte order already
            #else
                return .some(values.map { Double(bitPattern: UInt64(littleEndian: $0.bitPattern)) })
            #endif
        }
    }
}
