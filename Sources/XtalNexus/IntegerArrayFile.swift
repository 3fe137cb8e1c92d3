/// A small HDF5 file of named 1-D int64 arrays, e.g. the per-image group values a DIALS
/// grouping YAML points to (`file.h5:/run03/time_point`). Groups on the way are created
/// as `NXcollection`.
public enum IntegerArrayFile {
    /// Writes `arrays` (dataset path → values) into a new file at `path`.
    public static func write(_ arrays: [(path: String, values: [Int64])], to path: String) throws(NexusError) {
        let file = try HDF5OutputFile(creatingAt: path)
        var groups = Set<String>()
        for (datasetPath, values) in arrays {
            var prefix = ""
            for component in datasetPath.split(separator: "/").dropLast() {
                prefix += "/" + component
                if groups.insert(prefix).inserted { try file.group(prefix, nxClass: "NXcollection") }
            }
            try file.integers(datasetPath, values, scalar: false)
        }
        try file.close()
    }

    /// The array at `dataset` in the file at `path`, nil when absent or not integers.
    public static func read(_ dataset: String, from path: String) throws(NexusError) -> [Int64]? {
        let file = try HDF5File(readingAt: path)
        return file.dataset(dataset)?.integers()
    }
}
