import Foundation

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
    public static func text(of list: MergedReflections) -> String {
        var out = "\(header)\nSymmetry: \(list.symmetry)\n\(columns)\n"
        out.reserveCapacity(list.count * 52 + 200)
        for i in 0..<list.count where list.measurements[i] > 0 {
            let x = list.indices[i]
            out += String(format: "%4d %4d %4d %10.2f        - %10.2f %7d\n", x.h, x.k, x.l, list.intensity[i],
                          list.sigma[i], list.measurements[i])
        }
        out += end + "\n"
        for note in list.notes { out += note + "\n" }
        return out
    }

    /// Writes the list to `path` (through a temporary file, then renamed).
    public static func write(_ list: MergedReflections, to path: String) throws {
        let temporary = path + ".part"
        try Data(text(of: list).utf8).write(to: URL(fileURLWithPath: temporary))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
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
