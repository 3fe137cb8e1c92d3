import Foundation
import XtalCore

/// A master file read: the run-level metadata and the per-image values.
public struct NexusMasterFile: Sendable {
    public var metadata: RunMetadata
    public var perImage: PerImageMetadata

    public init(metadata: RunMetadata, perImage: PerImageMetadata) {
        self.metadata = metadata
        self.perImage = perImage
    }

    /// The read as bytes: the form a reading child hands it over in (`MasterFileWire`),
    /// which a cache can keep.
    public var archived: Data { MasterFileWire.encode(.success(.master(self))) }

    /// A read written as `archived`, taken from `descriptor` (none longer than `limit`
    /// bytes), or nil when the bytes are not one.
    public static func unarchived(from descriptor: Int32, limit: Int) -> NexusMasterFile? {
        guard case .success(.master(let file)) = MasterFileWire.decode(from: descriptor, limit: limit) else { return nil }
        return file
    }
}

/// What an HDF5 file given to `inspect` holds: a PandA position capture or a master file.
public enum NexusFileContent: Sendable {
    case capture(PandACapture)
    case master(NexusMasterFile)
}

/// Reads an NXmx master file (DECTRIS FileWriter legacy and v2024.2, DLS nexgen, PSI
/// Jungfraujoch, the NXmx skeleton, xtalreport's own example files) through libhdf5.
/// Only metadata is read; image data files may be absent (their links are reported).
public enum NexusMasterReader {
    /// Reads `path`: in a child process when `IsolatedMasterReader` is configured (the CLI),
    /// else in this one.
    public static func read(path: String) throws(NexusError) -> NexusMasterFile {
        if let settings = IsolatedMasterReader.current {
            if case .master(let master) = try IsolatedMasterReader.read(path: path, captureFirst: false, settings: settings) {
                return master
            }
            throw .corrupt(path: path, detail: "the reader answered with something other than a master file")
        }
        return try readInProcess(path: path)
    }

    /// Whether `read` runs in a child process (the CLI), so that reads on several threads at
    /// once are safe; in this process they are not (libhdf5 is built without thread safety).
    public static var readsInChildProcess: Bool { IsolatedMasterReader.current != nil }

    /// A PandA capture if `path` is one, else the master file (`inspect`); isolated as `read`.
    public static func readCaptureOrMaster(path: String) throws(NexusError) -> NexusFileContent {
        if let settings = IsolatedMasterReader.current {
            return try IsolatedMasterReader.read(path: path, captureFirst: true, settings: settings)
        }
        return try readInProcess(path: path, captureFirst: true)
    }

    /// `readCaptureOrMaster` (or, without `captureFirst`, `read`) in this process.
    static func readInProcess(path: String, captureFirst: Bool) throws(NexusError) -> NexusFileContent {
        if captureFirst, let capture = try PandACaptureReader.readIfCapture(path: path) { return .capture(capture) }
        return .master(try readInProcess(path: path))
    }

    /// Reads `path` through libhdf5 in this process.
    public static func readInProcess(path: String) throws(NexusError) -> NexusMasterFile {
        let file = try HDF5File(readingAt: path)
        guard let entry = NexusLayout.entry(in: file) else { throw .notNeXus(path: path) }
        let reading = NexusReading(file: file, layout: NexusLayout(file: file, entry: entry))
        reading.readCollection()
        reading.readBeam()
        reading.readDetector()
        reading.readImageCount()
        reading.readSample()
        reading.readPumpProbeNote()
        reading.readFrameTimes()
        reading.readExternalLinks()
        reading.noteMissingFields()
        return NexusMasterFile(metadata: reading.metadata, perImage: reading.perImage)
    }
}

/// The state of one read: the file, where its NeXus groups are, and what was found so far.
/// The steps live in extensions, one concern per file.
final class NexusReading {
    let file: HDF5File
    let layout: NexusLayout
    var metadata: RunMetadata
    var perImage = PerImageMetadata()

    init(file: HDF5File, layout: NexusLayout) {
        self.file = file
        self.layout = layout
        metadata = RunMetadata(file: file.path, producer: layout.producer.name)
    }

    func warn(_ text: String) { metadata.warnings.append(text) }

    // MARK: Field helpers: 0-D or 1-element datasets are scalars (dials/nxmx h5_maybe_scalar).

    /// The first of `paths` that exists as a dataset.
    func firstDataset(_ paths: [String]) -> HDF5Dataset? {
        for path in paths {
            if let dataset = file.dataset(path) { return dataset }
        }
        return nil
    }

    func string(_ paths: String...) -> String? {
        for path in paths {
            if let value = file.dataset(path)?.strings()?.first { return value }
        }
        return nil
    }

    /// A numeric scalar (SCALAR or shape (1,)); warns when the dataset holds more values.
    func scalar(_ paths: String...) -> (value: Double, dataset: HDF5Dataset)? {
        for path in paths {
            guard let dataset = file.dataset(path), let values = dataset.doubles(), let first = values.first else {
                continue
            }
            if values.count > 1 { warn("\(path): \(values.count) values where one was expected; the first is used") }
            return (first, dataset)
        }
        return nil
    }

    func integer(_ paths: String...) -> Int? {
        for path in paths {
            if let value = file.dataset(path)?.integers()?.first { return Int(value) }
        }
        return nil
    }

    /// A scalar with units, converted to xtalreport's unit for `quantity`. Reads `@units`,
    /// else the `@u` typo seen in a real DLS file (warned), else NXmx's default unit.
    func measurement(_ quantity: NexusQuantity, _ paths: String...) -> MeasuredValue? {
        for path in paths {
            guard let (value, dataset) = scalar(path) else { continue }
            return convert(value, quantity, dataset: dataset)
        }
        return nil
    }

    /// Converts a value read from `dataset` by its unit attribute.
    func convert(_ value: Double, _ quantity: NexusQuantity, dataset: HDF5Dataset) -> MeasuredValue? {
        var fileUnit = dataset.stringAttribute("units")
        if fileUnit == nil, let typo = dataset.stringAttribute("u") {
            warn("\(dataset.path): unit written as @u=\"\(typo)\" instead of @units")
            fileUnit = typo
        }
        let unitForFactor = fileUnit ?? quantity.nexusDefault
        guard let factor = quantity.factor(from: unitForFactor) else {
            warn("\(dataset.path): unit \"\(unitForFactor)\" not recognised for a \(quantity.name); value \(value) left out")
            return nil
        }
        return MeasuredValue(value: value * factor, unit: quantity.unit, path: dataset.path, fileUnit: fileUnit)
    }
}
