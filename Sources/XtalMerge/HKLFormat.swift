import Foundation
import XtalCore

/// CrystFEL's merged reflection list format, version 2.0 (`write_reflist_2` /
/// `read_reflections_2` in libcrystfel 0.11.1; `../shared/docs/merging.md` §1.5):
///
/// ```
/// CrystFEL reflection list version 2.0
/// Symmetry: 4/mmm
///    h    k    l          I    phase   sigma(I)   nmeas
///    1    0    3    1534.22        -      45.10     128
/// End of reflections
/// <notes>
/// ```
/// Rows are `%4i %4i %4i %10.2f %s %10.2f %7i`, the phase `       -` when absent.
/// Reflections with no measurements are not written.
public enum HKLFormat {
    public static let header = "CrystFEL reflection list version 2.0"
    public static let columns = "   h    k    l          I    phase   sigma(I)   nmeas"
    public static let end = "End of reflections"

    /// `%.2f` of `x`, as C's printf rounds it.
    public static func twoDecimals(_ x: Double) -> String { String(format: "%.2f", x) }

    /// The file's text.
    public static func text(of list: MergedReflections) -> String { String(decoding: bytes(of: list), as: UTF8.self) }

    /// The file's bytes: rows formatted directly (the `printf` formats above, checked
    /// against `String(format:)` in the tests), not through a format string per row.
    public static func bytes(of list: MergedReflections) -> [UInt8] {
        var out = Array("\(header)\nSymmetry: \(list.symmetry)\n\(columns)\n".utf8)
        out.reserveCapacity(list.count * 52 + 200)
        for i in 0..<list.count where list.measurements[i] > 0 {
            let x = list.indices[i]
            appendInteger(Int(x.h), width: 4, to: &out)
            out.append(0x20)
            appendInteger(Int(x.k), width: 4, to: &out)
            out.append(0x20)
            appendInteger(Int(x.l), width: 4, to: &out)
            out.append(0x20)
            appendTwoDecimals(list.intensity[i], width: 10, to: &out)
            out += Array("        - ".utf8)
            appendTwoDecimals(list.sigma[i], width: 10, to: &out)
            out.append(0x20)
            appendInteger(Int(list.measurements[i]), width: 7, to: &out)
            out.append(0x0A)
        }
        out += Array((end + "\n").utf8)
        for note in list.notes { out += Array((note + "\n").utf8) }
        return out
    }

    /// `%*d`.
    static func appendInteger(_ v: Int, width: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var m = v.magnitude
        repeat {
            digits.append(UInt8(48 + m % 10))
            m /= 10
        } while m > 0
        if v < 0 { digits.append(0x2D) }
        if digits.count < width { out += repeatElement(0x20, count: width - digits.count) }
        out += digits.reversed()
    }

    /// `%*.2f`, rounding as printf does (the exact binary value, ties to even); values
    /// whose rounding is too close to a tie to decide in doubles, and non-finite or huge
    /// ones, go through `String(format:)`.
    static func appendTwoDecimals(_ x: Double, width: Int, to out: inout [UInt8]) {
        let scaled = x * 100
        let floor = scaled.rounded(.down)
        guard x.isFinite, x.magnitude < 1e12, ((scaled - floor) - 0.5).magnitude >= 1e-6 else {
            let text = Array(String(format: "%*.2f", width, x).utf8)
            out += text
            return
        }
        let n = Int(scaled.rounded(.toNearestOrAwayFromZero))
        let negative = n < 0 || (n == 0 && x.sign == .minus)
        let m = n.magnitude
        var digits: [UInt8] = [UInt8(48 + m % 10), UInt8(48 + (m / 10) % 10), 0x2E]
        var whole = m / 100
        repeat {
            digits.append(UInt8(48 + whole % 10))
            whole /= 10
        } while whole > 0
        if negative { digits.append(0x2D) }
        if digits.count < width { out += repeatElement(0x20, count: width - digits.count) }
        out += digits.reversed()
    }

    /// Writes the list to `path` (through a temporary file, then renamed: `AtomicFile`).
    public static func write(_ list: MergedReflections, to path: String) throws {
        try AtomicFile.write(Data(bytes(of: list)), to: path)
    }

    /// Reads a version 2.0 list. A row that is not `h k l I phase σ nmeas` fails with its
    /// line number, as does a list without `End of reflections`.
    public static func read(path: String) throws -> MergedReflections {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MergeError.badReflectionList(file: path, line: 0, reason: "cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> MergedReflections {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        var number = 0
        func next() -> Substring? {
            number += 1
            return lines.next().map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        }
        guard next() == Substring(header) else {
            throw MergeError.badReflectionList(file: file, line: 1, reason: "not a CrystFEL reflection list version 2.0")
        }
        guard let symmetryLine = next(), symmetryLine.hasPrefix("Symmetry: ") else {
            throw MergeError.badReflectionList(file: file, line: 2, reason: "no 'Symmetry:' line")
        }
        var list = MergedReflections(symmetry: String(symmetryLine.dropFirst(10)))
        _ = next()  // the column header
        var ended = false
        while let line = next() {
            if line == Substring(end) { ended = true; break }
            let f = line.split(separator: " ")
            guard f.count >= 7, let h = Int32(f[0]), let k = Int32(f[1]), let l = Int32(f[2]),
                  let i = Float32(f[3]), let s = Float32(f[5]), let n = Int32(f[6])
            else { throw MergeError.badReflectionList(file: file, line: number, reason: "not 'h k l I phase sigma(I) nmeas': \(line.prefix(80))") }
            list.append(MillerIndex(h, k, l), intensity: Double(i), sigma: Double(s), measurements: n)
        }
        guard ended else { throw MergeError.badReflectionList(file: file, line: number, reason: "no 'End of reflections' line") }
        while let line = next() {
            if !line.isEmpty { list.notes.append(String(line)) }
        }
        let sorted = zip(list.indices, list.indices.dropFirst()).allSatisfy { $0 < $1 }
        if !sorted {
            let order = list.indices.indices.sorted { list.indices[$0] < list.indices[$1] }
            list.indices = order.map { list.indices[$0] }
            list.intensity = order.map { list.intensity[$0] }
            list.sigma = order.map { list.sigma[$0] }
            list.measurements = order.map { list.measurements[$0] }
        }
        return list
    }
}
