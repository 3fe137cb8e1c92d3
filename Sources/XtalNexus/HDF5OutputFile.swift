import CHDF5

/// A new HDF5 file being written: groups, scalar/array datasets, fixed-length string and
/// enum-boolean values, attributes, external links and virtual datasets. Enough to write
/// NXmx master files like the producers do; not a general HDF5 writer.
final class HDF5OutputFile {
    let id: hid_t
    let path: String

    init(creatingAt path: String) throws(NexusError) {
        HDF5Library.prepare()
        self.path = path
        let file = H5Fcreate(path, xr_H5F_ACC_TRUNC(), xr_H5P_DEFAULT(), xr_H5P_DEFAULT())
        guard file >= 0 else { throw .cannotWrite(path: path, detail: HDF5Library.lastErrorText()) }
        id = file
    }

    deinit { H5Fclose(id) }

    /// Flushes and closes; errors from here on are reported, not swallowed.
    func close() throws(NexusError) {
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw failure() }
    }

    private func failure() -> NexusError { .cannotWrite(path: path, detail: HDF5Library.lastErrorText()) }

    /// Creates a group with `NX_class`.
    func group(_ path: String, nxClass: String) throws(NexusError) {
        let group = H5Gcreate2(id, path, xr_H5P_DEFAULT(), xr_H5P_DEFAULT(), xr_H5P_DEFAULT())
        guard group >= 0 else { throw failure() }
        defer { H5Gclose(group) }
        try attribute("NX_class", nxClass, on: group)
    }

    /// A float64 dataset: scalar when `values` has one element and `scalar` is true, else 1-D.
    func doubles(
        _ path: String, _ values: [Double], scalar: Bool = true, units: String? = nil,
        attributes: [String: String] = [:], vector: [Double]? = nil
    ) throws(NexusError) {
        try dataset(path, type: xr_H5T_NATIVE_DOUBLE(), count: values.count, scalar: scalar && values.count == 1) {
            dataset throws(NexusError) in
            let status = values.withUnsafeBytes { H5Dwrite(dataset, xr_H5T_NATIVE_DOUBLE(), 0, 0, xr_H5P_DEFAULT(), $0.baseAddress) }
            guard status >= 0 else { throw failure() }
            if let units { try attribute("units", units, on: dataset) }
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { try attribute(key, value, on: dataset) }
            if let vector { try attribute("vector", vector, on: dataset) }
        }
    }

    /// An int64 dataset (scalar for one value unless `scalar` is false).
    func integers(_ path: String, _ values: [Int64], scalar: Bool = true) throws(NexusError) {
        try dataset(path, type: xr_H5T_NATIVE_INT64(), count: values.count, scalar: scalar && values.count == 1) {
            dataset throws(NexusError) in
            let status = values.withUnsafeBytes { H5Dwrite(dataset, xr_H5T_NATIVE_INT64(), 0, 0, xr_H5P_DEFAULT(), $0.baseAddress) }
            guard status >= 0 else { throw failure() }
        }
    }

    /// A scalar fixed-length ASCII string dataset (NULLPAD, exact length, as nexgen writes).
    func string(_ path: String, _ value: String) throws(NexusError) {
        let type = fixedStringType(value)
        defer { H5Tclose(type) }
        try dataset(path, type: type, count: 1, scalar: true) { dataset throws(NexusError) in
            let bytes = Array(value.utf8)
            let status = bytes.withUnsafeBytes { H5Dwrite(dataset, type, 0, 0, xr_H5P_DEFAULT(), $0.baseAddress) }
            guard status >= 0 else { throw failure() }
        }
    }

    /// A scalar boolean as h5py writes it: enum {FALSE = 0, TRUE = 1} over int8.
    func boolean(_ path: String, _ value: Bool) throws(NexusError) {
        let type = H5Tenum_create(xr_H5T_STD_I8LE())
        defer { H5Tclose(type) }
        var no: Int8 = 0
        var yes: Int8 = 1
        _ = H5Tenum_insert(type, "FALSE", &no)
        _ = H5Tenum_insert(type, "TRUE", &yes)
        try dataset(path, type: type, count: 1, scalar: true) { dataset throws(NexusError) in
            var stored: Int8 = value ? 1 : 0
            guard H5Dwrite(dataset, type, 0, 0, xr_H5P_DEFAULT(), &stored) >= 0 else { throw failure() }
        }
    }

    /// An external link `path` → `file:object` (the target need not exist).
    func externalLink(_ path: String, file: String, object: String) throws(NexusError) {
        guard H5Lcreate_external(file, object, id, path, xr_H5P_DEFAULT(), xr_H5P_DEFAULT()) >= 0 else { throw failure() }
    }

    /// A uint16 virtual dataset [frames, rows, columns] over `sources` (file, dataset,
    /// frames), stacked in order, as DLS and DECTRIS v2024 masters hold their images. The
    /// source files need not exist.
    func virtualImageStack(
        _ path: String, rows: Int, columns: Int, sources: [(file: String, dataset: String, frames: Int)]
    ) throws(NexusError) {
        let total = sources.reduce(0) { $0 + $1.frames }
        var dims: [hsize_t] = [hsize_t(total), hsize_t(rows), hsize_t(columns)]
        let virtualSpace = H5Screate_simple(3, &dims, nil)
        defer { H5Sclose(virtualSpace) }
        let plist = H5Pcreate(xr_H5P_DATASET_CREATE())
        defer { H5Pclose(plist) }
        _ = H5Pset_obj_track_times(plist, false)
        var offset = 0
        for source in sources {
            var sourceDims: [hsize_t] = [hsize_t(source.frames), hsize_t(rows), hsize_t(columns)]
            let sourceSpace = H5Screate_simple(3, &sourceDims, nil)
            defer { H5Sclose(sourceSpace) }
            var start: [hsize_t] = [hsize_t(offset), 0, 0]
            guard H5Sselect_hyperslab(virtualSpace, H5S_SELECT_SET, &start, nil, &sourceDims, nil) >= 0,
                H5Pset_virtual(plist, virtualSpace, source.file, source.dataset, sourceSpace) >= 0
            else { throw failure() }
            offset += source.frames
        }
        _ = H5Sselect_all(virtualSpace)
        let dataset = H5Dcreate2(id, path, xr_H5T_NATIVE_UINT16(), virtualSpace, xr_H5P_DEFAULT(), plist, xr_H5P_DEFAULT())
        guard dataset >= 0 else { throw failure() }
        H5Dclose(dataset)
    }

    // MARK: Attributes

    func attribute(_ name: String, _ value: String, on object: hid_t) throws(NexusError) {
        let type = fixedStringType(value)
        defer { H5Tclose(type) }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, type, space, xr_H5P_DEFAULT(), xr_H5P_DEFAULT())
        guard attribute >= 0 else { throw failure() }
        defer { H5Aclose(attribute) }
        let bytes = Array(value.utf8)
        guard bytes.withUnsafeBytes({ H5Awrite(attribute, type, $0.baseAddress) }) >= 0 else { throw failure() }
    }

    func attribute(_ name: String, _ values: [Double], on object: hid_t) throws(NexusError) {
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, xr_H5T_NATIVE_DOUBLE(), space, xr_H5P_DEFAULT(), xr_H5P_DEFAULT())
        guard attribute >= 0 else { throw failure() }
        defer { H5Aclose(attribute) }
        guard values.withUnsafeBytes({ H5Awrite(attribute, xr_H5T_NATIVE_DOUBLE(), $0.baseAddress) }) >= 0 else {
            throw failure()
        }
    }

    /// An attribute on the object at `path` ("/" for the root).
    func attribute(_ name: String, _ value: String, at path: String) throws(NexusError) {
        let object = H5Oopen(id, path, xr_H5P_DEFAULT())
        guard object >= 0 else { throw failure() }
        defer { H5Oclose(object) }
        try attribute(name, value, on: object)
    }

    // MARK: Helpers

    private func fixedStringType(_ value: String) -> hid_t {
        let type = H5Tcopy(xr_H5T_C_S1())
        _ = H5Tset_size(type, max(1, value.utf8.count))
        _ = H5Tset_strpad(type, H5T_STR_NULLPAD)
        return type
    }

    private func dataset(
        _ path: String, type: hid_t, count: Int, scalar: Bool, write: (hid_t) throws(NexusError) -> Void
    ) throws(NexusError) {
        var dims = [hsize_t(count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        // No creation times in the file: the same values give the same bytes (a cluster
        // job's reduce and a one-process run write identical files).
        let plist = H5Pcreate(xr_H5P_DATASET_CREATE())
        defer { H5Pclose(plist) }
        _ = H5Pset_obj_track_times(plist, false)
        let dataset = H5Dcreate2(id, path, type, space, xr_H5P_DEFAULT(), plist, xr_H5P_DEFAULT())
        guard dataset >= 0 else { throw failure() }
        defer { H5Dclose(dataset) }
        try write(dataset)
    }
}
