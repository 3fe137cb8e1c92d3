/// A plot described as data (series, axes, annotations), separate from drawing it: a new
/// plot is a `PlotSpec` built in a few lines; `PlotRenderer` draws any of them.
public struct PlotSpec: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Size in CSS pixels; the PNG is rendered at `PlotRenderer.scale` times this.
    public var width = 520
    public var height = 320
    public var kind: Kind
    /// Draw the legend in the lower left corner instead of the upper right (for lines that
    /// run along the top, such as correlations near 1).
    public var legendLowerLeft = false

    public enum Kind: Sendable {
        /// Bins with counts; an optional vertical marker (e.g. the median) with its label.
        case histogram(edges: [Double], counts: [Int], colour: PlotColour, marker: PlotMarker?)
        /// Categories on x, one or more bar series side by side, each bar its own colour.
        case bars(categories: [String], series: [BarSeries])
        /// One horizontal bar split into parts (a funnel: indexed / non-indexed hits / skipped).
        case stacked(parts: [StackedPart])
        /// Lines through (x, y) points; `yRange` fixes the y axis (e.g. 0…100 %).
        case lines(series: [LineSeries], yRange: ClosedRange<Double>?)
    }

    public init(title: String, xLabel: String, yLabel: String, kind: Kind) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.kind = kind
    }
}

/// An sRGB colour.
public struct PlotColour: Sendable, Equatable {
    public var red: Double
    public var green: Double
    public var blue: Double

    /// From `#rrggbb`.
    public init(hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let value = Int(digits, radix: 16) ?? 0
        red = Double((value >> 16) & 0xFF) / 255
        green = Double((value >> 8) & 0xFF) / 255
        blue = Double(value & 0xFF) / 255
    }

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// The same hue, each channel scaled by `1 − fraction`.
    public func darkened(by fraction: Double) -> PlotColour {
        PlotColour(red: red * (1 - fraction), green: green * (1 - fraction), blue: blue * (1 - fraction))
    }

    public var hex: String {
        func byte(_ v: Double) -> String {
            let b = Int((max(0, min(1, v)) * 255).rounded())
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    public static let accent = PlotColour(hex: "#3a6ea5")
    public static let marker = PlotColour(hex: "#d62728")
    public static let grey = PlotColour(hex: "#9a9a9a")

    /// py-ISPyB UI hit-rate colours: ≥ 30 % green, ≥ 10 % light green, ≥ 2 % amber, else red
    /// (shared/docs/reports.md §1.7).
    public static func hitRate(_ rate: Double?) -> PlotColour {
        let percent = (rate ?? 0) * 100
        if percent >= 30 { return PlotColour(hex: "#71db44") }
        if percent >= 10 { return PlotColour(hex: "#a2cf4e") }
        if percent >= 2 { return PlotColour(hex: "#edc132") }
        return PlotColour(hex: "#c9483e")
    }
}

/// A vertical line at `x` with a label, e.g. "median = 79.10 Å".
public struct PlotMarker: Sendable {
    public var x: Double
    public var label: String
    public var colour: PlotColour = .marker

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

public struct BarSeries: Sendable {
    public var name: String
    public var values: [Double]
    /// One colour per bar (or one for all).
    public var colours: [PlotColour]

    public init(name: String, values: [Double], colours: [PlotColour]) {
        self.name = name
        self.values = values
        self.colours = colours
    }
}

public struct StackedPart: Sendable {
    public var label: String
    public var value: Double
    public var colour: PlotColour

    public init(label: String, value: Double, colour: PlotColour) {
        self.label = label
        self.value = value
        self.colour = colour
    }
}

public struct LineSeries: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var colour: PlotColour

    public init(name: String, x: [Double], y: [Double], colour: PlotColour) {
        self.name = name
        self.x = x
        self.y = y
        self.colour = colour
    }
}
