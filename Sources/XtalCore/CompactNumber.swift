import Foundation

/// Numbers for people: `significant` digits, no trailing zeros (0.9801122, 134.255, 2.7e+11),
/// shared by `inspect`, the report's tables and plot ticks.
public enum CompactNumber {
    public static func text(_ x: Double, significant: Int = 7) -> String {
        var text = String(format: "%.\(significant)g", x)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
