import CHDF5

/// Reads the values of a dataset or an attribute: any integer, float or enum type as
/// numbers, fixed- or variable-length strings as Swift strings. Datasets and attributes
/// differ only in their read call, which the caller passes in.
struct HDF5Values {
    /// The file (stored) type; owned by the caller.
    var fileType: hid_t
    /// The dataspace; owned by the caller.
    var space: hid_t
    /// `H5Dread` or `H5Aread` with the given memory type into the given buffer.
    var read: (hid_t, UnsafeMutableRawPointer) -> herr_t

    var count: Int { Int(max(0, H5Sget_simple_extent_npoints(space))) }

    var shape: [Int] {
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        _ = H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int($0) }
    }

    var typeClass: H5T_class_t { H5Tget_class(fileType) }

    var isNumeric: Bool {
        let c = typeClass
        return c == H5T_INTEGER || c == H5T_FLOAT || c == H5T_ENUM
    }

    /// All values as doubles (libhdf5 converts integers and enums), or nil for strings,
    /// compounds and the like. float32 values are widened through their shortest decimal
    /// text, so 7.5e-05 m stays 0.075 mm rather than 0.07500000356 (the value h5dump and
    /// numpy print is the value the file's writer meant).
    func doubles() -> [Double]? {
        guard isNumeric, count > 0 else { return nil }
        if typeClass == H5T_FLOAT, H5Tget_size(fileType) == 4 {
            var narrow = [Float](repeating: 0, count: count)
            let status = narrow.withUnsafeMutableBytes { read(xr_H5T_NATIVE_FLOAT(), $0.baseAddress!) }
            guard status >= 0 else { return nil }
            return narrow.map { $0.isFinite ? Double("\($0)") ?? Double($0) : Double($0) }
        }
        var values = [Double](repeating: 0, count: count)
        let status = values.withUnsafeMutableBytes { read(xr_H5T_NATIVE_DOUBLE(), $0.baseAddress!) }
        return status >= 0 ? values : nil
    }

    /// All values as exact 64-bit integers (integers and enums only).
    func integers() -> [Int64]? {
        let c = typeClass
        guard c == H5T_INTEGER || c == H5T_ENUM, count > 0 else { return nil }
        var values = [Int64](repeating: 0, count: count)
        let status = values.withUnsafeMutableBytes { read(xr_H5T_NATIVE_INT64(), $0.baseAddress!) }
        return status >= 0 ? values : nil
    }

    /// All values as strings: fixed-length (NULLPAD, NULLTERM or SPACEPAD, padding
    /// trimmed) or variable-length; ASCII and UTF-8 are both decoded as UTF-8.
    func strings() -> [String]? {
        guard typeClass == H5T_STRING, count > 0 else { return nil }
        let memType = H5Tcopy(xr_H5T_C_S1())
        defer { H5Tclose(memType) }
        _ = H5Tset_cset(memType, H5Tget_cset(fileType))
        if H5Tis_variable_str(fileType) > 0 {
            _ = H5Tset_size(memType, xr_H5T_VARIABLE())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
            guard status >= 0 else { return nil }
            let values = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = pointers.withUnsafeMutableBytes { H5Dvlen_reclaim(memType, space, xr_H5P_DEFAULT(), $0.baseAddress!) }
            return values
        }
        // Fixed length n: read as n+1-byte NUL-terminated strings so every padding style
        // ends in a C string.
        let width = H5Tget_size(fileType)
        _ = H5Tset_size(memType, width + 1)
        _ = H5Tset_strpad(memType, H5T_STR_NULLTERM)
        var bytes = [UInt8](repeating: 0, count: (width + 1) * count)
        let status = bytes.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
        guard status >= 0 else { return nil }
        return (0..<count).map { i in
            let slice = bytes[(i * (width + 1))..<((i + 1) * (width + 1))]
            let text = slice.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self).trimmingTrailingSpaces()
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Attribute reads on an open object (group or dataset).
enum HDF5Attribute {
    static func withValues<T>(_ name: String, of object: hid_t, _ body: (HDF5Values) -> T?) -> T? {
        guard H5Aexists(object, name) > 0 else { return nil }
        let attribute = H5Aopen(object, name, xr_H5P_DEFAULT())
        guard attribute >= 0 else { return nil }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        let space = H5Aget_space(attribute)
        defer {
            H5Tclose(type)
            H5Sclose(space)
        }
        return body(HDF5Values(fileType: type, space: space) { H5Aread(attribute, $0, $1) })
    }

    /// A string attribute (the first element when it is an array).
    static func string(_ name: String, of object: hid_t) -> String? {
        withValues(name, of: object) { $0.strings()?.first }
    }

    /// A numeric attribute as doubles (e.g. a transformation's `vector`).
    static func doubles(_ name: String, of object: hid_t) -> [Double]? {
        withValues(name, of: object) { $0.doubles() }
    }
}

