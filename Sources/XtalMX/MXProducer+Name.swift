import XtalCore

extension MXProducer {
    /// The producer named by an AutoProcProgram's `processingPrograms`, or by the file's
    /// root element (EDNA wraps its container in `XSDataInput…`).
    static func named(_ programs: String?, ednaRoot: Bool) -> MXProducer {
        let name = (programs ?? "").lowercased()
        if name.contains("autoproc") { return .autoPROC }
        if name.contains("xia2") { return .xia2 }
        if name.contains("fast_dp") || name.contains("fast-dp") { return .fastDP }
        if name.contains("xdsme") { return .xdsme }
        if name.contains("edna") || name.contains("fastproc") || ednaRoot { return .edna }
        return .other
    }
}
