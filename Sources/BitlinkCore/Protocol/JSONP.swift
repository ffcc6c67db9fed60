/// JSONP replies: `callback({...});`. Avalon web CGIs (`get_minerinfo.cgi`,
/// `updatedashboard.cgi`) answer this way (protocols.md section 3.3), with the usual
/// firmware sloppiness inside (`"sys_status":"1", }` in
/// `Tests/Fixtures/avalon/A1047_web-cgi_foreman/http_get_minerinfo.cgi.txt`).
public enum JSONP {
    /// The callback name and the bytes between the parentheses of the first call.
    /// - Throws: `.empty`, `.invalid` (no `name(`), `.truncated` (no closing `)`).
    public static func unwrap(_ bytes: [UInt8]) throws(ProtocolError) -> (callback: String, body: ArraySlice<UInt8>) {
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { throw .empty }
        var cursor = start
        while cursor < bytes.count, isIdentifierByte(bytes[cursor]) { cursor += 1 }
        guard cursor > start else { throw .invalid("JSONP starts with a callback name", offset: start) }
        let callback = String(decoding: bytes[start..<cursor], as: UTF8.self)
        while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        guard cursor < bytes.count else { throw .truncated(offset: bytes.count) }
        guard bytes[cursor] == UInt8(ascii: "(") else { throw .invalid("expected '(' after the callback name", offset: cursor) }
        var end = bytes.count
        if let nul = bytes.firstIndex(of: 0) { end = nul }
        // Find the parenthesis that closes this call: skip strings, balance brackets.
        // Avalon appends more calls (`DashboardCallback({...}); UpdatePageCallback({...});`).
        var depth = 0
        var inString = false
        var position = cursor + 1
        var close: Int?
        while position < end {
            let byte = bytes[position]
            if inString {
                if byte == UInt8(ascii: "\\") { position += 2; continue }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: ")"):
                    if depth == 0 { close = position } else { depth -= 1 }
                default: break
                }
                if close != nil { break }
            }
            position += 1
        }
        guard let close else { throw .truncated(offset: end) }
        // Only `;`, whitespace and further calls may follow.
        var after = close + 1
        while after < end, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ";")].contains(bytes[after]) { after += 1 }
        if after < end, !isIdentifierByte(bytes[after]) {
            throw .invalid("unexpected data after the JSONP call", offset: after)
        }
        return (callback, bytes[(cursor + 1)..<close])
    }

    /// Unwraps and parses the JSON inside (leniently, see `JSONParser`).
    public static func parse(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> (callback: String, value: JSONValue) {
        let unwrapped = try unwrap(bytes)
        return (unwrapped.callback, try JSONParser.parse(unwrapped.body, salvage: salvage))
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || byte == UInt8(ascii: ".")
    }
}
