/// The merging statistics of one resolution shell as ISPyB stores them
/// (`AutoProcScalingStatistics`; field names are the XML elements of
/// `../shared/docs/mx-results.md` §1.2). Every value is optional: producers write different
/// subsets (fast_dp has no Rpim, xia2 may have no Rmerge, old EDNA no CC½).
///
/// Units after reading: resolution limits in Å; R factors, CC½ and CC_anom as fractions;
/// completeness in %. Values a producer writes in other units are converted on reading
/// and the conversion is recorded in `ProcessingResult.normalisations`.
public struct ShellStatistics: Sendable, Codable, Equatable {
    public var resolutionLimitLow: Double?
    public var resolutionLimitHigh: Double?
    public var rMerge: Double?
    public var rMeasWithinIPlusIMinus: Double?
    public var rMeasAllIPlusIMinus: Double?
    public var rPimWithinIPlusIMinus: Double?
    public var rPimAllIPlusIMinus: Double?
    public var fractionalPartialBias: Double?
    public var nTotalObservations: Int?
    public var nTotalUniqueObservations: Int?
    public var meanIOverSigI: Double?
    public var completeness: Double?
    public var multiplicity: Double?
    public var anomalousCompleteness: Double?
    public var anomalousMultiplicity: Double?
    public var anomalous: Bool?
    public var ccHalf: Double?
    public var ccAnomalous: Double?
    /// autoPROC's and XDSME's ⟨|ΔF|/σ(ΔF)⟩ (not an ISPyB column at DLS).
    public var danoOverSigDano: Double?
    /// STARANISO's completeness figures (ESRF schema only).
    public var completenessSpherical: Double?
    public var completenessEllipsoidal: Double?
    public var anomalousCompletenessSpherical: Double?
    public var anomalousCompletenessEllipsoidal: Double?
    /// EDNA's sigAno and ISa (text columns of the ESRF schema, kept as read).
    public var sigAno: String?
    public var isa: String?
    public var comments: String?

    public init() {}
}

/// Which shell a row describes: ISPyB's `scalingStatisticsType`.
public enum ShellKind: String, Sendable, Codable, CaseIterable {
    case overall
    case innerShell
    case outerShell
}

/// The three shells of one scaling.
public struct ScalingShells: Sendable, Codable, Equatable {
    public var overall: ShellStatistics?
    public var innerShell: ShellStatistics?
    public var outerShell: ShellStatistics?

    public init(overall: ShellStatistics? = nil, innerShell: ShellStatistics? = nil, outerShell: ShellStatistics? = nil) {
        self.overall = overall
        self.innerShell = innerShell
        self.outerShell = outerShell
    }

    public subscript(kind: ShellKind) -> ShellStatistics? {
        get {
            switch kind {
            case .overall: overall
            case .innerShell: innerShell
            case .outerShell: outerShell
            }
        }
        set {
            switch kind {
            case .overall: overall = newValue
            case .innerShell: innerShell = newValue
            case .outerShell: outerShell = newValue
            }
        }
    }
}
