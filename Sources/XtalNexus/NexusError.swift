/// Why a master file could not be read. Every case names the file.
public enum NexusError: Error, Equatable, CustomStringConvertible, Sendable, Codable {
    /// The path does not exist or cannot be opened for reading.
    case unreadable(path: String, reason: String)
    /// The file exists but is not HDF5 (no HDF5 signature).
    case notHDF5(path: String)
    /// The file has an HDF5 signature but libhdf5 cannot open it (truncated or corrupt).
    case corrupt(path: String, detail: String)
    /// An HDF5 file without any NeXus entry (no group with `NX_class = NXentry`).
    case notNeXus(path: String)
    /// Writing a file failed (the example generator, tests).
    case cannotWrite(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .notHDF5(let path): "\(path): not an HDF5 file (no HDF5 signature)"
        case .corrupt(let path, let detail):
            "\(path): HDF5 file is truncated or corrupt (libhdf5: \(detail.isEmpty ? "cannot open" : detail))"
        case .notNeXus(let path): "\(path): HDF5 file has no NeXus entry (no group with NX_class=NXentry)"
        case .cannotWrite(let path, let detail): "\(path): cannot write: \(detail)"
        }
    }
}
