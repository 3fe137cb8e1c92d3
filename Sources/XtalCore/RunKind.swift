/// What kind of collection a run is: serial crystallography (many crystals, a stream or
/// spot finding per image) or rotation MX (one crystal rotated, processed by autoPROC,
/// xia2, fast_dp, …).
public enum RunKind: String, Sendable, Codable, CaseIterable {
    case ssx
    case rotation
}
