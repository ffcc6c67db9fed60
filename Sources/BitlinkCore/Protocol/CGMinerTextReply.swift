/// The text form of the CGMiner API (cgminer API-README): a request that does not start
/// with `{` (`summary`, `cmd|param`) gets
/// `STATUS=S,When=NNN,Code=N,Msg=...,Description=...|SECTION,key=value,...|`.
///
/// Segments end with `|`, fields are separated by `,`, a field is `key=value`; the first
/// field names the section (`VERSION,` or `DEVDETAILS=0,`). API 1.7+ escapes `\|`, `\,`,
/// `\=` and `\\` inside values; Avalon leaves commas inside `Key[...]` tokens unescaped,
/// so a comma inside brackets does not split. Values stay text (`doubleValue` reads numbers from text).
/// Avalon home units answer this form (`Tests/Fixtures/avalon/Mini3_fw25011701/*.txt`).
public enum CGMinerTextReply {
    /// True when the reply starts (after whitespace) with `STATUS=`, not with JSON.
    public static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("STATUS=".utf8)
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        return bytes.count - index >= prefix.count && Array(bytes[index..<index + prefix.count]) == prefix
    }

    /// Reads a text reply into the same envelope as the JSON form.
    /// - Parameter salvage: accept a reply cut before its final `|`. The cut field is
    ///   dropped, except that a value of `Key[value]` tokens (Avalon `MM ID0=...`) is kept up
    ///   to its last `]`, so `AvalonMMID` can read the complete tokens.
    /// - Throws: `.empty`, `.truncated` (no final `|`), `.invalid` (no `STATUS` segment).
    public static func decode(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> CGMinerReply {
        var end = bytes.count
        if let nul = bytes.firstIndex(of: 0) { end = nul }
        while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[end - 1]) { end -= 1 }
        guard end > 0 else { throw .empty }
        let marker = Array("STATUS=".utf8)
        if end < marker.count, Array(bytes[0..<end]) == Array(marker[0..<end]) { throw .truncated(offset: end) }
        guard looksLikeText(Array(bytes[0..<min(end, 32)])) else {
            throw .invalid("not a CGMiner text reply", offset: 0)
        }

        // Split into segments and fields in one pass, honouring backslash escapes.
        var segments: [[[UInt8]]] = []
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var complete = false
        var brackets = 0
        var index = 0
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < end {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "|") || next == UInt8(ascii: ",") || next == UInt8(ascii: "=") || next == UInt8(ascii: "\\") {
                    // Keep `=` escaped with a marker so that key/value splitting ignores it.
                    field.append(next == UInt8(ascii: "=") ? 0x01 : next)
                    index += 2
                    continue
                }
            }
            switch byte {
            case UInt8(ascii: "|"):
                fields.append(field)
                field = []
                segments.append(fields)
                fields = []
                brackets = 0
                complete = true
            case UInt8(ascii: ",") where brackets == 0:
                fields.append(field)
                field = []
                complete = false
            case UInt8(ascii: "["), UInt8(ascii: "]"):
                // Avalon does not escape commas inside `MM ID0=... SYSTEMSTATU[Work: In Work, Hash Board: 1]`.
                brackets = max(0, brackets + (byte == UInt8(ascii: "[") ? 1 : -1))
                field.append(byte)
                complete = false
            default:
                field.append(byte)
                complete = false
            }
            index += 1
        }
        if !complete {
            // The reply did not end with `|`: it was cut.
            guard salvage else { throw .truncated(offset: end) }
            if let kept = salvagedTokens(field) { fields.append(kept) }
            if !fields.isEmpty { segments.append(fields) }
        }

        var statuses: [CGMinerStatus] = []
        var sections: [CGMinerSection] = []
        for segment in segments {
            guard let firstField = segment.first, !(segment.count == 1 && firstField.isEmpty) else { continue }
            var object = JSONObject()
            var sectionName = ""
            for (position, rawField) in segment.enumerated() {
                let (key, value) = splitField(rawField)
                if position == 0 { sectionName = key }
                if position == 0, value == nil { continue }  // `VERSION,`: a bare section name
                object.append(key, .string(value ?? ""))
            }
            if sectionName == "STATUS" {
                statuses.append(CGMinerStatus(object: object))
            } else if let existing = sections.firstIndex(where: { $0.name == sectionName }) {
                sections[existing].items.append(object)
            } else {
                sections.append(CGMinerSection(name: sectionName, items: [object]))
            }
        }
        guard !statuses.isEmpty else { throw .invalid("no STATUS segment in a text reply", offset: 0) }
        return CGMinerReply(statuses: statuses, sections: sections)
    }

    /// `key=value` on the first unescaped `=`; restores escaped `=` in both parts.
    static func splitField(_ field: [UInt8]) -> (String, String?) {
        let restore: ([UInt8]) -> String = { bytes in
            String(decoding: bytes.map { $0 == 0x01 ? UInt8(ascii: "=") : $0 }, as: UTF8.self)
        }
        guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { return (restore(field), nil) }
        return (restore(Array(field[..<equals])), restore(Array(field[(equals + 1)...])))
    }

    /// The part of a cut field worth keeping: `Key[value]` token lists up to their last `]`.
    static func salvagedTokens(_ field: [UInt8]) -> [UInt8]? {
        guard let equals = field.firstIndex(of: UInt8(ascii: "=")),
              field[equals...].contains(UInt8(ascii: "[")),
              let lastClose = field.lastIndex(of: UInt8(ascii: "]")), lastClose > equals
        else { return nil }
        return Array(field[...lastClose])
    }
}
