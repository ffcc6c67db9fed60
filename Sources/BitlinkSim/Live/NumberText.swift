/// Reading and writing numbers the way the capture wrote them (same number of decimals),
/// so an edited reply keeps the firmware's formatting.
enum NumberText {
    /// The value and its decimals, or nil when the text is not a plain decimal number
    /// (exponents, `nan`, empty strings are left alone).
    static func parse(_ bytes: ArraySlice<UInt8>) -> (value: Double, decimals: Int)? {
        guard !bytes.isEmpty else { return nil }
        var decimals = 0
        var seenPoint = false
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if seenPoint { decimals += 1 }
            case UInt8(ascii: "."):
                if seenPoint { return nil }
                seenPoint = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if offset != 0 { return nil }
            default:
                return nil
            }
        }
        guard digits > 0, let value = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return (value, decimals)
    }

    /// Fixed-point formatting without Foundation.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        if decimals == 0 || value.magnitude >= 1e15 { return String(Int64(value.rounded())) }
        let places = min(decimals, 8)
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((value.magnitude * Double(scale)).rounded())
        let whole = scaled / scale
        var fraction = String(scaled % scale)
        while fraction.count < places { fraction = "0" + fraction }
        if decimals > places { fraction += String(repeating: "0", count: decimals - places) }
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + "." + fraction
    }
}
