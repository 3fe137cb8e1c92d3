import Foundation
import XtalCore

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10ⁿ covering a range with about `target` ticks.
enum AxisTicks {
    /// With `integers`, steps are whole numbers (count axes).
    static func ticks(from low: Double, to high: Double, target: Int = 6, integers: Bool = false) -> [Double] {
        guard low.isFinite, high.isFinite, high > low else { return [low] }
        let raw = (high - low) / Double(max(1, target))
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integers { step = max(1, step.rounded(.up)) }
        var ticks: [Double] = []
        var value = ceil(low / step - 1e-9) * step
        while value <= high + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// A rounded upper bound for counts (the y axis of bars and histograms).
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        if value < 5 { return value.rounded(.down) + 1 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where factor * magnitude >= value * 1.04 {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// Tick label: no trailing zeros, thousands kept readable.
    static func label(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return CompactNumber.text(value, significant: 4)
    }
}
