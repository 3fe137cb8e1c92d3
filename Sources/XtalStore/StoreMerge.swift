import XtalCore

extension StoreJob {
    /// One merged dataset to store: xtalreport's own merge or a peer's (partialator,
    /// process_hkl), written as ISPyB holds a merge of several runs (docs/store.md, "Merged
    /// datasets"): what ISPyB has columns for in its AutoProc tables, the rest in
    /// `XtalReportMergedDataset`.
    public struct Merge: Sendable {
        /// The dataset's name in the job (`A300`, `all-runs`, a manifest merge, `time-point-…`).
        public var dataset: String
        /// `xtalreport` for its own merge, else the peer program (`partialator`, `process_hkl`).
        public var producer: String
        public var commandLine: String?
        /// CrystFEL point group (stored as AutoProc.spaceGroup, which is what SSX merging knows).
        public var pointGroup: String?
        public var cell: UnitCell?
        /// Overall, inner and outer shell.
        public var tableOne: ScalingShells
        /// The runs it draws on (their DataCollections get one AutoProcIntegration each).
        public var runs: [String]
        /// The selection and what made it, as ProcessingJobParameter rows (DLS) and in the
        /// extension row: `time_points`, `laser`, `point_group`, `crystals`, ….
        public var parameters: [(key: String, value: String)]
        /// What ISPyB cannot hold (every shell, CC*, Rsplit, the accumulation, light − dark,
        /// lineage, checks), as JSON.
        public var details: String

        public init(
            dataset: String, producer: String, commandLine: String?, pointGroup: String?, cell: UnitCell?,
            tableOne: ScalingShells, runs: [String], parameters: [(key: String, value: String)], details: String
        ) {
            self.dataset = dataset
            self.producer = producer
            self.commandLine = commandLine
            self.pointGroup = pointGroup
            self.cell = cell
            self.tableOne = tableOne
            self.runs = runs
            self.parameters = parameters
            self.details = details
        }

        /// AutoProcProgram.processingPrograms: the producer; `xtalreport merge` for xtalreport's
        /// own (its per-run programs are `xtalreport`).
        var programs: String { producer == ProgramWriter.programName ? "xtalreport merge" : producer }
        /// AutoProcProgram.processingMessage, part of the key.
        var message: String { "merged dataset '\(dataset)'" }
    }
}

/// What was written for one merged dataset.
public struct StoredMerge: Sendable, Codable {
    public var dataset: String
    public var producer: String
    public var autoProcProgramId: Int64
    /// `created`, `updated` (inputs changed: rows replaced in place) or `unchanged`.
    public var how: String
}
