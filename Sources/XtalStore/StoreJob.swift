import XtalCore

/// What the store writes: the job's results plus the per-image tables of its runs.
public struct StoreJob {
    /// The experiment name; the idempotency key is `xtalreport:<experiment>`.
    public var experiment: String
    /// ISPyB visit, e.g. `mx2427-1`.
    public var visit: String?
    public var sample: SampleInfo?
    public var components: [String]
    /// Where attachment files (ssx_stats.json, ssx_cells.json) are written.
    public var outputDirectory: String
    public var summaryFile: String?
    public var commandLine: String
    public var runs: [Run]
    /// Merged datasets (StoreMerge.swift), each written in its own transaction after the runs.
    public var merges: [Merge] = []

    /// One run and what the store needs beyond its `RunResults`.
    public struct Run {
        public var results: RunResults
        public var images: ImageTable?
        public var crystals: CrystalTable?
        /// 0-based frame index per row of `images` (ImageQualityIndicators.imageNumber = index + 1).
        public var frameIndex: [Int]?
        /// The NXmx master file (image directory and file template for matching).
        public var master: String?
        /// The manifest's `data_collection_id`.
        public var dataCollectionId: Int?
        /// The run's event chain (written with the collections it creates).
        public var eventChain: EventChain?
        /// The run's per-image quality files (Dozor, DIALS), image by image.
        public var imageQuality: [ImageQualitySeries] = []

        public init(
            results: RunResults, images: ImageTable?, crystals: CrystalTable?, frameIndex: [Int]?, master: String?,
            dataCollectionId: Int?, eventChain: EventChain?
        ) {
            self.results = results
            self.images = images
            self.crystals = crystals
            self.frameIndex = frameIndex
            self.master = master
            self.dataCollectionId = dataCollectionId
            self.eventChain = eventChain
        }
    }

    public init(
        experiment: String, visit: String?, sample: SampleInfo?, components: [String], outputDirectory: String,
        summaryFile: String?, commandLine: String, runs: [Run]
    ) {
        self.experiment = experiment
        self.visit = visit
        self.sample = sample
        self.components = components
        self.outputDirectory = outputDirectory
        self.summaryFile = summaryFile
        self.commandLine = commandLine
        self.runs = runs
    }

    /// The idempotency key stored with every program (`processingEnvironment`) and run row:
    /// `xtalreport:EXPERIMENT`. A name that would not survive the column as it is (over
    /// 255 characters with the prefix, or characters outside Latin-1, which latin1 tables
    /// store as `?`) is shortened to its first 200 characters, outside Latin-1 as `?`, with
    /// a hash of the whole name appended (`~` and 8 hex digits): the key fits the column and
    /// two experiments never share it ("lyso 🧪" and "lyso 🔬" stay apart).
    public var jobName: String {
        let plain = "xtalreport:" + experiment
        if plain.unicodeScalars.count <= 255, experiment.unicodeScalars.allSatisfy({ $0.value <= 0xFF }) { return plain }
        let latin1 = String(String.UnicodeScalarView(experiment.unicodeScalars.prefix(200).map { $0.value <= 0xFF ? $0 : "?" }))
        return "xtalreport:" + latin1 + "~" + FileStem.hash(experiment)
    }
}

/// How the store behaves.
public struct StoreOptions: Sendable {
    /// Create DataCollectionGroup/DataCollection/SSXDataCollection/EventChain rows for runs
    /// that match none (always on for the SQLite store, which has no acquisition side).
    public var createCollections = false
    /// Write ImageQualityIndicators rows.
    public var perImage = true
    /// Rows per multi-row INSERT of the per-image quality files (Dozor, DIALS); the stream's
    /// per-image rows go through `SQLConnection.insertRows`.
    public var batchSize = 500
    /// Test hook: fail inside the transaction of this run, after its rows were written.
    public var failInRun: String?
    /// Test hook: seconds to pause inside each run's transaction after its DataCollection
    /// was looked for (and not yet created): widens the window in which two jobs race.
    /// The CLI sets it from `XTALREPORT_TEST_STORE_PAUSE`.
    public var pauseAfterFind: Double = 0

    public init() {}
}

/// What was written.
public struct StoreReport: Sendable, Codable {
    public var target: String
    public var flavour: ISPyBFlavour
    public var runs: [StoredRun]
    public var notes: [String]

    /// One run's rows.
    public struct StoredRun: Sendable, Codable {
        public var name: String
        public var dataCollectionId: Int64
        /// How the DataCollection was found: `manifest id`, `matched …`, `created`.
        public var link: String
        public var autoProcProgramId: Int64
        public var imageRows: Int
        /// The per-image rows were already in the store as this run would write them, and
        /// were left alone.
        public var imageRowsUnchanged = false
        /// Wall seconds spent writing the run's per-image rows (for `run --timings`).
        public var imageRowSeconds = 0.0
        public var updated: Bool
        /// Processing results (ISPyB XML, fast_dp.json, …) written as AutoProc rows; those
        /// stored by an earlier run of the job are not counted.
        public var processingResults = 0
    }

    /// The merged datasets written.
    public var merges: [StoredMerge] = []
}
