/// What merging could not do, with the reason a user can act on.
public enum MergeError: Error, CustomStringConvertible, Sendable {
    case badCell(String)
    case unknownPointGroup(String)
    case badReflectionList(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .badCell(let why): return "unusable unit cell: \(why)"
        case .unknownPointGroup(let name):
            return "unknown point group '\(name)' (CrystFEL's names: \(PointGroup.baseNames.joined(separator: " ")), optionally with _uaa/_uab/_uac)"
        case .badReflectionList(let file, let line, let reason): return "\(file):\(line): \(reason)"
        }
    }
}
