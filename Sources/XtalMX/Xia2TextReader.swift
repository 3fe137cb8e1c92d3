import Foundation
import XtalCore

/// Reads xia2's summaries: `xia2.txt` (the full Table 1 per dataset, space group, cell,
/// program version and command line) and `xia2-summary.dat` (the short form). Table rows
/// are `name<TAB>overall<TAB>low<TAB>high`, with xia2's statistic names mapped onto
/// ISPyB's fields as xia2's own ISPyB writer maps them (mx-results.md §1.3: Rmerge(I+/-)
/// → rMerge, Rmeas(I) → rMeasAllIPlusIMinus, Rmeas(I+/-) → rMeasWithinIPlusIMinus, …).
/// Rows ISPyB has no column for (Wilson B factor, Anomalous slope, dF/F, …) are kept in
/// `otherFigures`. Each dataset's table is one scaling.
public enum Xia2TextReader {
    public static func read(path: String) throws -> ProcessingResult {
        try read(data: MXFileData.load(path, largest: ISPyBXMLReader.largestFile), path: path)
    }

    static let fields: [String: SendableField<ShellStatistics, Double?>] = [
        "High resolution limit": \.resolutionLimitHigh, "Low resolution limit": \.resolutionLimitLow,
        "Completeness": \.completeness, "Multiplicity": \.multiplicity, "I/sigma": \.meanIOverSigI,
        "Rmerge": \.rMerge, "Rmerge(I+/-)": \.rMerge,
        "Rmeas(I)": \.rMeasAllIPlusIMinus, "Rmeas(I+/-)": \.rMeasWithinIPlusIMinus,
        "Rpim(I)": \.rPimAllIPlusIMinus, "Rpim(I+/-)": \.rPimWithinIPlusIMinus,
        "CC half": \.ccHalf, "Anomalous correlation": \.ccAnomalous,
        "Partial bias": \.fractionalPartialBias, "Partial Bias": \.fractionalPartialBias,
        "Anomalous completeness": \.anomalousCompleteness, "Anomalous multiplicity": \.anomalousMultiplicity,
    ]
    static let counts: [String: SendableField<ShellStatistics, Int?>] = [
        "Total observations": \.nTotalObservations, "Total unique": \.nTotalUniqueObservations,
    ]

    public static func read(data: Data, path: String) throws -> ProcessingResult {
        let lines = MXFileData.lines(data)
        let summary = lines.contains { $0.hasPrefix("Spacegroup: ") || $0.hasPrefix("Cell: ") }
        guard summary || lines.contains(where: { versionLine($0) != nil || $0.hasPrefix("Command line: xia2") }) else {
            throw MXReadError.notThisFormat(path: path, reason: "no xia2 version, command line, space group or cell line")
        }
        var values = ResultValues(file: path)
        var result = ProcessingResult(file: path, format: summary ? .xia2Summary : .xia2Text, producer: .xia2)
        var program = ProcessingProgram()
        var scaling: Scaling?
        var integration = Integration()
        var index = 0
        func finishTable() {
            if let done = scaling { result.scalings.append(done) }
            scaling = nil
        }
        while index < lines.count {
            let line = lines[index]
            let number = index + 1
            index += 1
            if line.hasPrefix("For ") {
                finishTable()
                var table = Scaling()
                table.dataset = String(line.dropFirst(4)).trimmingCharacters(in: CharacterSet(charactersIn: ": "))
                scaling = table
                continue
            }
            if var table = scaling {
                if let (name, cells) = tableRow(line) {
                    readRow(name, cells, into: &table, line: number, &values)
                    scaling = table
                    continue
                }
                finishTable()
            }
            if let version = versionLine(line), program.programs == nil {
                program.programs = "xia2 " + version
            } else if line.hasPrefix("Command line: ") {
                program.commandLine = String(line.dropFirst("Command line: ".count))
            } else if line.hasPrefix("Spacegroup: ") || line.hasPrefix("Assuming spacegroup: ") {
                result.spaceGroup = ResultValues.string(String(line.split(separator: ":", maxSplits: 1)[1]))
            } else if line.hasPrefix("Cell: ") {
                result.cell = cellValues(line.dropFirst(6), line: number, &values)
            } else if line == "Unit cell:", index + 1 < lines.count {
                result.cell = cellValues(lines[index] + " " + lines[index + 1], line: index + 1, &values)
                index += 2
            } else if line.hasPrefix("Wavelength: "), let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close {
                result.wavelength = values.double(String(line[line.index(after: open)..<close]), "Wavelength", line: number)
            } else if line.hasPrefix("Wavelength "), !line.hasPrefix("Wavelength name") {
                result.wavelength = values.double(String(line.dropFirst("Wavelength ".count)), "Wavelength", line: number)
            } else if line.hasPrefix("Images: ") || line.hasPrefix("IMAGES (USER) ") {
                let parts = line.split(separator: " ").compactMap { Int($0) }
                if parts.count == 2 { (integration.startImageNumber, integration.endImageNumber) = (parts[0], parts[1]) }
            } else if line.hasPrefix("Files ") || line.hasPrefix("TEMPLATE ") {
                let file = String(line.drop { $0 != " " }.dropFirst())
                let url = URL(fileURLWithPath: file)
                integration.imageFileName = file.contains("/") ? url.lastPathComponent : file
                if file.contains("/") { integration.imageFileLocation = url.deletingLastPathComponent().path }
            } else if line.hasPrefix("DIRECTORY ") {
                integration.imageFileLocation = String(line.dropFirst("DIRECTORY ".count))
            } else if line.hasPrefix("Distance "), let after = line.range(of: "=> ") {
                integration.refinedDetectorDistance = values.double(String(line[after.upperBound...]), "Distance", line: number)
            } else if line.hasPrefix("Beam "), let after = line.range(of: "=> ") {
                let beam = line[after.upperBound...].split(separator: " ").map { values.double(String($0), "Beam", line: number) }
                if beam.count == 2, let x = beam[0], let y = beam[1] { (integration.refinedXBeam, integration.refinedYBeam) = (x, y) }
            }
        }
        finishTable()
        if result.scalings.isEmpty { values.note("no statistics table ('For …' followed by tab-separated rows)", line: lines.count) }
        if program.programs == nil { program.programs = "xia2" }
        result.program = program
        if integration != Integration() {
            integration.cell = nil
            for s in result.scalings.indices { result.scalings[s].integrations = [integration] }
        }
        result.normalisations = UnitRules.normalise(&result)
        result.issues = values.issues
        return result
    }

    /// The version of a line `XIA2 0.3.6.3` or `xia2 3.10.2` (not `XIA2 used...`).
    static func versionLine(_ line: Substring) -> String? {
        guard line.hasPrefix("XIA2 ") || line.hasPrefix("xia2 ") else { return nil }
        let version = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
        guard let first = version.first, first.isNumber, !version.contains(" ") else { return nil }
        return version
    }

    /// `name<TAB>value…`: the name and the value cells, or nil for any other line.
    static func tableRow(_ line: Substring) -> (String, [String])? {
        let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard cells.count >= 2 else { return nil }
        let name = cells[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return (name, cells.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
    }

    static func readRow(_ name: String, _ cells: [String], into table: inout Scaling, line: Int, _ values: inout ResultValues) {
        let kinds: [ShellKind] = [.overall, .innerShell, .outerShell]
        if let field = fields[name] {
            for (kind, cell) in zip(kinds, cells) {
                var shell = table.shells[kind] ?? ShellStatistics()
                shell[keyPath: field] = values.double(cell, name, line: line)
                table.shells[kind] = shell
            }
        } else if let field = counts[name] {
            for (kind, cell) in zip(kinds, cells) {
                var shell = table.shells[kind] ?? ShellStatistics()
                shell[keyPath: field] = values.int(cell, name, line: line)
                table.shells[kind] = shell
            }
        } else {
            let numbers = cells.compactMap { values.double($0, name, line: line) }
            if !numbers.isEmpty { table.otherFigures[name] = numbers }
        }
    }

    static func cellValues(_ text: Substring, line: Int, _ values: inout ResultValues) -> UnitCell? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { values.double(String($0), "cell", line: line) }
        guard parts.count == 6, !parts.contains(where: { $0 == nil }) else {
            values.note("a cell needs six numbers: '\(text.prefix(80))'", line: line)
            return nil
        }
        return UnitCell(parts.map { $0! })
    }
}
