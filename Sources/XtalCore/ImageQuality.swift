/// Per-image spot-finding and quality figures of one scan, from Dozor or DIALS
/// (`../shared/docs/mx-results.md` §4–§6). What each producer gives is filled in; the
/// rest stays absent.
public struct ImageQualitySeries: Sendable, Codable, Equatable {
    public var file: String
    public var format: ImageQualityFormat
    /// The program and version, where the file says ("dozor 2.0.2").
    public var program: String?
    public var images: [ImageQuality] = []
    /// Dozor: rows that read "no results" (no powder-Wilson fit: no diffraction to fit).
    public var imagesWithoutResults = 0
    /// Dozor's radiation-damage mode: the half-dose times on the line after the table.
    public var halfDoseTimes: [Double]?
    /// Rows and records that could not be read (each left out, with file:line and why).
    public var issues: [IngestIssue] = []

    public init(file: String, format: ImageQualityFormat) {
        self.file = file
        self.format = format
    }
}

/// The per-image file formats read.
public enum ImageQualityFormat: String, Sendable, Codable {
    /// Dozor's standard output table, every version from 1.0.0 to 2.0.2.
    case dozorLog
    /// EDNA2's ControlDozor / image-quality-indicators JSON.
    case dozorJSON
    /// DIALS per-image analysis (dials.spot_counts_per_image json=, find_spots_server).
    case dialsPerImage
    /// EDNA's labelit/DISTL image quality indicators (XSDataInputStore[ListOf]ImageQualityIndicators XML).
    case ednaXML
}

/// One image's figures.
public struct ImageQuality: Sendable, Codable, Equatable {
    /// The image number in the scan (1-based, as the producer numbers it).
    public var imageNumber: Int
    /// Rotation angle (degrees), where given.
    public var angle: Double?
    /// Spots found (Dozor's "num.of", DIALS's n_spots_total).
    public var spots: Int?
    /// DIALS: spots outside ice rings, and within 4 Å.
    public var spotsNoIce: Int?
    public var spots4A: Int?
    /// Dozor: mean spot intensity, the spots' R-factor (2.0.2), their resolution (Å).
    public var spotsMeanIntensity: Double?
    public var spotsRFactor: Double?
    public var spotsResolution: Double?
    /// Dozor's powder-Wilson fit (absent on "no results" rows).
    public var wilsonScale: Double?
    public var wilsonBFactor: Double?
    public var wilsonResolution: Double?
    public var wilsonCorrelation: Double?
    public var wilsonRFactor: Double?
    /// Dozor's main score (the one score of versions before 1.3.8; ISPyB's dozor_score),
    /// spot score and visible resolution (Å).
    public var dozorScore: Double?
    public var dozorSpotScore: Double?
    public var visibleResolution: Double?
    /// DIALS: the resolution estimate (Å), the DISTL-style estimates and noisiness.
    public var estimatedDMin: Double?
    public var dMinDistlMethod1: Double?
    public var dMinDistlMethod2: Double?
    public var noisinessMethod1: Double?
    public var noisinessMethod2: Double?
    /// DIALS: summed spot intensity (ISPyB's totalIntegratedSignal).
    public var totalIntensity: Double?
    /// EDNA's labelit/DISTL indicators (ISPyB's columns of the same names): spots in the
    /// resolution range, ice rings, the largest cell the spots allow (Å), saturation of the
    /// 50 strongest peaks (%), overloaded spots, the bin-population cut-off resolution (Å).
    public var inResTotal: Int?
    public var iceRings: Int?
    public var maxUnitCell: Double?
    public var pctSaturationTop50Peaks: Double?
    public var inResolutionOvrlSpots: Int?
    public var binPopCutOffMethod2Res: Double?

    public init(imageNumber: Int) {
        self.imageNumber = imageNumber
    }

    /// The producer's resolution estimate (Å): Dozor's visible resolution, DIALS's
    /// estimated d_min, or DISTL's method-2 resolution.
    public var resolutionEstimate: Double? { visibleResolution ?? estimatedDMin ?? dMinDistlMethod2 }
}
