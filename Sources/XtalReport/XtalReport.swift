import CPNG

/// The static HTML report with PNG plots. Filled by the issue "The static HTML report";
/// this file proves the libpng binding links.
public enum XtalReport {
    /// Version of libpng the engine was linked against.
    public static var libpngVersion: String {
        String(cString: png_get_libpng_ver(nil))
    }
}
