/// Edits a captured reply by key, so values move like a live miner's while every
/// other byte stays as captured (a malformed capture stays malformed: the editor is a
/// lexical scan, it never parses and re-serializes the document).
///
/// Three spellings are handled: JSON `"key": value`, Avalon `MM ID` tokens
/// `Key[value]` (inside JSON strings or text replies), and the cgminer text form
/// `key=value` (`.txt` captures).
struct FixtureEditor {
    let values: LiveValues
    let isText: Bool

    private var snapshot: LiveSnapshot { values.snapshot }
    private var occurrences: [String: Int] = [:]
    private var failedFanKey: String?
    private var expectedHashrate: Double?

    init(snapshot: LiveSnapshot, isText: Bool) {
        self.values = LiveValues(snapshot: snapshot)
        self.isText = isText
    }

    /// The edited reply.
    static func apply(_ bytes: [UInt8], snapshot: LiveSnapshot, isText: Bool) -> [UInt8] {
        var editor = FixtureEditor(snapshot: snapshot, isText: isText)
        if snapshot.family == .axeos { editor.expectedHashrate = Self.axeosExpectedHashrate(bytes) }
        if isText {
            let tokens = editor.editTokens(bytes[...])
            return editor.editTextPairs(tokens)
        }
        return editor.editJSON(bytes)
    }

    // MARK: - JSON

    private mutating func editJSON(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        let n = bytes.count
        var i = 0
        while i < n {
            guard bytes[i] == UInt8(ascii: "\"") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let end = Self.endOfString(bytes, from: i)
            var j = end + 1
            while j < n, Self.isSpace(bytes[j]) { j += 1 }
            let isKey = j < n && bytes[j] == UInt8(ascii: ":") && end - i < 80
            if !isKey {
                // A string value: Avalon MM strings carry `Key[value]` tokens.
                let content = bytes[min(i + 1, n)..<min(end, n)]
                if content.contains(UInt8(ascii: "[")) {
                    out.append(UInt8(ascii: "\""))
                    out.append(contentsOf: editTokens(content))
                    if end < n { out.append(UInt8(ascii: "\"")) }
                } else {
                    out.append(contentsOf: bytes[i..<min(end + 1, n)])
                }
                i = end + 1
                continue
            }
            let key = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
            out.append(contentsOf: bytes[i...j])
            i = j + 1
            while i < n, Self.isSpace(bytes[i]) {
                out.append(bytes[i])
                i += 1
            }
            guard let role = role(forKey: key), i < n else { continue }
            let occurrence = nextOccurrence(of: key)
            if bytes[i] == UInt8(ascii: "\"") {
                let valueEnd = Self.endOfString(bytes, from: i)
                guard valueEnd < n else { continue }
                let raw = bytes[(i + 1)..<valueEnd]
                if let replacement = editString(raw, key: key, role: role, occurrence: occurrence) {
                    out.append(UInt8(ascii: "\""))
                    out.append(contentsOf: replacement)
                    out.append(UInt8(ascii: "\""))
                } else {
                    out.append(contentsOf: bytes[i...valueEnd])
                }
                i = valueEnd + 1
            } else if bytes[i] == UInt8(ascii: "t") || bytes[i] == UInt8(ascii: "f") {
                let literal: [UInt8] = bytes[i] == UInt8(ascii: "t") ? Array("true".utf8) : Array("false".utf8)
                guard role == .shutdownFlag, bytes[i...].starts(with: literal) else { continue }
                out.append(contentsOf: (snapshot.sleeping ? "true" : "false").utf8)
                i += literal.count
            } else {
                var k = i
                while k < n, Self.isNumberByte(bytes[k]) { k += 1 }
                guard k > i else { continue }
                if let replacement = editNumber(bytes[i..<k], key: key, role: role, occurrence: occurrence) {
                    out.append(contentsOf: replacement)
                } else {
                    out.append(contentsOf: bytes[i..<k])
                }
                i = k
            }
        }
        return out
    }

    private func role(forKey key: String) -> FieldRole? {
        guard let role = FieldRole.forKey(key) else { return nil }
        switch role {
        case .antminerMode: return snapshot.family == .antminer ? role : nil
        case .poolUser: return snapshot.poolUser == nil ? nil : role
        default: return role
        }
    }

    private mutating func nextOccurrence(of key: String) -> Int {
        let count = occurrences[key, default: 0]
        occurrences[key] = count + 1
        return count
    }

    private func fieldID(_ key: String, _ occurrence: Int) -> UInt64 {
        SimRandom.hash(key) &+ UInt64(occurrence) &* 0x9E37_79B9
    }

    /// New text for a numeric value of a role field, or nil to keep the capture's bytes.
    private mutating func editNumber(_ raw: ArraySlice<UInt8>, key: String, role: FieldRole, occurrence: Int) -> [UInt8]? {
        guard let (base, decimals) = NumberText.parse(raw) else { return nil }
        guard let value = liveValue(base: base, key: key, role: role, occurrence: occurrence) else { return nil }
        var places = decimals
        // A hashrate captured as integer 0 that now moves needs decimals to look real (GH/s).
        if role == .hashrate, decimals == 0, base == 0, value != 0, value < 1e6 { places = 2 }
        return Array(NumberText.format(value, decimals: places).utf8)
    }

    private mutating func liveValue(base: Double, key: String, role: FieldRole, occurrence: Int) -> Double? {
        let field = fieldID(key, occurrence)
        switch role {
        case .hashrate:
            var base = base
            if base == 0, let expected = expectedHashrate, key.hasPrefix("hashRate") { base = expected }
            return values.hashrate(base: base, field: field)
        case .accepted:
            return values.counter(base: base, delta: values.acceptedDelta, grows: base > 0 || occurrence == 0)
        case .rejected:
            return values.counter(base: base, delta: values.rejectedDelta, grows: base > 0 || occurrence == 0)
        case .difficultyAccepted:
            return values.counter(base: base, delta: values.acceptedDelta * snapshot.shareDifficulty,
                                  grows: base > 0 || occurrence == 0)
        case .difficultyRejected:
            return values.counter(base: base, delta: values.rejectedDelta * snapshot.shareDifficulty,
                                  grows: base > 0 || occurrence == 0)
        case .uptime:
            return values.uptime(base: base)
        case .temperature(let isMax):
            return values.temperature(base: base, field: field, isMax: isMax)
        case .fan:
            if snapshot.fanFailed, failedFanKey == nil, base != 0 { failedFanKey = key }
            return values.fan(base: base, field: field, failed: snapshot.fanFailed && failedFanKey == key)
        case .antminerMode:
            return snapshot.sleeping ? 254 : base
        case .temperatureList, .mac, .ip, .poolUser, .minerOffFlag, .shutdownFlag, .avalonSystemStatus:
            return nil
        }
    }

    /// New content (without quotes) for a string value of a role field, or nil to keep it.
    private mutating func editString(_ raw: ArraySlice<UInt8>, key: String, role: FieldRole, occurrence: Int) -> [UInt8]? {
        let text = String(decoding: raw, as: UTF8.self)
        switch role {
        case .mac:
            return snapshot.mac.formatted(like: text).map { Array($0.utf8) }
        case .ip:
            return IPv4Looks.isDottedQuad(text) ? Array(snapshot.address.utf8) : nil
        case .poolUser:
            guard let user = snapshot.poolUser, !text.isEmpty else { return nil }
            return Array(user.utf8)
        case .minerOffFlag:
            return Array((snapshot.sleeping ? "true" : "false").utf8)
        case .temperatureList:
            let parts = raw.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard parts.count > 1, parts.allSatisfy({ NumberText.parse($0) != nil }) else { return nil }
            var out: [UInt8] = []
            for (index, part) in parts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: "-")) }
                let (base, decimals) = NumberText.parse(part)!
                let value = values.temperature(base: base, field: fieldID(key, occurrence * 8 + index), isMax: false)
                out.append(contentsOf: NumberText.format(value, decimals: decimals).utf8)
            }
            return out
        default:
            // Numbers sent as strings: "GHS 5s":"14046.04", "Accepted":"  5.0000".
            var start = raw.startIndex
            while start < raw.endIndex, raw[start] == UInt8(ascii: " ") { start += 1 }
            guard let number = editNumber(raw[start...], key: key, role: role, occurrence: occurrence) else { return nil }
            return Array(raw[raw.startIndex..<start]) + number
        }
    }

    // MARK: - Avalon MM tokens

    /// Edits `Key[value]` tokens of known roles inside `bytes`.
    private mutating func editTokens(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            out.append(byte)
            i += 1
            guard byte == UInt8(ascii: "[") else { continue }
            var keyStart = i - 1
            while keyStart > bytes.startIndex, Self.isIdentifier(bytes[keyStart - 1]) { keyStart -= 1 }
            guard keyStart < i - 1, let close = bytes[i...].firstIndex(of: UInt8(ascii: "]")) else { continue }
            let key = String(decoding: bytes[keyStart..<(i - 1)], as: UTF8.self)
            guard let role = FieldRole.forToken(key) else { continue }
            let occurrence = nextOccurrence(of: "mm:" + key)
            let value = bytes[i..<close]
            if role == .avalonSystemStatus {
                let text = String(decoding: value, as: UTF8.self)
                let edited = snapshot.sleeping ? Self.replacing("In Work", with: "In Idle", in: text) : text
                out.append(contentsOf: edited.utf8)
            } else {
                // Values may be space-separated lists (MGHS[59459.52 61407.83 63139.66]).
                let parts = value.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
                for (index, part) in parts.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: " ")) }
                    if let edited = editNumber(part, key: "mm:" + key, role: role, occurrence: occurrence * 16 + index) {
                        out.append(contentsOf: edited)
                    } else {
                        out.append(contentsOf: part)
                    }
                }
            }
            i = close
        }
        return out
    }

    // MARK: - cgminer text form

    /// Edits `key=value` fields of the text form (`STATUS=S,When=..|SECTION,key=value,...|`).
    private mutating func editTextPairs(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var i = 0
        let n = bytes.count
        while i < n {
            // At the start of a field: read the key up to '='.
            var k = i
            while k < n, bytes[k] != UInt8(ascii: "="), bytes[k] != UInt8(ascii: ","), bytes[k] != UInt8(ascii: "|") { k += 1 }
            guard k < n, bytes[k] == UInt8(ascii: "=") else {
                out.append(contentsOf: bytes[i..<min(k + 1, n)])
                i = k + 1
                continue
            }
            let key = String(decoding: bytes[i..<k], as: UTF8.self)
            out.append(contentsOf: bytes[i...k])
            var v = k + 1
            while v < n, bytes[v] != UInt8(ascii: ","), bytes[v] != UInt8(ascii: "|") { v += 1 }
            let value = bytes[(k + 1)..<v]
            if let role = role(forKey: key) {
                let occurrence = nextOccurrence(of: key)
                if let edited = editNumber(value, key: key, role: role, occurrence: occurrence)
                    ?? editString(value, key: key, role: role, occurrence: occurrence)
                {
                    out.append(contentsOf: edited)
                } else {
                    out.append(contentsOf: value)
                }
            } else {
                out.append(contentsOf: value)
            }
            if v < n { out.append(bytes[v]) }
            i = v + 1
        }
        return out
    }

    // MARK: - Helpers

    /// AxeOS computes its expected hashrate as frequency x small cores x ASICs / 1000 (GH/s);
    /// a capture taken seconds after boot says `hashRate: 0`, so a live unit hashes near that.
    static func axeosExpectedHashrate(_ bytes: [UInt8]) -> Double? {
        guard let frequency = firstNumber(key: "frequency", in: bytes),
              let cores = firstNumber(key: "smallCoreCount", in: bytes),
              let asics = firstNumber(key: "asicCount", in: bytes)
        else { return nil }
        return frequency * cores * asics / 1000
    }

    static func firstNumber(key: String, in bytes: [UInt8]) -> Double? {
        let needle = Array("\"\(key)\"".utf8)
        guard needle.count <= bytes.count else { return nil }
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                var j = i + needle.count
                while j < bytes.count, isSpace(bytes[j]) || bytes[j] == UInt8(ascii: ":") { j += 1 }
                var k = j
                while k < bytes.count, isNumberByte(bytes[k]) { k += 1 }
                return NumberText.parse(bytes[j..<k])?.value
            }
            i += 1
        }
        return nil
    }

    static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == UInt8(ascii: "\"") { return i }
            i += 1
        }
        return bytes.count
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension String {
    /// Every occurrence of `target` replaced (the stdlib has no such call without Foundation).
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        FixtureEditor.replacing(target, with: replacement, in: self)
    }
}

enum IPv4Looks {
    static func isDottedQuad(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }
}
