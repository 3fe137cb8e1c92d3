/// What one rotation-MX processing program concluded about a dataset: space group, cell,
/// the merging statistics of its shells, the integrations (sweeps) it used, the program
/// and its files. Read from any of the producers' formats (`MXResultFormat`); the same
/// dataset written as ISPyB XML, fast_dp.json or xia2.txt gives the same values where the
/// formats carry them.
public struct ProcessingResult: Sendable, Codable, Equatable {
    /// The file it was read from.
    public var file: String
    public var format: MXResultFormat
    /// The pipeline that wrote it, from the program name (units depend on it).
    public var producer: MXProducer
    public var program: ProcessingProgram?
    public var attachments: [ProcessingAttachment] = []
    public var spaceGroup: String?
    public var cell: UnitCell?
    /// Å, where the producer states it (autoPROC, XDSME, xia2.txt).
    public var wavelength: Double?
    /// One per distinct scaling. autoPROC repeats the same statistics once per sweep:
    /// those repeats are one scaling here, with every sweep's integration.
    public var scalings: [Scaling] = []
    /// Unit conversions made on reading, in words (e.g. "rMerge: EDNA_proc writes percent; divided by 100").
    public var normalisations: [String] = []
    /// Values that could not be read, with file:line and the reason; the rest of the file is kept.
    public var issues: [IngestIssue] = []

    public init(file: String, format: MXResultFormat, producer: MXProducer) {
        self.file = file
        self.format = format
        self.producer = producer
    }

    /// The statistics of the first scaling (what a summary table shows).
    public var statistics: ScalingShells? { scalings.first?.shells }
}

/// One scaling: its shells and the integrations it merged.
public struct Scaling: Sendable, Codable, Equatable {
    /// The dataset (xia2: `project/crystal/wavelength`), where the producer names it.
    public var dataset: String?
    /// "YYYY-MM-DD HH:MM:SS" as written.
    public var recordTimeStamp: String?
    public var shells = ScalingShells()
    public var integrations: [Integration] = []
    /// STARANISO's resolution ellipsoid: axes (row-major 3×3) and the limits along them (Å).
    public var ellipsoidAxes: [Double]?
    public var ellipsoidLimits: [Double]?
    /// Every resolution bin, low to high resolution, where the producer gives them (iotbx's
    /// merging statistics); `shells` then holds the overall row and the first and last bin.
    public var resolutionBins: [ShellStatistics]?
    /// Figures the producer gives that ISPyB has no column for, by the producer's name,
    /// overall / inner / outer where it gives three (xia2: "Wilson B factor", "dF/F").
    public var otherFigures: [String: [Double]] = [:]

    public init() {}
}

/// One integrated sweep.
public struct Integration: Sendable, Codable, Equatable {
    /// ISPyB's DataCollection id, when the producer looked it up (EDNA, ESRF).
    public var dataCollectionId: Int?
    /// The first image's file name and folder, when it did not (autoPROC, xia2, fast_dp).
    public var imageFileName: String?
    public var imageFileLocation: String?
    public var startImageNumber: Int?
    public var endImageNumber: Int?
    /// mm.
    public var refinedDetectorDistance: Double?
    /// As written: mm for most producers, pixels in some autoPROC files (mx-results.md §1.5).
    public var refinedXBeam: Double?
    public var refinedYBeam: Double?
    public var rotationAxis: [Double]?
    public var beamVector: [Double]?
    public var cell: UnitCell?
    public var anomalous: Bool?

    public init() {}
}

/// Unit cell lengths (Å) and angles (degrees).
public struct UnitCell: Sendable, Codable, Equatable {
    public var a, b, c, alpha, beta, gamma: Double

    public init(a: Double, b: Double, c: Double, alpha: Double, beta: Double, gamma: Double) {
        (self.a, self.b, self.c, self.alpha, self.beta, self.gamma) = (a, b, c, alpha, beta, gamma)
    }

    /// A cell from six values in that order, or nil when there are not six.
    public init?(_ values: [Double]) {
        guard values.count == 6 else { return nil }
        self.init(a: values[0], b: values[1], c: values[2], alpha: values[3], beta: values[4], gamma: values[5])
    }
}

/// ISPyB's AutoProcProgram: what ran, how it ended.
public struct ProcessingProgram: Sendable, Codable, Equatable {
    /// Program name and version as written ("autoPROC 1.1.7 (…)", "xia2", "EDNA_proc").
    public var programs: String?
    public var commandLine: String?
    /// As written: "1", "SUCCESS", "FAILED".
    public var status: String?
    public var message: String?
    public var startTime: String?
    public var endTime: String?
    public var environment: String?

    public init() {}
}

/// A file the program wrote (ISPyB's AutoProcProgramAttachment).
public struct ProcessingAttachment: Sendable, Codable, Equatable {
    /// Log, Result, Graph, Debug or Input.
    public var fileType: String?
    public var fileName: String?
    /// The folder.
    public var filePath: String?

    public init(fileType: String? = nil, fileName: String? = nil, filePath: String? = nil) {
        self.fileType = fileType
        self.fileName = fileName
        self.filePath = filePath
    }
}

/// The file formats processing results are read from.
public enum MXResultFormat: String, Sendable, Codable {
    /// AutoProcContainer XML (autoPROC, xia2, fast_dp, EDNA_proc, XDSME).
    case ispybXML
    /// fast_dp's `fast_dp.json`.
    case fastDPJSON
    /// xia2's summary text, `xia2.txt`.
    case xia2Text
    /// xia2's short summary, `xia2-summary.dat`.
    case xia2Summary
    /// `xia2.ispyb_json`'s `ispyb.json`: the AutoProcContainer as JSON.
    case xia2ISPyBJSON
    /// `xia2.json`, the serialised xia2 project (its scaler's statistics, space group, cell).
    case xia2JSON
    /// iotbx's merging statistics (`dataset_statistics.as_json()`: xia2's
    /// `LogFiles/*_merging-statistics.json`), every resolution bin.
    case iotbxMergingStatistics
    /// `dials.merge.json` / `dials.merge.<group>.json` (xia2.ssx_reduce): iotbx merging
    /// statistics under each wavelength.
    case dialsMergeJSON
    /// The Table 1 text dials.merge / dials.scale / xia2.ssx_reduce print.
    case dialsTableOne
}

/// The pipelines whose unit conventions differ (mx-results.md §1.3).
public enum MXProducer: String, Sendable, Codable {
    case autoPROC
    case xia2
    case fastDP = "fast_dp"
    /// ESRF's EDNA_proc, and the older EDNA/fastproc files: Rmerge in percent.
    case edna = "EDNA"
    case xdsme = "XDSME"
    case dials = "DIALS"
    case other
}
