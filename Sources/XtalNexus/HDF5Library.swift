import CHDF5

/// Process-wide libhdf5 set-up and its error stack.
///
/// libhdf5 prints every failed call to stderr unless told not to; a metadata reader probes
/// for optional fields all the time, so printing is switched off once, and the messages of
/// a failure that matters are collected from the error stack instead (`lastErrorText`).
enum HDF5Library {
    /// Runs `H5open` and silences automatic error printing; evaluated once, thread-safely.
    static let ready: Bool = {
        _ = H5open()
        _ = H5Eset_auto2(xr_H5E_DEFAULT(), nil, nil)
        return true
    }()

    /// Call before any other libhdf5 call.
    @inline(__always) static func prepare() { _ = ready }

    /// The descriptions on the current error stack, innermost last, joined for a person to
    /// read (e.g. "unable to open file: file signature not found").
    static func lastErrorText() -> String {
        final class Messages { var items: [String] = [] }
        let messages = Messages()
        let context = Unmanaged.passUnretained(messages).toOpaque()
        _ = H5Ewalk2(xr_H5E_DEFAULT(), H5E_WALK_DOWNWARD, { _, error, data in
            guard let error, let data, let text = error.pointee.desc else { return 0 }
            let box = Unmanaged<Messages>.fromOpaque(data).takeUnretainedValue()
            let line = String(cString: text)
            if !line.isEmpty, box.items.last != line { box.items.append(line) }
            return 0
        }, context)
        _ = H5Eclear2(xr_H5E_DEFAULT())
        // The outermost messages ("unable to open file") say what, the inner ones why.
        return messages.items.prefix(3).joined(separator: ": ")
    }
}
