import Foundation

/// A 1-D array of numbers in someone else's HDF5 file — the per-image values a DIALS
/// grouping YAML points to (`file.h5:/timepoint`) — read as doubles. When the CLI has
/// turned isolation on (`IsolatedMasterReader.configure`), the file is read in a child
/// (`xtalreport read-array FILE DATASET`) under the same limits as a master file, so that
/// a damaged file costs that array, not the job.
public enum NumberArrayFile {
    /// The values of `dataset` in the file at `path`: nil when the dataset is absent or not
    /// numbers; `NexusError` when the file cannot be read.
    public static func read(_ dataset: String, from path: String) throws(NexusError) -> [Double]? {
        guard let settings = IsolatedMasterReader.current else { return try readInProcess(dataset, from: path) }
        guard let data = try IsolatedMasterReader.runChild(["read-array", path, dataset], path: path, settings: settings) else {
            return try readInProcess(dataset, from: path)
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw .corrupt(path: path, detail: "the reader of \(dataset) ended without an answer (out of memory, or damaged data)")
        }
        if let error = answer.error { throw .corrupt(path: path, detail: error) }
        return answer.values.map { $0.map { $0 ?? .nan } }
    }

    static func readInProcess(_ dataset: String, from path: String) throws(NexusError) -> [Double]? {
        let file = try HDF5File(readingAt: path)
        guard let values = file.dataset(dataset)?.doubles() else { return nil }
        return values
    }

    /// The child's answer: the values (NaN as null) or the reason.
    struct Answer: Codable {
        var values: [Double?]?
        var error: String?
    }

    /// The child's side: reads under the limits and writes the answer on stdout.
    public static func serveRead(path: String, dataset: String, memoryLimit: Int, timeLimit: Int) {
        IsolatedMasterReader.limitChild(memoryLimit: memoryLimit, timeLimit: timeLimit)
        var answer = Answer()
        do {
            answer.values = try readInProcess(dataset, from: path)?.map { $0.isNaN ? nil : $0 }
        } catch {
            answer.error = error.description
        }
        let data = (try? JSONEncoder().encode(answer)) ?? Data()
        FileHandle.standardOutput.write(data)
    }
}
