#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import XtalCore

/// Streams listed more than once, in one run or in several: a file is read where it is
/// first listed, and every later listing is left out with a warning naming both places,
/// so no image is counted twice by accident. The same file is the same device and inode
/// (a symbolic link or another spelling of the path is caught), else the same path.
public enum RepeatedStreams {
    /// The runs with every repeated listing left out, the warnings, and the runs that
    /// were left with no stream at all.
    public static func readOnce(_ runs: [RunInput]) -> (runs: [RunInput], warnings: [String], emptied: [String]) {
        var firstListing: [String: String] = [:]  // file identity → run that lists it first
        var out: [RunInput] = []
        var warnings: [String] = []
        var emptied: [String] = []
        for run in runs {
            var kept = run
            kept.streams = []
            for path in run.streams {
                let id = identity(of: path)
                if let first = firstListing[id] {
                    let place = first == run.name ? "earlier in the same run" : "by run '\(first)'"
                    warnings.append("run '\(run.name)': \(path) is already listed \(place); it is read once, there")
                    continue
                }
                firstListing[id] = run.name
                kept.streams.append(path)
            }
            if kept.streams.isEmpty, !run.streams.isEmpty { emptied.append(run.name) }
            out.append(kept)
        }
        return (out, warnings, emptied)
    }

    /// Device and inode when the file can be stat'ed, else the path as given.
    static func identity(of path: String) -> String {
        guard let info = RawPath.status(path) else { return "path:" + path }
        return "inode:\(info.st_dev):\(info.st_ino)"
    }
}
