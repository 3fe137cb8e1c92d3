import Foundation
import XtalCore

/// Parses the ISO 8601 variants found in master files: `…Z`, no zone (DLS I04 2019; taken
/// as UTC and flagged), `+00:00` offsets, `T` or space separator, 0–9 fractional digits
/// (shared/docs/nexus-nxmx.md §4 item 6).
enum NexusTimestamp {
    static func parse(_ text: String, path: String) -> MetadataTime? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= bytes.count else { return nil }
            var value = 0
            for b in bytes[i..<(i + digits)] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            i += digits
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            i < bytes.count, bytes[i] == 84 || bytes[i] == 32
        else { return nil }
        i += 1
        guard let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = ""
        if i < bytes.count, bytes[i] == 46 {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                fraction.append(Character(UnicodeScalar(bytes[i])))
                i += 1
            }
        }
        var offsetSeconds = 0
        var hasZone = false
        if i < bytes.count {
            if bytes[i] == 90 || bytes[i] == 122 {  // Z
                hasZone = true
                i += 1
            } else if bytes[i] == 43 || bytes[i] == 45 {  // + or -
                let sign = bytes[i] == 45 ? -1 : 1
                i += 1
                guard let h = number(2) else { return nil }
                _ = expect(58)
                let m = number(2) ?? 0
                offsetSeconds = sign * (h * 3600 + m * 60)
                hasZone = true
            }
        }
        guard i == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let whole = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let fractionValue = fraction.isEmpty ? 0 : (Double("0." + fraction) ?? 0)
        return MetadataTime(
            text: text, utc: format(epoch: whole, fraction: fraction), epochSeconds: Double(whole) + fractionValue,
            hasZone: hasZone, path: path)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DDThh:mm:ss[.fraction]Z` for whole seconds since the epoch.
    static func format(epoch: Int, fraction: String) -> String {
        let days = epoch >= 0 ? epoch / 86_400 : (epoch - 86_399) / 86_400
        let seconds = epoch - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if !fraction.isEmpty { text += "." + fraction }
        return text + "Z"
    }
}
