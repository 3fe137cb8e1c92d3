import Foundation

/// Dataset names for time points: short, without spaces (partialator's custom-split takes
/// the last space-separated token as the dataset and names its output `merged-<name>.hkl`),
/// e.g. `dark`, `light_10us`, `light_1.5ms`, `dose_2`, `t_250ms`.
public enum TimePointLabel {
    /// `light_<delay>`, or `light` when the delay is unknown.
    public static func light(delay: Double?) -> String {
        delay.map { "light_" + duration($0) } ?? "light"
    }

    /// `dark`, or `dark_dose_<k+1>` in a dose series.
    public static func dark(dosePoint k: Int, shotsPerPosition: Int) -> String {
        shotsPerPosition > 1 ? "dark_dose_\(k + 1)" : "dark"
    }

    /// `dose_<k+1>` (1-based, like xia2's `dose_series_repeat` groups).
    public static func dose(_ k: Int) -> String { "dose_\(k + 1)" }

    /// `t_<time>` for a reaction time.
    public static func reaction(time: Double?) -> String {
        time.map { "t_" + duration($0) } ?? "t_unknown"
    }

    /// A duration with a unit that keeps the number small: `10us`, `1.5ms`, `500ms`, `2s`,
    /// `minus5us` for negative values; at most four significant digits.
    public static func duration(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        let (scale, unit): (Double, String) =
            magnitude == 0 ? (1, "s")
            : magnitude < 1e-6 ? (1e9, "ns")
            : magnitude < 1e-3 ? (1e6, "us")
            : magnitude < 1 ? (1e3, "ms")
            : (1, "s")
        let value = magnitude * scale
        var text = String(format: "%.4g", value)
        if text.contains("e") { text = String(format: "%.0f", value) }
        return (seconds < 0 ? "minus" : "") + text + unit
    }
}
