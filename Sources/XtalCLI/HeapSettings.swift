import Foundation

#if canImport(Glibc)
import CMalloc
#endif

/// How the C heap hands out large blocks, set once when the program starts.
///
/// glibc maps each block of 128 KiB or more on its own, but raises that threshold to the
/// size of any mapped block freed (up to 32 MiB). A job frees a run's tables and the
/// reflection blocks it has read back, so after the first run its large arrays come from
/// the heap, where freed runs of pages stay resident: on the 1 M-image example `run` peaked
/// at 312 MB, of which about 130 MB were such pages. A fixed threshold of 4 MiB keeps every
/// table, block and snapshot larger than that in mappings of its own, returned to the
/// system when freed: 224 MB, for about 0.3 s more of system time on that 9 s job
/// (re-mapped pages are zeroed again; 128 KiB gave 192 MB for 1.2 s more). Measured with
/// `MALLOC_MMAP_THRESHOLD_` set to each size, 2026-12-02; that variable, when set, is
/// left to decide.
enum HeapSettings {
    static let largeBlockBytes: Int32 = 4 << 20

    static func apply() {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_MMAP_THRESHOLD_"] == nil else { return }
        _ = mallopt(M_MMAP_THRESHOLD, largeBlockBytes)
        #endif
    }

    /// Returns the free pages inside the C heap to the system (`malloc_trim(0)`).
    ///
    /// Blocks under `largeBlockBytes` come from the heap's arenas: the main one and one per
    /// worker thread, 64 MiB each. A run's segments are parsed on the workers into many such
    /// blocks and freed on this thread once joined, and its tables once its rows are
    /// stored; glibc gives back only the free space at the top of an arena, so the holes
    /// stay resident and the next run's blocks do not always fit them. Trimming after each
    /// run's join and after its completion took the 5.4 M-image example's peak RSS from
    /// 519–537 MB to 443–497 MB (`/usr/bin/time`, 2026-12-03), for 0.1–20 ms a call.
    static func releaseFreePages() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
