import CHDF5

/// An open dataset: its shape, values, attributes and, for a virtual dataset, its sources.
final class HDF5Dataset {
    let id: hid_t
    let path: String

    init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    deinit { H5Dclose(id) }

    private func withValues<T>(_ body: (HDF5Values) -> T?) -> T? {
        let type = H5Dget_type(id)
        let space = H5Dget_space(id)
        defer {
            H5Tclose(type)
            H5Sclose(space)
        }
        let dataset = id
        return body(HDF5Values(fileType: type, space: space) { H5Dread(dataset, $0, 0, 0, xr_H5P_DEFAULT(), $1) })
    }

    /// The dimensions; `[]` for a scalar. Available for a VDS without its source files.
    var shape: [Int] { withValues { $0.shape } ?? [] }

    var elementCount: Int { withValues { $0.count } ?? 0 }

    /// Every value as a double (numbers, enum booleans). Do not call on image stacks.
    func doubles() -> [Double]? { withValues { $0.doubles() } }

    /// Every value as an exact integer.
    func integers() -> [Int64]? { withValues { $0.integers() } }

    /// Every value as a string.
    func strings() -> [String]? { withValues { $0.strings() } }

    func stringAttribute(_ name: String) -> String? { HDF5Attribute.string(name, of: id) }

    func doublesAttribute(_ name: String) -> [Double]? { HDF5Attribute.doubles(name, of: id) }

    /// A source of a virtual dataset: the file (`.` = this file) and dataset it maps.
    struct VirtualSource: Equatable {
        var file: String
        var dataset: String
    }

    /// The mappings of a virtual dataset, or nil when the dataset is not virtual.
    var virtualSources: [VirtualSource]? {
        let plist = H5Dget_create_plist(id)
        guard plist >= 0 else { return nil }
        defer { H5Pclose(plist) }
        guard H5Pget_layout(plist) == H5D_VIRTUAL else { return nil }
        var count: Int = 0
        guard H5Pget_virtual_count(plist, &count) >= 0 else { return nil }
        return (0..<count).map { index in
            VirtualSource(
                file: Self.text { H5Pget_virtual_filename(plist, index, $0, $1) },
                dataset: Self.text { H5Pget_virtual_dsetname(plist, index, $0, $1) })
        }
    }

    /// Calls a libhdf5 "copy a name into a buffer" function twice: size, then text.
    private static func text(_ call: (UnsafeMutablePointer<CChar>?, Int) -> Int) -> String {
        let length = call(nil, 0)
        guard length > 0 else { return "" }
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = call(&buffer, length + 1)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
