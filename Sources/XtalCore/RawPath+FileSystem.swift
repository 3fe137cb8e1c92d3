#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File-system questions about `RawPath` strings (Foundation's FileManager would encode a
/// raw byte as UTF-8 and look for another file).
extension RawPath {
    /// The status of `path` (following symbolic links), nil when it cannot be had.
    public static func status(_ path: String) -> stat? {
        var info = stat()
        return withCString(path) { stat($0, &info) } == 0 ? info : nil
    }

    public static func exists(_ path: String) -> Bool { status(path) != nil }

    public static func isDirectory(_ path: String) -> Bool {
        status(path).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
    }

    /// Whether this process may read `path`; nil when it may, else the system's reason.
    public static func unreadableReason(_ path: String) -> String? {
        withCString(path) { access($0, R_OK) } == 0 ? nil : String(cString: strerror(errno))
    }

    /// The paths of the files under `directory` (relative to it, sorted), found by walking
    /// it with readdir: names that are not UTF-8 are kept (`string`). Symbolic links to
    /// folders are not followed (no loops); links to files are listed.
    public static func files(under directory: String) -> [String]? {
        guard let top = withCString(directory, { opendir($0) }) else { return nil }
        closedir(top)
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? directory : directory + "/" + relative
            guard let handle = withCString(folder, { opendir($0) }) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                    let bytes = raw.prefix { $0 != 0 }
                    return string(Array(bytes))
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard withCString(directory + "/" + path, { lstat($0, &info) }) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(path)
                case S_IFREG: found.append(path)
                case S_IFLNK where !isDirectory(directory + "/" + path): found.append(path)
                default: break
                }
            }
        }
        return found.sorted()
    }
}
