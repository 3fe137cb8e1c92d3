import Foundation
import XtalCore

/// How a read travels from the reading child process to the job (`IsolatedMasterReader`):
/// the run metadata (or a PandA capture, or the reader's error) as JSON, then the per-image
/// arrays as raw little-endian doubles, so 1.8 million positions cost a copy, not a JSON
/// round trip.
///
///     "XRMF1\n" · u64 JSON length · JSON {metadata}, {capture} or {error} · 4 × array
///     array: u8 present · u64 count · count × f64 (frameStart: then count × u8, 1 = has a value)
enum MasterFileWire {
    static let magic = Array("XRMF1\n".utf8)

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
        let values = [perImage.sampleX?.count, perImage.sampleY?.count, perImage.rotationStart?.count]
            .reduce(9 * (perImage.frameStart?.count ?? 0)) { $0 + 8 * ($1 ?? 0) }
        out.reserveCapacity(out.count + 8 + json.count + 4 * 9 + values)
        append(UInt64(json.count), to: &out)
        out += json
        for values in [perImage.sampleX, perImage.sampleY, perImage.rotationStart] { append(values, to: &out) }
        append(perImage.frameStart?.map { $0 ?? 0 }, to: &out)
        if let frames = perImage.frameStart { out += frames.map { $0 == nil ? UInt8(0) : UInt8(1) } }
        return out
    }

    /// The read, or why the bytes are not one (a child that died halfway).
    static func decode(_ data: Data) -> Result<NexusFileContent, NexusError>? {
        var reader = WireReader(data: data)
        guard reader.take(magic.count).map(Array.init) == magic, let length = reader.integer(),
            let json = reader.take(length),
            let header = try? ExperimentResults.jsonDecoder.decode(Header.self, from: Data(json))
        else { return nil }
        if let error = header.error { return .failure(error) }
        if let capture = header.capture { return .success(.capture(capture)) }
        guard let metadata = header.metadata else { return nil }
        var perImage = PerImageMetadata()
        guard let x = reader.doubles(), let y = reader.doubles(), let rotation = reader.doubles(),
            let frames = reader.doubles()
        else { return nil }
        (perImage.sampleX, perImage.sampleY, perImage.rotationStart) = (x, y, rotation)
        if let frames {
            guard let present = reader.take(frames.count) else { return nil }
            var starts = [Double?]()
            starts.reserveCapacity(frames.count)
            present.withUnsafeBytes { (flags: UnsafeRawBufferPointer) in
                for i in frames.indices { starts.append(flags[i] == 0 ? nil : frames[i]) }
            }
            perImage.frameStart = starts
        }
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

    /// Reads the wire front to back; every read is bounded by the bytes there are.
    private struct WireReader {
        let data: Data
        var offset = 0

        mutating func take(_ count: Int) -> Data.SubSequence? {
            guard count >= 0, count <= data.count - offset else { return nil }
            defer { offset += count }
            return data[(data.startIndex + offset)..<(data.startIndex + offset + count)]
        }

        mutating func integer() -> Int? {
            guard let bytes = take(8) else { return nil }
            let value = bytes.reduce(into: (UInt64(0), UInt64(0))) { acc, byte in
                acc.0 |= UInt64(byte) << acc.1
                acc.1 += 8
            }.0
            return value <= UInt64(Int.max) ? Int(value) : nil
        }

        /// nil: malformed; .some(nil): absent; .some(values).
        mutating func doubles() -> [Double]?? {
            guard let flag = take(1)?.first else { return nil }
            if flag == 0 { return .some(nil) }
            guard let count = integer(), count <= (data.count - offset) / 8, let bytes = take(count * 8) else { return nil }
            let values = bytes.withUnsafeBytes { raw in
                [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                    #if _endian(little)
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                    #else
                        for i in 0..<count {
                            buffer[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                        }
                    #endif
                    initialized = count
                }
            }
            return .some(values)
        }
    }
}
