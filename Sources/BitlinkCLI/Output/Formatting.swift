import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// Human and machine renderings of values. Machine forms are base units and RFC 3339;
/// human forms are for terminals only and may change between releases.
public enum Format {
    /// RFC 3339 UTC with `Z`: `2026-11-23T23:45:00Z`.
    public static func rfc3339(_ unix: Int64) -> String { RFC3339.format(unix) }

    /// Parses `2026-11-23T23:45:00Z` (and `+00:00`, or a date alone) back to Unix seconds.
    public static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes.count >= 10, bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
            let day = number(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var offset = 0
        if bytes.count > 10 {
            guard bytes.count >= 20, bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32,
                let h = number(11, 2), bytes[13] == 58, let m = number(14, 2), bytes[16] == 58, let s = number(17, 2),
                h < 24, m < 60, s < 61
            else { return nil }
            (hour, minute, second) = (h, m, s)
            var index = 19
            if index < bytes.count, bytes[index] == 46 {  // fractional seconds, ignored
                index += 1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == 90 || bytes[index] == 122 {
                guard index + 1 == bytes.count else { return nil }
            } else if bytes[index] == 43 || bytes[index] == 45, index + 6 == bytes.count,
                let oh = number(index + 1, 2), bytes[index + 3] == 58, let om = number(index + 4, 2)
            {
                offset = (oh * 3600 + om * 60) * (bytes[index] == 43 ? 1 : -1)
            } else {
                return nil
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int64(timegm(&parts)) - Int64(offset)
    }

    /// `98.4 TH/s` from H/s.
    public static func hashrate(_ hs: Double?) -> String {
        guard let hs, hs.isFinite else { return "-" }
        let units = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"]
        var value = hs
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return "\(decimal(value, places: value < 10 ? 2 : 1)) \(units[unit])"
    }

    /// A fixed number of decimal places without Foundation.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if places == 0 { return String(Int64(rounded)) }
        let negative = rounded < 0
        let magnitude = abs(rounded)
        let whole = Int64(magnitude)
        var fraction = String(Int64(((magnitude - Double(whole)) * scale).rounded()))
        if fraction.count < places { fraction = String(repeating: "0", count: places - fraction.count) + fraction }
        if fraction.count > places {  // rounding carried into the whole part
            return (negative ? "-" : "") + String(whole + 1) + "." + String(repeating: "0", count: places)
        }
        return (negative ? "-" : "") + String(whole) + "." + fraction
    }

    public static func temperature(_ celsius: Double?) -> String {
        guard let celsius else { return "-" }
        return "\(decimal(celsius, places: 0))°C"
    }

    public static func power(_ watts: Double?) -> String {
        guard let watts else { return "-" }
        return "\(decimal(watts, places: 0)) W"
    }

    /// `3d 4h`, `2h 5m`, `45s`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "-" }
        let total = Int64(seconds)
        let days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60, secs = total % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(secs)s" }
        return "\(secs)s"
    }

    /// `3m ago`, `never`.
    public static func ago(_ unix: Int64?, now: Int64) -> String {
        guard let unix else { return "never" }
        let delta = max(0, now - unix)
        if delta < 5 { return "just now" }
        return duration(Double(delta)) + " ago"
    }

    /// Plain number for TSV: integers without a fraction, others as Swift prints them.
    public static func raw(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == value.rounded(.towardZero), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    public static func raw(_ value: Int?) -> String { value.map(String.init) ?? "" }
    public static func raw(_ value: Int64?) -> String { value.map(String.init) ?? "" }
    public static func rawTime(_ unix: Int64?) -> String { unix.map(rfc3339) ?? "" }
}
