/// The Avalon "MM ID" telemetry string: `Key[value]` tokens separated by spaces, from
/// `stats`/`estats` `STATS[n]["MM ID0"]` (protocols.md section 3.3).
///
/// - Values may contain spaces (`SYSTEMSTATU[Work: In Work, Hash Board: 3 ]`) or be
///   space-separated lists (`MGHS[59459.52 61407.83 63139.66]`, `PVT_T0[ 66  65 ...]`).
/// - Keys may contain spaces (`Nonce Mask[25]`); pyasic's `(\w+)\[` misses those, this does not.
/// - Avalon Q (fw 25052801+) wraps the tokens in a named group: `"MM ID0:Summary"` is
///   `'STATS':{Ver[...] ... }` and `"HBinfo"` is `'HB0':{PVT_T0[...] ...}` (see `groups(in:)`).
/// - A cut string (the Mini 3 capture is truncated) keeps its complete tokens and sets
///   `isTruncated`.
public struct AvalonMMID: Sendable, Equatable {
    /// One `Key[value]` token.
    public struct Field: Sendable, Equatable {
        /// The name before `[` (may contain spaces: `Nonce Mask`).
        public var key: String
        /// The raw text between the brackets.
        public var value: String

        /// A token from its parts.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The tokens in order. Keys repeat rarely; lookups take the first.
    public var fields: [Field]
    /// True when the text ended inside a token (no closing `]`).
    public var isTruncated: Bool

    /// A parsed string from its parts.
    public init(fields: [Field] = [], isTruncated: Bool = false) {
        self.fields = fields
        self.isTruncated = isTruncated
    }

    /// The raw value of a key (`"Work: In Work, Hash Board: 3 "` for `SYSTEMSTATU`).
    public subscript(key: String) -> String? {
        fields.first(where: { $0.key == key })?.value
    }

    /// A single number: `GHSspd[2630.98]` -> 2630.98; a trailing `%` is dropped
    /// (`FanR[41%]` -> 41). Nil when absent or not numeric.
    public func number(_ key: String) -> Double? {
        guard let raw = self[key] else { return nil }
        var text = raw.trimmingASCIISpaces()
        if text.hasSuffix("%") { text.removeLast() }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A space-separated list of numbers (`MGHS[59459.52 61407.83]`, `PVT_T0[ 66  65 ]`);
    /// tokens that are not numbers are skipped.
    public func numbers(_ key: String) -> [Double] {
        guard let raw = self[key] else { return [] }
        return raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { token in
            var text = Substring(token)
            if text.hasSuffix("%") { text = text.dropLast() }
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
    }

    /// Reads `Key[value]` tokens. A named group wrapper (`'STATS':{...}`) is unwrapped.
    public static func parse(_ text: String) -> AvalonMMID {
        let groups = groups(in: text)
        if groups.count == 1 { return groups[0].fields }
        var merged = AvalonMMID()
        for group in groups {
            merged.fields.append(contentsOf: group.fields.fields)
            merged.isTruncated = merged.isTruncated || group.fields.isTruncated
        }
        return merged
    }

    /// Reads named groups: `'HB0':{PVT_T0[...] MW0[...]} 'HB1':{...}` gives one entry per
    /// group. Text without a group wrapper is one group named `""`.
    public static func groups(in text: String) -> [(name: String, fields: AvalonMMID)] {
        let bytes = Array(text.utf8)
        var groups: [(name: String, fields: AvalonMMID)] = []
        var index = 0
        skipSpaces(bytes, &index)
        if index < bytes.count, bytes[index] != UInt8(ascii: "'") {
            return [("", tokens(bytes, from: index, to: bytes.count).fields)]
        }
        while index < bytes.count {
            skipSpaces(bytes, &index)
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: "'"),
                  let closeQuote = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "'"))
            else {
                // Not a group: read the rest as plain tokens.
                let rest = tokens(bytes, from: index, to: bytes.count)
                groups.append(("", rest.fields))
                break
            }
            let name = String(decoding: bytes[(index + 1)..<closeQuote], as: UTF8.self)
            var cursor = closeQuote + 1
            skipSpaces(bytes, &cursor)
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") { cursor += 1 }
            skipSpaces(bytes, &cursor)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "{") else {
                groups.append((name, AvalonMMID(isTruncated: true)))
                break
            }
            let read = tokens(bytes, from: cursor + 1, to: bytes.count, stopAtBrace: true)
            var fields = read.fields
            if read.end >= bytes.count { fields.isTruncated = true }  // no closing `}`
            groups.append((name, fields))
            index = read.end + 1
        }
        return groups
    }

    static func skipSpaces(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == UInt8(ascii: ",") {
            index += 1
        }
    }

    /// Reads tokens from `start`; with `stopAtBrace`, stops at a `}` between tokens.
    /// Returns the fields and the index where reading stopped.
    static func tokens(_ bytes: [UInt8], from start: Int, to end: Int, stopAtBrace: Bool = false) -> (fields: AvalonMMID, end: Int) {
        var result = AvalonMMID()
        var index = start
        while index < end {
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
            guard index < end else { break }
            if stopAtBrace, bytes[index] == UInt8(ascii: "}") { return (result, index) }
            guard let open = bytes[index..<end].firstIndex(of: UInt8(ascii: "[")) else {
                // Trailing text without a value: a token cut before its `[`.
                result.isTruncated = true
                return (result, end)
            }
            if stopAtBrace, let brace = bytes[index..<open].firstIndex(of: UInt8(ascii: "}")) {
                return (result, brace)
            }
            guard let close = bytes[(open + 1)..<end].firstIndex(of: UInt8(ascii: "]")) else {
                result.isTruncated = true
                return (result, end)
            }
            let key = String(decoding: bytes[index..<open], as: UTF8.self).trimmingASCIISpaces()
            let value = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
            result.fields.append(Field(key: key, value: value))
            index = close + 1
        }
        return (result, end)
    }
}
