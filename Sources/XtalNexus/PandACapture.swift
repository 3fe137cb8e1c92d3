import XtalCore

/// A PandABox position-capture file (DLS): one row per trigger, columns named
/// `BLOCK.FIELD.Value|Min|Max|Mean` at the root, optional root attributes `arm_time` and
/// `start_time`. Trigger timestamps are in seconds from arming (`PCAP.TS_TRIG` or
/// `PCAP.TS_START`); nexgen's `compare-pcap` reads the same columns.
public struct PandACapture: Sendable, Equatable, Codable {
    public var path: String
    public var columns: [String]
    public var triggers: Int
    public var armTime: MetadataTime?
    public var startTime: MetadataTime?
    /// The column the timestamps came from.
    public var timestampColumn: String?
    /// Per-trigger timestamps, s from arming.
    public var timestamps: [Double]
    /// Gate (exposure window) length per trigger, s, when captured.
    public var gateDurations: [Double]?

    /// Summary of the timestamps as frame times (s from the first trigger).
    public var frameTimes: FrameTimesSummary? {
        guard let column = timestampColumn, let first = timestamps.first, let last = timestamps.last else { return nil }
        return FrameTimesSummary(
            source: "PandA position capture \(column) (s from arm)", path: path + ":/" + column,
            frames: timestamps.count, first: 0, last: last - first,
            meanInterval: timestamps.count > 1 ? (last - first) / Double(timestamps.count - 1) : nil)
    }
}

public enum PandACaptureReader {
    static let timestampColumns = ["PCAP.TS_TRIG.Value", "PCAP.TS_START.Value"]

    /// True when `path` is an HDF5 file with PandA capture columns at its root.
    public static func isPandACapture(path: String) -> Bool {
        (try? readIfCapture(path: path)) != nil
    }

    public static func read(path: String) throws(NexusError) -> PandACapture {
        guard let capture = try readIfCapture(path: path) else {
            throw .corrupt(path: path, detail: "no PCAP.* capture columns at the root")
        }
        return capture
    }

    /// The capture in `path`, or nil when it is an HDF5 file of another kind (one open).
    public static func readIfCapture(path: String) throws(NexusError) -> PandACapture? {
        let file = try HDF5File(readingAt: path)
        let columns = file.childNames("/").filter { file.entry("/" + $0) == .dataset }
        guard columns.contains(where: { $0.hasPrefix("PCAP.") }) else { return nil }
        let rows = columns.compactMap { file.dataset("/" + $0)?.elementCount }.max() ?? 0
        let column = timestampColumns.first { columns.contains($0) }
        let times = column.flatMap { file.dataset("/" + $0)?.doubles() } ?? []
        return PandACapture(
            path: path, columns: columns, triggers: rows,
            armTime: file.stringAttribute("arm_time", of: "").flatMap { NexusTimestamp.parse($0, path: path + ":/@arm_time") },
            startTime: file.stringAttribute("start_time", of: "").flatMap {
                NexusTimestamp.parse($0, path: path + ":/@start_time")
            },
            timestampColumn: column, timestamps: times,
            gateDurations: file.dataset("/PCAP.GATE_DURATION.Value")?.doubles())
    }
}
