import CPNG
import Foundation

/// Writes RGBA pixels as a PNG through libpng, with tEXt chunks (provenance: the engine
/// version, the inputs) that `pngcheck -t` or any image viewer's metadata panel shows.
public enum PNGFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): cannot write the PNG" }
    }

    public static func write(
        path: String, width: Int, height: Int, rgba: [UInt8], text: [(key: String, value: String)]
    ) throws {
        // tEXt keys are 1–79 Latin-1 characters; values are Latin-1 too: keep ASCII.
        let keys = text.map { strdup(String($0.key.prefix(79))) }
        let values = text.map { strdup(String($0.value.unicodeScalars.map { $0.isASCII ? Character($0) : "?" })) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyPointers = keys.map { UnsafePointer<CChar>($0) }
        let valuePointers = values.map { UnsafePointer<CChar>($0) }
        let status = rgba.withUnsafeBufferPointer { pixels in
            keyPointers.withUnsafeBufferPointer { k in
                valuePointers.withUnsafeBufferPointer { v in
                    xr_png_write_rgba(path, pixels.baseAddress, Int32(width), Int32(height), k.baseAddress, v.baseAddress, Int32(text.count))
                }
            }
        }
        guard status == 0 else { throw WriteError(path: path) }
    }
}
