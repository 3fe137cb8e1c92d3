import XtalCore

/// Sample name, goniometer (rotation scan or stills) and per-image sample positions.
extension NexusReading {
    func readSample() {
        let s = layout.sample
        metadata.sample.name = string(s + "/name")
        metadata.sample.dependsOn = string(s + "/depends_on")
        let axes = transformationAxes(in: s + "/transformations")
        if !axes.isEmpty {
            readRotation(axes)
            readPositions(axes)
        } else {
            readLegacyGoniometer(s + "/goniometer")
        }
    }

    /// A dataset of a depends_on chain: name, type and values in degrees or mm.
    struct Axis {
        var name: String
        var path: String
        var isRotation: Bool
        var vector: [Double]
        var values: [Double]
    }

    func transformationAxes(in group: String) -> [Axis] {
        file.childNames(group).compactMap { name in
            let path = group + "/" + name
            guard let dataset = file.dataset(path), let type = dataset.stringAttribute("transformation_type"),
                let raw = dataset.doubles()
            else { return nil }
            let isRotation = type == "rotation"
            let quantity: NexusQuantity = isRotation ? .angle : .length
            let unit = dataset.stringAttribute("units") ?? quantity.nexusDefault
            guard let factor = quantity.factor(from: unit) else {
                warn("\(path): unit \"\(unit)\" not recognised for a \(quantity.name); axis left out")
                return nil
            }
            return Axis(
                name: name, path: path, isRotation: isRotation, vector: dataset.doublesAttribute("vector") ?? [],
                values: raw.map { $0 * factor })
        }
    }

    private func readRotation(_ axes: [Axis]) {
        if let scan = eventModeScan(axes) {
            // One continuous scan, no images: start and end angle (nexgen's event mode).
            var rotation = RotationScan(
                axis: scan.name, start: scan.values[0], increment: 0, range: scan.values[1] - scan.values[0], path: scan.path)
            rotation.continuous = true
            metadata.sample.rotation = rotation
            metadata.sample.isStill = false
            return
        }
        let images = metadata.images?.count
        var rotation: RotationScan?
        for axis in axes where axis.isRotation {
            let increment = rotationIncrement(axis)
            guard increment != 0 else { continue }
            let frames = images ?? axis.values.count
            rotation = RotationScan(
                axis: axis.name, start: axis.values[0], increment: increment, range: increment * Double(frames),
                path: axis.path)
            if let images, axis.values.count > 1, axis.values.count != images {
                warn("\(axis.path): \(axis.values.count) angles for \(images) images")
            }
            break
        }
        metadata.sample.rotation = rotation
        metadata.sample.isStill = rotation == nil
        if let rotation, let axis = axes.first(where: { $0.path == rotation.path }), axis.values.count > 1 {
            perImage.rotationStart = axis.values
        }
    }

    /// The rotation axis of an event-mode collection, if this is one: no image data
    /// (`data/data` absent), and a rotation axis of exactly two values (start and end)
    /// without `<axis>_increment_set` or `<axis>_end`, which nexgen writes for image mode only.
    func eventModeScan(_ axes: [Axis]? = nil) -> Axis? {
        guard file.dataset(layout.data + "/data") == nil else { return nil }
        let all = axes ?? transformationAxes(in: layout.sample + "/transformations")
        return all.first { axis in
            axis.isRotation && axis.values.count == 2 && axis.values[1] != axis.values[0]
                && file.dataset(axis.path + "_increment_set") == nil && file.dataset(axis.path + "_end") == nil
        }
    }

    /// `<axis>_increment_set` when written, else the step between the first two angles.
    private func rotationIncrement(_ axis: Axis) -> Double {
        let setPath = axis.path + "_increment_set"
        if let set = file.dataset(setPath)?.doubles()?.first { return set }
        if axis.values.count > 1 { return axis.values[1] - axis.values[0] }
        return 0
    }

    private func readPositions(_ axes: [Axis]) {
        let translations = axes.filter { !$0.isRotation && $0.values.count > 1 }
        func pick(_ name: String, _ component: Int) -> Axis? {
            translations.first { $0.name == name }
                ?? translations.first { $0.vector.count == 3 && abs(abs($0.vector[component]) - 1) < 1e-9 }
        }
        let x = pick("sam_x", 0)
        let y = pick("sam_y", 1)
        guard x != nil || y != nil else { return }
        let count = max(x?.values.count ?? 0, y?.values.count ?? 0)
        if let images = metadata.images?.count, images != count {
            warn("per-image sample positions: \(count) values for \(images) images")
        }
        let xs = x?.values ?? Array(repeating: 0, count: count)
        let ys = y?.values ?? Array(repeating: 0, count: count)
        let distinct = DistinctPairs.count(xs, ys)
        metadata.sample.positions = PositionSummary(
            axes: [x?.name, y?.name].compactMap { $0 }, images: count, distinctPositions: distinct,
            xRange: [xs.min() ?? 0, xs.max() ?? 0], yRange: [ys.min() ?? 0, ys.max() ?? 0])
        perImage.sampleX = x?.values
        perImage.sampleY = y?.values
    }

    /// DECTRIS legacy `sample/goniometer/<axis>_start`, `_increment` (no vectors).
    private func readLegacyGoniometer(_ group: String) {
        guard file.entry(group) == .group else { return }
        var rotation: RotationScan?
        for axis in ["omega", "phi", "chi", "kappa"] {
            guard let increment = measurement(.angle, group + "/" + axis + "_increment"), increment.value != 0,
                let start = measurement(.angle, group + "/" + axis + "_start", group + "/" + axis)
            else { continue }
            let frames = metadata.images?.count ?? 1
            rotation = RotationScan(
                axis: axis, start: start.value, increment: increment.value, range: increment.value * Double(frames),
                path: increment.path)
            break
        }
        metadata.sample.rotation = rotation
        metadata.sample.isStill = rotation == nil
    }
}
