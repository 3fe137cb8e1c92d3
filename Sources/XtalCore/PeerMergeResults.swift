/// A merge another program made (partialator, process_hkl; check_hkl and compare_hkl on its
/// lists), read from the files it wrote, with the checks of what went into it against
/// xtalreport's per-image table. It sits beside xtalreport's own merge of the same
/// selection (`dataset`); the two differ where the models differ, so what the checks flag
/// is a difference in what went in (frames, crystals, selection).
public struct PeerMergeResults: Sendable, Codable, Equatable {
    /// The xtalreport merged dataset (a manifest `merges[]` name) this merge is of.
    public var dataset: String
    /// The program that merged (`partialator`, `process_hkl`), its version and command line
    /// (from the notes at the end of its `.hkl`), and its model (`--model`).
    public var program: String
    public var version: String?
    public var commandLine: String?
    public var model: String?
    /// The point group of its list (`Symmetry:` line).
    public var pointGroup: String?
    /// The custom-split dataset name the merged list is of (partialator's `Writing dataset 'NAME'`).
    public var peerDataset: String?
    public var files: [PeerMergeFile]
    /// Crystals the peer put in this list, rejected crystals counted as it counts them.
    public var crystals: Int?
    /// Crystals the peer rejected, by its flag names (from its log; for the whole merge).
    public var crystalsRejected: [String: Int]
    /// The frames (`FILENAME EVENT`) of the crystals its `--unmerged-output` flags.
    public var flaggedFrames: [String] = []
    /// Table 1 as ISPyB holds it: overall, inner and outer shell (check_hkl's figures, CC½
    /// from compare_hkl; values the files do not give stay nil).
    public var table1: ScalingShells
    /// check_hkl's shells (CC½ in a shell where compare_hkl's shell has the same limits).
    public var shells: [ShellStatistics]
    public var ccStar: Double?
    public var rSplitPercent: Double?
    /// Two of the peer's lists compared (light against dark, against a reference).
    public var comparisons: [PeerListComparison]
    public var checks: [MergeCheck]
    public var issues: [IngestIssue]

    public init(dataset: String, program: String) {
        self.dataset = dataset
        self.program = program
        files = []
        crystalsRejected = [:]
        table1 = ScalingShells()
        shells = []
        comparisons = []
        checks = []
        issues = []
    }

    /// Whether every check that could be made passed.
    public var checksPass: Bool { !checks.contains { $0.verdict == .failed } }
}

/// One file of a peer's merge: what it is and whether it was used.
public struct PeerMergeFile: Sendable, Codable, Equatable {
    public var path: String
    /// `merged list`, `half-set`, `partialator log`, `custom split`, `check_hkl shells`,
    /// `check_hkl output`, `compare_hkl shells`, `compare_hkl output`, `partialator harvest`.
    public var role: String
    /// Why it was not used (another list's figures, unreadable, …); nil when used.
    public var notUsed: String?

    public init(path: String, role: String, notUsed: String? = nil) {
        self.path = path
        self.role = role
        self.notUsed = notUsed
    }
}

/// compare_hkl on two of a peer's lists other than the half-sets.
public struct PeerListComparison: Sendable, Codable, Equatable {
    public var first: String
    public var second: String
    /// compare_hkl's figure name (`CC`, `R1(I)`, `Rsplit`, …) and overall value (R in %).
    public var figure: String
    public var value: Double
    public var pairs: Int?

    public init(first: String, second: String, figure: String, value: Double, pairs: Int?) {
        self.first = first
        self.second = second
        self.figure = figure
        self.value = value
        self.pairs = pairs
    }
}

/// A check of what went into a merge, with its verdict and the numbers behind it.
public struct MergeCheck: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable { case passed, failed, notChecked = "not checked" }

    /// Short name: `custom split frames`, `custom split datasets`, `crystals`, ….
    public var name: String
    public var verdict: Verdict
    /// What was compared and what was found, in words a user can act on.
    public var detail: String

    public init(name: String, verdict: Verdict, detail: String) {
        self.name = name
        self.verdict = verdict
        self.detail = detail
    }
}
