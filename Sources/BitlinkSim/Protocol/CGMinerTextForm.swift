import BitlinkCore

/// Converts a cgminer text-form reply (`STATUS=S,When=1,...|VERSION,CGMiner=4.11.1,...|`)
/// to the JSON form the same firmware sends for a JSON request, so models captured only
/// in text (Avalon Mini 3) can answer both. The mapping is cgminer's own (api.c prints
/// both forms from one structure); numbers become JSON numbers, everything else strings.
enum CGMinerTextForm {
    /// - Parameter truncated: the text was cut off; the JSON is then cut after the last
    ///   (partial) value too, so the reply stays as incomplete as the capture.
    static func toJSON(_ text: [UInt8], truncated: Bool = false) -> [UInt8] {
        var sections: [(name: String, entries: [[(String, String)]])] = []
        for section in split(text, on: UInt8(ascii: "|")) where !section.isEmpty {
            let fields = split(section, on: UInt8(ascii: ","))
            guard let first = fields.first else { continue }
            var name: String
            var pairs: [(String, String)] = []
            if let equals = first.firstIndex(of: UInt8(ascii: "=")) {
                name = String(decoding: first[first.startIndex..<equals], as: UTF8.self)
                // The STATUS section's first pair is itself a member; so is `DEVDETAILS=0`.
                pairs.append((name, String(decoding: first[(equals + 1)...], as: UTF8.self)))
            } else {
                name = String(decoding: first, as: UTF8.self)
            }
            for field in fields.dropFirst() {
                guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { continue }
                pairs.append((String(decoding: field[field.startIndex..<equals], as: UTF8.self),
                              String(decoding: field[(equals + 1)...], as: UTF8.self)))
            }
            if let index = sections.firstIndex(where: { $0.name == name }) {
                sections[index].entries.append(pairs)
            } else {
                sections.append((name, [pairs]))
            }
        }
        var out = Array("{".utf8)
        for (index, section) in sections.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += quoted(section.name) + Array(":[".utf8)
            for (entryIndex, entry) in section.entries.enumerated() {
                if entryIndex > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                for (pairIndex, pair) in entry.enumerated() {
                    if pairIndex > 0 { out.append(UInt8(ascii: ",")) }
                    out += quoted(pair.0) + [UInt8(ascii: ":")] + scalar(pair.1)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out += Array(",\"id\":1}".utf8)
        if truncated {
            out.removeLast(",\"id\":1}".count + 2)
            if out.last == UInt8(ascii: "\"") { out.removeLast() }
        }
        return out
    }

    /// Splits on a separator not escaped with `\`, unescaping `\|`, `\,`, `\=`, `\\`.
    private static func split(_ bytes: some Collection<UInt8>, on separator: UInt8) -> [[UInt8]] {
        var parts: [[UInt8]] = [[]]
        var escaped = false
        for byte in bytes {
            if escaped {
                if byte != separator { parts[parts.count - 1].append(UInt8(ascii: "\\")) }
                parts[parts.count - 1].append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == separator {
                parts.append([])
            } else {
                parts[parts.count - 1].append(byte)
            }
        }
        return parts
    }

    private static func scalar(_ value: String) -> [UInt8] {
        let bytes = Array(value.utf8)
        let isPlainNumber: Bool = {
            guard NumberText.parse(bytes[...]) != nil else { return false }
            // "020100008644e532"-like identifiers with leading zeros stay strings.
            let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
            return !(digits.count > 1 && digits.first == UInt8(ascii: "0") && digits.dropFirst().first != UInt8(ascii: "."))
        }()
        return isPlainNumber ? bytes : quoted(value)
    }

    private static func quoted(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        BitlinkJSONString.write(string, into: &out)
        return out
    }
}

/// JSON string escaping shared by the synthesized replies.
enum BitlinkJSONString {
    static func write(_ string: String, into out: inout [UInt8]) {
        JSONValue.string(string).encode(into: &out)
    }

    static func quoted(_ string: String) -> String {
        JSONValue.string(string).encoded()
    }
}
