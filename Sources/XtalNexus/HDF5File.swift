import CHDF5
import Foundation
import XtalCore

/// An HDF5 file open read-only, navigated by absolute paths.
///
/// Paths that may dangle (external links to absent data or `_meta.h5` files) or whose
/// intermediate groups may be missing are walked one component at a time, because
/// `H5Lexists` fails rather than answering "no" for them (shared/docs/nexus-nxmx.md §5.5).
final class HDF5File {
    let id: hid_t
    let path: String

    /// Opens `path`; external links and VDS sources resolve relative to its folder.
    init(readingAt path: String) throws(NexusError) {
        HDF5Library.prepare()
        self.path = path
        if let reason = RawPath.unreadableReason(path) { throw .unreadable(path: path, reason: reason.lowercased()) }
        if RawPath.isDirectory(path) { throw .unreadable(path: path, reason: "is a directory") }
        let signature = RawPath.withCString(path) { H5Fis_hdf5($0) }
        if signature == 0 { throw .notHDF5(path: path) }
        // Strong close: no object of this file outlives `deinit`.
        let access = H5Pcreate(xr_H5P_FILE_ACCESS())
        defer { H5Pclose(access) }
        _ = H5Pset_fclose_degree(access, H5F_CLOSE_STRONG)
        let file = RawPath.withCString(path) { H5Fopen($0, xr_H5F_ACC_RDONLY(), access) }
        guard file >= 0 else { throw .corrupt(path: path, detail: HDF5Library.lastErrorText()) }
        id = file
    }

    deinit { H5Fclose(id) }

    /// What a path names.
    enum Entry: Equatable {
        case absent
        case group
        case dataset
        /// A link whose target cannot be reached (external file or object missing).
        case dangling(file: String?, object: String?)
    }

    /// Where an external link points.
    struct ExternalTarget: Equatable {
        var file: String
        var object: String
    }

    /// Looks `path` up without failing on missing intermediates or dangling links.
    func entry(_ path: String) -> Entry {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if H5Lexists(id, prefix, xr_H5P_DEFAULT()) <= 0 { return .absent }
            let type = xr_object_type(id, prefix)
            if type < 0 {
                let target = externalTarget(prefix)
                return .dangling(file: target?.file, object: target?.object)
            }
        }
        switch xr_object_type(id, prefix.isEmpty ? "/" : prefix) {
        case Int32(H5O_TYPE_GROUP.rawValue): return .group
        case Int32(H5O_TYPE_DATASET.rawValue): return .dataset
        default: return .absent
        }
    }

    /// The target of `path` when it is an external link.
    func externalTarget(_ path: String) -> ExternalTarget? {
        guard xr_link_type(id, path) == Int32(H5L_TYPE_EXTERNAL.rawValue) else { return nil }
        let size = xr_link_value_size(id, path)
        guard size > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: size)
        guard H5Lget_val(id, path, &buffer, size, xr_H5P_DEFAULT()) >= 0 else { return nil }
        var flags: UInt32 = 0
        var file: UnsafePointer<CChar>?
        var object: UnsafePointer<CChar>?
        guard H5Lunpack_elink_val(&buffer, size, &flags, &file, &object) >= 0, let file, let object else { return nil }
        return ExternalTarget(file: String(cString: file), object: String(cString: object))
    }

    /// Names of the links in the group at `path` (not followed), in name order.
    func childNames(_ path: String) -> [String] {
        guard entry(path) == .group else { return [] }
        let group = H5Gopen2(id, path, xr_H5P_DEFAULT())
        guard group >= 0 else { return [] }
        defer { H5Gclose(group) }
        let collected = LinkNames()
        let context = Unmanaged.passUnretained(collected).toOpaque()
        let status = xr_link_names(group, { context, name in
            guard let context, let name, name.pointee != 0 else { return }
            Unmanaged<LinkNames>.fromOpaque(context).takeUnretainedValue().names.append(String(cString: name))
        }, context)
        withExtendedLifetime(collected) {}
        _ = status  // a failed iteration keeps the names read before it, as a partial listing
        return collected.names
    }

    /// The dataset at `path`, or nil when it is absent, dangling or a group.
    func dataset(_ path: String) -> HDF5Dataset? {
        guard entry(path) == .dataset else { return nil }
        let dataset = H5Dopen2(id, path, xr_H5P_DEFAULT())
        return dataset >= 0 ? HDF5Dataset(id: dataset, path: path) : nil
    }

    /// A string attribute of the object at `path` ("" = the root group).
    func stringAttribute(_ name: String, of path: String) -> String? {
        withObject(path) { HDF5Attribute.string(name, of: $0) }
    }

    private func withObject<T>(_ path: String, _ body: (hid_t) -> T?) -> T? {
        let target = path.isEmpty ? "/" : path
        if target != "/" {
            switch entry(target) {
            case .group, .dataset: break
            default: return nil
            }
        }
        let object = H5Oopen(id, target, xr_H5P_DEFAULT())
        guard object >= 0 else { return nil }
        defer { H5Oclose(object) }
        return body(object)
    }
}

/// The names `childNames` collects through libhdf5's iteration callback.
private final class LinkNames {
    var names: [String] = []
}
