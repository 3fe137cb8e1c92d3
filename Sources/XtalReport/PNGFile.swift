import CPNG
import Foundation
import XtalCore

/// Writes RGBA pixels as a PNG through libpng, with tEXt chunks (provenance: the engine
/// version, the inputs) that `pngcheck -t` or any image viewer's metadata panel shows.
public enum PNGFile {
    /// Why the PNG could not be written (the system's reason when there is one).
    public typealias WriteError = AtomicFile.WriteError

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
        // Whole or not at all: written under a temporary name, then renamed.
        try AtomicFile.write(to: path) { temporary in
            errno = 0
            let status = rgba.withUnsafeBufferPointer { pixels in
                keyPointers.withUnsafeBufferPointer { k in
                    valuePointers.withUnsafeBufferPointer { v in
                        xr_png_write_rgba(
                            temporary, pixels.baseAddress, Int32(width), Int32(height), k.baseAddress, v.baseAddress,
                            Int32(text.count))
                    }
                }
            }
            // -1: the file could not be opened or flushed; -2: libpng failed (a short write).
            guard status == 0 else { throw WriteError(path: path, code: errno != 0 ? errno : EIO) }
        }
    }
}
