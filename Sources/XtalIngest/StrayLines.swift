/// What a line outside any chunk and header looks like, for the stray-line report: a
/// damaged chunk marker, chunk content without its chunk, or neither.
enum StrayLines {
    static let chunkBegin = "----- Begin chunk -----"

    /// Keys and markers that only appear inside a chunk (CrystFEL 0.9 – 0.11 streams).
    static let chunkPrefixes: [String] = [
        "Image filename:", "Event:", "Image serial number:", "hit =", "indexed_by =", "n_indexing_tries =",
        "photon_energy_eV =", "beam_divergence =", "beam_bandwidth =", "average_camera_length =", "num_peaks =",
        "num_saturated_peaks =", "peak_resolution =", "Peaks from peak search", "End of peak list", "--- Begin crystal",
        "--- End crystal", "Cell parameters", "astar =", "bstar =", "cstar =", "lattice_type =", "centering =",
        "unique_axis =", "profile_radius =", "predict_refine/", "diffraction_resolution_limit =", "num_reflections =",
        "num_saturated_reflections =", "num_implausible_reflections =", "Reflections measured after indexing",
        "End of reflections", "header/", "hdf5/",
    ]

    /// Chunk content: one of the chunk's own keys or markers.
    static func looksLikeChunkContent(_ line: ByteLine) -> Bool {
        let text = line.trimmed().string
        return chunkPrefixes.contains { text.hasPrefix($0) }
    }

    /// `----- Begin chunk -----` with something wrong: other spacing, case or dashes, a
    /// character or two changed, added or lost.
    static func isDamagedChunkBegin(_ line: ByteLine) -> Bool {
        guard line.count <= 64 else { return false }
        let text = line.string
        if text.lowercased().filter(\.isLetter) == "beginchunk" { return true }
        guard text.count >= chunkBegin.count - 3, text.count <= chunkBegin.count + 3 else { return false }
        return editDistance(Array(text.utf8), Array(chunkBegin.utf8), atMost: 2) <= 2
    }

    /// Levenshtein distance, stopping early once every path exceeds `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], atMost limit: Int) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > limit { return limit + 1 }
            previous = current
        }
        return previous[b.count]
    }
}
