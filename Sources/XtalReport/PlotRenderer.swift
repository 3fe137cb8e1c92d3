import Foundation

/// Draws any `PlotSpec`: title, axes with ticks, labels and units, the series, markers and a
/// legend, at `scale` × the spec's CSS size.
public enum PlotRenderer {
    /// Device pixels per CSS pixel (2 = sharp on high-density screens).
    public static let scale = 2.0

    /// The plot area inside the margins, in CSS pixels.
    struct Frame {
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    public static func render(_ spec: PlotSpec) -> (width: Int, height: Int, rgba: [UInt8]) {
        let canvas = PlotCanvas(width: spec.width, height: spec.height, scale: scale)
        canvas.text(spec.title, x: Double(spec.width) / 2, y: 20, size: 13, bold: true, anchor: .middle)
        let frame = Frame(left: 66, top: 34, right: Double(spec.width) - 18, bottom: Double(spec.height) - 50)
        switch spec.kind {
        case .histogram(let edges, let counts, let colour, let marker):
            drawHistogram(canvas, frame, spec, edges: edges, counts: counts, colour: colour, marker: marker)
        case .bars(let categories, let series):
            drawBars(canvas, frame, spec, categories: categories, series: series)
        case .stacked(let parts):
            drawStacked(canvas, spec, parts: parts)
        case .lines(let series, let yRange):
            drawLines(canvas, frame, spec, series: series, yRange: yRange)
        }
        let image = canvas.rgba()
        return (image.width, image.height, image.bytes)
    }

    // MARK: Axes

    /// Draws the y axis (0…maximum or the given range) with grid lines; returns the mapping.
    private static func yAxis(
        _ canvas: PlotCanvas, _ frame: Frame, _ spec: PlotSpec, low: Double, high: Double, counts: Bool = false
    ) -> (Double) -> Double {
        let map = { (v: Double) in frame.bottom - (v - low) / (high - low) * frame.height }
        for tick in AxisTicks.ticks(from: low, to: high, target: 5, integers: counts) {
            let y = map(tick)
            canvas.line(from: (frame.left, y), to: (frame.right, y), colour: PlotColour(hex: "#e6e6e6"))
            canvas.text(AxisTicks.label(tick), x: frame.left - 6, y: y + 4, size: 10, anchor: .end)
        }
        canvas.line(from: (frame.left, frame.top), to: (frame.left, frame.bottom), colour: .grey)
        canvas.text(spec.yLabel, x: 16, y: (frame.top + frame.bottom) / 2, size: 11, anchor: .middle, rotated: true)
        return map
    }

    private static func xAxisLine(_ canvas: PlotCanvas, _ frame: Frame, _ spec: PlotSpec) {
        canvas.line(from: (frame.left, frame.bottom), to: (frame.right, frame.bottom), colour: .grey)
        canvas.text(spec.xLabel, x: (frame.left + frame.right) / 2, y: Double(spec.height) - 10, size: 11, anchor: .middle)
    }

    private static func numericXAxis(_ canvas: PlotCanvas, _ frame: Frame, low: Double, high: Double) -> (Double) -> Double {
        let map = { (v: Double) in frame.left + (v - low) / (high - low) * frame.width }
        for tick in AxisTicks.ticks(from: low, to: high, target: 6) {
            let x = map(tick)
            canvas.line(from: (x, frame.bottom), to: (x, frame.bottom + 4), colour: .grey)
            canvas.text(AxisTicks.label(tick), x: x, y: frame.bottom + 16, size: 10, anchor: .middle)
        }
        return map
    }

    // MARK: Kinds

    private static func drawHistogram(
        _ canvas: PlotCanvas, _ frame: Frame, _ spec: PlotSpec, edges: [Double], counts: [Int], colour: PlotColour,
        marker: PlotMarker?
    ) {
        guard let lowEdge = edges.first, var highEdge = edges.last, !counts.isEmpty else {
            noData(canvas, spec)
            return
        }
        if highEdge <= lowEdge { highEdge = lowEdge + 1 }
        let yMap = yAxis(canvas, frame, spec, low: 0, high: AxisTicks.niceMaximum(Double(counts.max() ?? 1)), counts: true)
        let xMap = numericXAxis(canvas, frame, low: lowEdge, high: highEdge)
        for (i, count) in counts.enumerated() where count > 0 && i + 1 < edges.count {
            let x0 = xMap(edges[i])
            let x1 = xMap(edges[i + 1])
            canvas.fill(x: x0, y: yMap(Double(count)), width: max(0.5, x1 - x0 - 0.5), height: frame.bottom - yMap(Double(count)), colour: colour)
        }
        xAxisLine(canvas, frame, spec)
        if let marker, marker.x >= lowEdge, marker.x <= highEdge {
            let x = xMap(marker.x)
            canvas.line(from: (x, frame.top), to: (x, frame.bottom), colour: marker.colour, width: 1.5, dash: true)
            let rightHalf = x > (frame.left + frame.right) / 2
            canvas.text(marker.label, x: x + (rightHalf ? -4 : 4), y: frame.top + 12, size: 10, anchor: rightHalf ? .end : .start, colour: marker.colour)
        }
    }

    private static func drawBars(_ canvas: PlotCanvas, _ frame: Frame, _ spec: PlotSpec, categories: [String], series: [BarSeries]) {
        guard !categories.isEmpty, !series.isEmpty else {
            noData(canvas, spec)
            return
        }
        let maximum = series.flatMap(\.values).max() ?? 1
        let yMap = yAxis(canvas, frame, spec, low: 0, high: AxisTicks.niceMaximum(maximum), counts: true)
        let group = frame.width / Double(categories.count)
        let barWidth = group * 0.8 / Double(series.count)
        let labelEvery = max(1, Int((Double(categories.count) * 44 / frame.width).rounded(.up)))
        for (c, category) in categories.enumerated() {
            let groupLeft = frame.left + Double(c) * group + group * 0.1
            for (s, bars) in series.enumerated() where c < bars.values.count {
                let value = bars.values[c]
                let colour = bars.colours.isEmpty ? PlotColour.accent : bars.colours[min(c, bars.colours.count - 1)]
                canvas.fill(x: groupLeft + Double(s) * barWidth, y: yMap(value), width: barWidth - 1, height: frame.bottom - yMap(value), colour: colour)
            }
            if c % labelEvery == 0 {
                canvas.text(category, x: frame.left + (Double(c) + 0.5) * group, y: frame.bottom + 16, size: 10, anchor: .middle)
            }
        }
        xAxisLine(canvas, frame, spec)
        if series.count > 1 {
            legend(canvas, frame, series.map { ($0.name, $0.colours.first ?? .accent) })
        }
    }

    private static func drawStacked(_ canvas: PlotCanvas, _ spec: PlotSpec, parts: [StackedPart]) {
        let total = parts.reduce(0) { $0 + $1.value }
        guard total > 0 else {
            noData(canvas, spec)
            return
        }
        let left = 20.0
        let right = Double(spec.width) - 20
        let top = 40.0
        let barHeight = 34.0
        var x = left
        for part in parts {
            let w = part.value / total * (right - left)
            canvas.fill(x: x, y: top, width: w, height: barHeight, colour: part.colour)
            x += w
        }
        // Legend rows under the bar: colour, label, count and share.
        var y = top + barHeight + 26
        for part in parts {
            canvas.fill(x: left, y: y - 10, width: 12, height: 12, colour: part.colour)
            let share = String(format: "%.1f", part.value / total * 100)
            canvas.text("\(part.label): \(AxisTicks.label(part.value)) (\(share) %)", x: left + 18, y: y, size: 11)
            y += 20
        }
    }

    private static func drawLines(
        _ canvas: PlotCanvas, _ frame: Frame, _ spec: PlotSpec, series: [LineSeries], yRange: ClosedRange<Double>?
    ) {
        let xs = series.flatMap(\.x)
        guard let xLow = xs.min(), let xHigh = xs.max(), xHigh > xLow else {
            noData(canvas, spec)
            return
        }
        let range = yRange ?? 0...AxisTicks.niceMaximum(series.flatMap(\.y).max() ?? 1)
        let yMap = yAxis(canvas, frame, spec, low: range.lowerBound, high: range.upperBound)
        let xMap = numericXAxis(canvas, frame, low: xLow, high: xHigh)
        for line in series {
            canvas.polyline(zip(line.x, line.y).map { (xMap($0), yMap(min(range.upperBound, max(range.lowerBound, $1)))) }, colour: line.colour)
        }
        xAxisLine(canvas, frame, spec)
        legend(canvas, frame, series.map { ($0.name, $0.colour) }, lowerLeft: spec.legendLowerLeft)
    }

    private static func legend(_ canvas: PlotCanvas, _ frame: Frame, _ entries: [(String, PlotColour)], lowerLeft: Bool = false) {
        let width = (entries.map { canvas.textWidth($0.0, size: 10) }.max() ?? 0) + 24
        let height = Double(entries.count) * 16
        var y = lowerLeft ? frame.bottom - height - 6 : frame.top + 6
        let x = lowerLeft ? frame.left + 10 : frame.right - width
        canvas.fill(x: x - 4, y: y - 4, width: width + 2, height: height + 4, colour: PlotColour(red: 1, green: 1, blue: 1))
        for (name, colour) in entries {
            canvas.fill(x: x, y: y, width: 10, height: 10, colour: colour)
            canvas.text(name, x: x + 15, y: y + 9, size: 10)
            y += 16
        }
    }

    private static func noData(_ canvas: PlotCanvas, _ spec: PlotSpec) {
        canvas.text("no data", x: Double(spec.width) / 2, y: Double(spec.height) / 2, size: 12, anchor: .middle, colour: .grey)
    }
}
