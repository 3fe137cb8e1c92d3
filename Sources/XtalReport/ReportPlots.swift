import XtalCore

/// The plots a recipe can name, each built from a `ReportScope` in a few lines.
enum ReportPlots {
    static let names = [
        "funnel", "runs", "cell-a", "cell-b", "cell-c", "cell-alpha", "cell-beta", "cell-gamma", "resolution", "peaks",
        "lattices", "rates",
    ] + TimeResolvedPlots.names + MergingPlots.names + RotationPlots.names

    /// The plot `name` for `scope`, or nil when the scope has nothing to show (e.g. rates of
    /// the experiment page). Unknown names are rejected by `ReportRecipe`.
    static func make(_ name: String, _ scope: ReportScope) -> PlotSpec? {
        let s = scope.statistics
        switch name {
        case "funnel":
            var spec = PlotSpec(
                title: "Where the images went", xLabel: "", yLabel: "",
                kind: .stacked(parts: [
                    StackedPart(label: "indexed", value: Double(s.indexedFrames), colour: PlotColour(hex: "#2e7d32")),
                    StackedPart(label: "non-indexed hits", value: Double(s.nonIndexedHits), colour: PlotColour(hex: "#a2cf4e")),
                    StackedPart(label: "skipped images", value: Double(s.skippedImages), colour: PlotColour(hex: "#c8c8c8")),
                ]))
            spec.width = 760
            spec.height = 160
            return spec
        case "runs":
            let runs = scope.runs
            let colours = runs.map { PlotColour.hitRate($0.statistics.hitRate) }
            return PlotSpec(
                title: "Hits and indexed frames per run", xLabel: "run", yLabel: "images",
                kind: .bars(
                    categories: runs.map(\.name),
                    series: [
                        BarSeries(name: "hits", values: runs.map { Double($0.statistics.hits) }, colours: colours),
                        BarSeries(
                            name: "indexed", values: runs.map { Double($0.statistics.indexedFrames) },
                            colours: colours.map { $0.darkened(by: 0.4) }),
                    ]))
        case "cell-a", "cell-b", "cell-c", "cell-alpha", "cell-beta", "cell-gamma":
            let parameter = String(name.dropFirst("cell-".count))
            guard let summary = s.cell.all.first(where: { $0.name == parameter })?.summary else { return nil }
            let isAngle = parameter.count > 1
            let unit = isAngle ? "°" : "Å"
            let symbol = ["alpha": "α", "beta": "β", "gamma": "γ"][parameter] ?? parameter
            return histogram(
                summary, title: "Unit cell \(symbol)", xLabel: "\(symbol) (\(unit))", unit: unit, colour: .accent)
        case "resolution":
            return histogram(
                s.resolutionLimit.distribution, title: "Resolution limit per crystal", xLabel: "resolution (Å)", unit: "Å",
                colour: PlotColour(hex: "#6a51a3"))
        case "peaks":
            return histogram(
                s.peaksPerFrame, title: "Peaks per frame", xLabel: "peaks", unit: "", colour: PlotColour(hex: "#e6842a"))
        case "lattices":
            let pairs = s.latticeCenterings.sorted { $0.value > $1.value }
            return PlotSpec(
                title: "Crystals per lattice type", xLabel: "lattice and centering", yLabel: "crystals",
                kind: .bars(
                    categories: pairs.map(\.key),
                    series: [BarSeries(name: "crystals", values: pairs.map { Double($0.value) }, colours: [.accent])]))
        case "rates":
            guard let rates = scope.run?.rates, !rates.start.isEmpty else { return nil }
            let x = rates.start.map { Double($0 + rates.window / 2) }
            var spec = PlotSpec(
                title: "Rates along the run (windows of \(rates.window) images)", xLabel: rates.axis == "stream order" ? "chunk (stream order)" : "image",
                yLabel: "% of images",
                kind: .lines(
                    series: [
                        LineSeries(name: "hit rate", x: x, y: rates.hitRate.map { $0 * 100 }, colour: PlotColour(hex: "#2e7d32")),
                        LineSeries(name: "indexed", x: x, y: rates.indexedRate.map { $0 * 100 }, colour: PlotColour(hex: "#3a6ea5")),
                    ], yRange: 0...100))
            spec.width = 1060
            return spec
        default:
            return TimeResolvedPlots.make(name, scope) ?? MergingPlots.make(name, scope) ?? RotationPlots.make(name, scope)
        }
    }

    private static func histogram(
        _ summary: DistributionSummary, title: String, xLabel: String, unit: String, colour: PlotColour
    ) -> PlotSpec {
        let marker = summary.median.map { PlotMarker(x: $0, label: "median = \(format($0))\(unit.isEmpty ? "" : " " + unit)") }
        return PlotSpec(
            title: title, xLabel: xLabel, yLabel: "count",
            kind: .histogram(
                edges: summary.histogram?.edges ?? [], counts: summary.histogram?.counts ?? [], colour: colour, marker: marker))
    }

    static func format(_ x: Double) -> String { String(format: "%.2f", x) }
}
