import Foundation
import XtalCore

/// Reads ISPyB "AutoProcContainer" XML, as autoPROC, xia2, fast_dp, EDNA_proc and XDSME
/// write it (`../shared/docs/mx-results.md` §1), by the rules of its §1.5:
///
/// - both roots (`AutoProcContainer`, or EDNA's `XSDataInput…` wrapper around it), elements
///   in any order and number, unknown elements ignored, tag names without case
///   (`refinedXBeam`/`refinedXbeam`, `nTotalUniqueObservations`/`ntotalUniqueObservations`),
///   `ccAnomalous` or the datamodel's `ccAno`;
/// - autoPROC's multi-sweep files (the same statistics in one scaling container per sweep)
///   become one scaling holding every sweep's integration;
/// - units by producer, not by magnitude: EDNA's Rmerge is in percent; a CC½ or CC_anom
///   above 1 is in percent. Each conversion is listed in `normalisations`.
public enum ISPyBXMLReader {
    /// Result files are small; a larger file is refused before it is parsed.
    public static let largestFile = 256 << 20

    /// One result per AutoProcContainer in the file.
    public static func read(path: String) throws -> [ProcessingResult] {
        try read(data: MXFileData.load(path, largest: largestFile), path: path)
    }

    public static func read(data: Data, path: String) throws -> [ProcessingResult] {
        let root: XMLNode
        do {
            root = try XMLNode.parse(data)
        } catch let error as XMLNode.ParseError {
            throw MXReadError.unreadable(path: path, reason: "not well-formed XML at line \(error.line): \(error.reason)")
        }
        let containers: [XMLNode]
        if root.name == "AutoProcContainer" {
            containers = [root]
        } else {
            containers = root.all("AutoProcContainer")
            guard !containers.isEmpty else {
                throw MXReadError.notThisFormat(path: path, reason: "no AutoProcContainer element (root is <\(root.name)>)")
            }
        }
        let ednaRoot = root.name.hasPrefix("XSDataInput")
        return containers.map { container in
            var reader = ContainerReader(values: ResultValues(file: path))
            return reader.read(container, path: path, ednaRoot: ednaRoot)
        }
    }

    /// xia2's `ispyb.json` (`xia2.ispyb_json`): the same container as JSON, read by the
    /// same rules (its singular `processingProgram` included).
    public static func read(ispybJSON object: [String: Any], path: String) -> ProcessingResult {
        var reader = ContainerReader(values: ResultValues(file: path))
        var result = reader.read(XMLNode.fromJSON(object, name: "AutoProcContainer"), path: path, ednaRoot: false)
        result.format = .xia2ISPyBJSON
        if result.producer == .other { result.producer = .xia2 }
        return result
    }

    private struct ContainerReader {
        var values: ResultValues

        mutating func read(_ container: XMLNode, path: String, ednaRoot: Bool) -> ProcessingResult {
            let programNode = container.first("AutoProcProgramContainer")
            let program = programNode?.first("AutoProcProgram").map { readProgram($0) }
            var result = ProcessingResult(
                file: path, format: .ispybXML, producer: MXProducer.named(program?.programs, ednaRoot: ednaRoot))
            result.program = program
            result.attachments = (programNode?.all("AutoProcProgramAttachment") ?? []).map { node in
                ProcessingAttachment(
                    fileType: text(node, "fileType"), fileName: text(node, "fileName"), filePath: text(node, "filePath"))
            }
            let autoProcs = container.all("AutoProc")
            let described = autoProcs.map { node in (node, text(node, "spaceGroup"), cell(node, prefix: "refinedCell_")) }
            if let (first, spaceGroup, firstCell) = described.first {
                result.spaceGroup = spaceGroup
                result.cell = firstCell
                result.wavelength = number(first, "wavelength")
                if let other = described.first(where: { $0.1 != spaceGroup || $0.2 != firstCell }) {
                    values.note(
                        "\(autoProcs.count) AutoProc blocks give different space groups or cells; the first (line \(first.line)) is used",
                        line: other.0.line)
                }
            }
            for node in container.all("AutoProcScalingContainer") {
                let scaling = readScaling(node)
                // autoPROC writes the same statistics once per sweep: one scaling, every integration.
                if let same = result.scalings.firstIndex(where: {
                    $0.shells == scaling.shells && $0.ellipsoidAxes == scaling.ellipsoidAxes && $0.ellipsoidLimits == scaling.ellipsoidLimits
                }) {
                    result.scalings[same].integrations += scaling.integrations
                } else {
                    result.scalings.append(scaling)
                }
            }
            if result.scalings.isEmpty { values.note("no AutoProcScalingContainer: no statistics", line: container.line) }
            result.normalisations = UnitRules.normalise(&result)
            result.issues = values.issues
            return result
        }

        mutating func readProgram(_ node: XMLNode) -> ProcessingProgram {
            var program = ProcessingProgram()
            program.programs = text(node, "processingPrograms") ?? text(node, "processingProgram")
            program.commandLine = text(node, "processingCommandLine")
            program.status = text(node, "processingStatus")
            program.message = text(node, "processingMessage")
            program.startTime = text(node, "processingStartTime")
            program.endTime = text(node, "processingEndTime")
            program.environment = text(node, "processingEnvironment")
            return program
        }

        mutating func readScaling(_ node: XMLNode) -> Scaling {
            var scaling = Scaling()
            if let header = node.first("AutoProcScaling") {
                scaling.recordTimeStamp = text(header, "recordTimeStamp")
                readEllipsoid(header, into: &scaling)
            }
            for statistics in node.all("AutoProcScalingStatistics") {
                let typeText = text(statistics, "scalingStatisticsType") ?? ""
                guard let kind = ShellKind.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(typeText) == .orderedSame }) else {
                    values.note(
                        "AutoProcScalingStatistics with scalingStatisticsType '\(typeText.prefix(40))' (not overall, innerShell or outerShell); left out",
                        line: statistics.line, kind: .malformedLine)
                    continue
                }
                if scaling.shells[kind] != nil {
                    values.note("a second \(kind.rawValue) in one scaling container; the first is kept", line: statistics.line)
                    continue
                }
                scaling.shells[kind] = readShell(statistics)
            }
            scaling.integrations = node.all("AutoProcIntegrationContainer").map { readIntegration($0) }
            return scaling
        }

        mutating func readShell(_ node: XMLNode) -> ShellStatistics {
            var shell = ShellStatistics()
            for (name, field) in Self.shellNumbers {
                if let value = number(node, name) { shell[keyPath: field] = value }
            }
            shell.ccAnomalous = number(node, "ccAnomalous") ?? number(node, "ccAno")
            shell.nTotalObservations = whole(node, "nTotalObservations")
            shell.nTotalUniqueObservations = whole(node, "nTotalUniqueObservations")
            shell.anomalous = flag(node, "anomalous")
            shell.sigAno = text(node, "sigAno")
            shell.isa = text(node, "isa")
            shell.comments = text(node, "comments")
            return shell
        }

        static let shellNumbers: [(String, SendableField<ShellStatistics, Double?>)] = [
            ("resolutionLimitLow", \.resolutionLimitLow), ("resolutionLimitHigh", \.resolutionLimitHigh),
            ("rMerge", \.rMerge), ("rMeasWithinIPlusIMinus", \.rMeasWithinIPlusIMinus),
            ("rMeasAllIPlusIMinus", \.rMeasAllIPlusIMinus), ("rPimWithinIPlusIMinus", \.rPimWithinIPlusIMinus),
            ("rPimAllIPlusIMinus", \.rPimAllIPlusIMinus), ("fractionalPartialBias", \.fractionalPartialBias),
            ("meanIOverSigI", \.meanIOverSigI), ("completeness", \.completeness), ("multiplicity", \.multiplicity),
            ("anomalousCompleteness", \.anomalousCompleteness), ("anomalousMultiplicity", \.anomalousMultiplicity),
            ("ccHalf", \.ccHalf), ("DanoOverSigDano", \.danoOverSigDano),
            ("completenessSpherical", \.completenessSpherical), ("completenessEllipsoidal", \.completenessEllipsoidal),
            ("anomalousCompletenessSpherical", \.anomalousCompletenessSpherical),
            ("anomalousCompletenessEllipsoidal", \.anomalousCompletenessEllipsoidal),
        ]

        /// STARANISO's ellipsoid: flat tags in AutoProcScaling (autoPROC ≥ 2024) or the EDNA
        /// datamodel's nested `StaranisoEllipsoid`.
        mutating func readEllipsoid(_ header: XMLNode, into scaling: inout Scaling) {
            let indices = ["11", "12", "13", "21", "22", "23", "31", "32", "33"]
            var axes = indices.compactMap { number(header, "resolutionEllipsoidAxis" + $0) }
            var limits = ["1", "2", "3"].compactMap { number(header, "resolutionEllipsoidValue" + $0) }
            if let nested = header.first("StaranisoEllipsoid") {
                if let matrix = nested.first("StaranisoEllipsoidRotationMatrix") {
                    axes = indices.compactMap { number(matrix, "StaranisoEllipsoidRotationMatrix" + $0) }
                }
                if let eigen = nested.first("StaranisoEllipsoidEigenvalues") {
                    limits = ["1", "2", "3"].compactMap { number(eigen, "StaranisoEllipsoidEigenvalue" + $0) }
                }
            }
            if axes.count == 9 { scaling.ellipsoidAxes = axes }
            if limits.count == 3 { scaling.ellipsoidLimits = limits }
        }

        mutating func readIntegration(_ node: XMLNode) -> Integration {
            var integration = Integration()
            if let image = node.first("Image") {
                integration.dataCollectionId = whole(image, "dataCollectionId")
                integration.imageFileName = text(image, "fileName")
                integration.imageFileLocation = text(image, "fileLocation")
            }
            guard let fields = node.first("AutoProcIntegration") else {
                values.note("AutoProcIntegrationContainer without AutoProcIntegration", line: node.line)
                return integration
            }
            integration.startImageNumber = whole(fields, "startImageNumber")
            integration.endImageNumber = whole(fields, "endImageNumber")
            integration.refinedDetectorDistance = number(fields, "refinedDetectorDistance")
            integration.refinedXBeam = number(fields, "refinedXBeam")
            integration.refinedYBeam = number(fields, "refinedYBeam")
            integration.rotationAxis = vector(fields, "rotationAxis")
            integration.beamVector = vector(fields, "beamVector")
            integration.cell = cell(fields, prefix: "cell_")
            integration.anomalous = flag(fields, "anomalous")
            return integration
        }

        // MARK: Values

        func text(_ node: XMLNode, _ name: String) -> String? {
            node.first(name).flatMap { ResultValues.string($0.value) }
        }

        mutating func number(_ node: XMLNode, _ name: String) -> Double? {
            node.first(name).flatMap { values.double($0.value, name, line: $0.line) }
        }

        mutating func whole(_ node: XMLNode, _ name: String) -> Int? {
            node.first(name).flatMap { values.int($0.value, name, line: $0.line) }
        }

        mutating func flag(_ node: XMLNode, _ name: String) -> Bool? {
            node.first(name).flatMap { values.bool($0.value, name, line: $0.line) }
        }

        mutating func vector(_ node: XMLNode, _ prefix: String) -> [Double]? {
            let parts = ["X", "Y", "Z"].map { number(node, prefix + $0) }
            return parts.contains(where: { $0 == nil }) ? nil : parts.map { $0! }
        }

        mutating func cell(_ node: XMLNode, prefix: String) -> UnitCell? {
            let parts = ["a", "b", "c", "alpha", "beta", "gamma"].map { number(node, prefix + $0) }
            return parts.contains(where: { $0 == nil }) ? nil : UnitCell(parts.map { $0! })
        }
    }
}
