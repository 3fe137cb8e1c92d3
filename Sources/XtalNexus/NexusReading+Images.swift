import XtalCore

/// The number of images collected. Rules, first that applies (shared/docs/nexus-nxmx.md §4
/// item 2): the first dimension of `/entry/data/data` (a virtual dataset gives its shape
/// without any data file); else the sum over `data_NNNNNN` links whose files are present;
/// else the length of a per-image goniometer axis; else `nimages` / `ntrigger` read with
/// the producer's meaning (`NexusProducer.nimagesIsPerTrigger`).
extension NexusReading {
    func readImageCount() {
        let specific = layout.detector + "/detectorSpecific"
        let nimages = integer(specific + "/nimages")
        let ntrigger = integer(specific + "/ntrigger")
        let triggerMode = string(specific + "/trigger_mode")
        func info(_ count: Int, _ source: String) -> ImageCountInfo {
            ImageCountInfo(count: count, source: source, nimages: nimages, ntrigger: ntrigger, triggerMode: triggerMode)
        }

        if let count = countFromDataShape() {
            metadata.images = info(count.images, count.source)
        } else if let count = countFromDataFiles() {
            metadata.images = info(count, "sum of the first dimensions of the data_NNNNNN files")
        } else if let scan = eventModeScan() {
            // Events, not images: there is no image count to give (`images` stays absent).
            warn("event-mode data: \(scan.name) holds the start and end of one continuous scan and the detector "
                + "recorded events, not images; there is no image count")
        } else if let count = countFromScanAxes() {
            metadata.images = info(count.images, "length of the per-image axis \(count.path)")
        } else if let n = nimages {
            if layout.producer.nimagesIsPerTrigger {
                let triggers = ntrigger ?? 1
                metadata.images = info(
                    n * triggers, ntrigger == nil ? "nimages (no ntrigger written)" : "nimages × ntrigger (images per trigger × triggers)")
            } else {
                metadata.images = info(n, "nimages (the total frame count for this producer)")
            }
        }
        // A cross-check that catches a shortened collection or a misread convention.
        if let images = metadata.images, let n = nimages, images.source.hasPrefix("shape") || images.source.hasPrefix("length") {
            let expected = layout.producer.nimagesIsPerTrigger ? n * (ntrigger ?? 1) : n
            if expected != images.count {
                warn("detectorSpecific/nimages\(layout.producer.nimagesIsPerTrigger ? " × ntrigger" : "") = \(expected) but the data hold \(images.count) images; the data shape is used")
            }
        }
    }

    private func countFromDataShape() -> (images: Int, source: String)? {
        let path = layout.data + "/data"
        guard let data = file.dataset(path) else { return nil }
        let shape = data.shape
        guard shape.count >= 3, let first = shape.first else {
            if !shape.isEmpty || data.elementCount == 1 {
                warn("\(path): shape \(shape) is not an image stack; image count taken from elsewhere")
            }
            return nil
        }
        let virtual = data.virtualSources != nil
        return (first, "shape of \(path)\(virtual ? " (virtual dataset)" : "")")
    }

    /// DECTRIS legacy: `data_000001 …` external links; countable only when the files exist.
    private func countFromDataFiles() -> Int? {
        let names = file.childNames(layout.data).filter { $0.hasPrefix("data_") }
        guard !names.isEmpty else { return nil }
        var total = 0
        for name in names {
            guard let dataset = file.dataset(layout.data + "/" + name), let first = dataset.shape.first,
                dataset.shape.count >= 3
            else { return nil }
            total += first
        }
        return total
    }

    private func countFromScanAxes() -> (images: Int, path: String)? {
        let group = layout.sample + "/transformations"
        for name in file.childNames(group) {
            let path = group + "/" + name
            guard let dataset = file.dataset(path), dataset.stringAttribute("transformation_type") != nil else { continue }
            let count = dataset.elementCount
            if count > 1 { return (count, path) }
        }
        return nil
    }
}
