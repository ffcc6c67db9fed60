/// A lenient, single-pass JSON parser for what miner firmware really sends.
///
/// It reads standard JSON and repairs, in the same pass, the malformed output listed in
/// protocols.md section 1 ("Known malformed output"):
///
/// - the reply ends at the first NUL (cgminer `send_result` appends one; some send more);
/// - `}{` between objects in an array (bmminer `stats`, also inside multi-command replies;
///   `Tests/Fixtures/antminer/L3+_foreman/stats.json`);
/// - trailing commas `,}` `,]`, a leading `[,{`, repeated commas;
/// - a reply starting with `,` (Avalon garbage `,"id":1}`) is read as an object;
/// - unquoted `nan` (read as `null`) and `inf`/`-inf`/`Infinity` (read as non-finite doubles,
///   which `doubleValue` turns into nil);
/// - invalid escapes such as `\'` keep the escaped character
///   (`Tests/Fixtures/whatsminer/M20S_luci-era-fw_foreman/summary.json`);
/// - raw newlines and control characters inside strings are kept;
/// - a missing comma between members, `"Normal""temp0":` (btminer 2023-01-06);
/// - an empty value `"key" : ,` is read as `null`
///   (`Tests/Fixtures/antminer/S19-Pro_missing-fan-ctrl_foreman/http_cgi-bin_get_miner_conf.cgi.json`).
///
/// Integers without fraction or exponent that fit `Int64` become `.int`; other numbers `.double`.
/// Input that ends inside the document throws `ProtocolError.truncated`, anything else that
/// cannot be read throws `ProtocolError.invalid` with the byte offset. With `salvage`, a
/// truncated document is closed after its last complete value instead (as pyasic does for
/// overflowed buffers) and the outcome says so.
public enum JSONParser {
    /// Nesting deeper than this is refused (a hostile reply cannot exhaust the stack).
    public static let maxDepth = 256

    /// The parsed value, and whether it was salvaged from a truncated input.
    public struct Outcome: Sendable, Equatable {
        /// The document (a prefix of it when salvaged).
        public var value: JSONValue
        /// True when the input was cut and open containers were closed after the last
        /// complete value. The value is then a prefix of the real document.
        public var salvaged: Bool

        /// Wraps a parsed value.
        public init(value: JSONValue, salvaged: Bool) {
            self.value = value
            self.salvaged = salvaged
        }
    }

    /// Parses one JSON document.
    /// - Parameter salvage: close open containers of a truncated input instead of throwing.
    /// - Throws: `ProtocolError.empty`, `.truncated` or `.invalid`.
    public static func parse(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> JSONValue {
        try parseOutcome(bytes, salvage: salvage).value
    }

    /// Parses one JSON document from text.
    public static func parse(_ text: String, salvage: Bool = false) throws(ProtocolError) -> JSONValue {
        try parseOutcome(Array(text.utf8), salvage: salvage).value
    }

    /// Parses one JSON document and says whether it had to be salvaged.
    public static func parseOutcome(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> Outcome {
        let result: Result<Outcome, ProtocolError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer: buffer, salvage: salvage)
            do throws(ProtocolError) {
                let value = try reader.parseDocument()
                return .success(Outcome(value: value, salvaged: reader.salvaged))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a slice without copying it first.
    public static func parse(_ bytes: ArraySlice<UInt8>, salvage: Bool = false) throws(ProtocolError) -> JSONValue {
        let result: Result<JSONValue, ProtocolError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer: buffer, salvage: salvage)
            do throws(ProtocolError) { return .success(try reader.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension JSONValue {
    /// Parses firmware JSON leniently; see `JSONParser`.
    public static func parse(_ bytes: [UInt8], salvage: Bool = false) throws(ProtocolError) -> JSONValue {
        try JSONParser.parse(bytes, salvage: salvage)
    }
}

// MARK: - The reader

private enum Byte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let lowerU = UInt8(ascii: "u")
}

private struct Reader {
    let buffer: UnsafeBufferPointer<UInt8>
    /// The document ends at the first NUL or at the end of the buffer.
    let end: Int
    let salvage: Bool
    var index = 0
    var depth = 0
    var salvaged = false
    /// Set when the last number read ran into the end of input: it may be cut short.
    var numberTouchedEnd = false

    init(buffer: UnsafeBufferPointer<UInt8>, salvage: Bool) {
        self.buffer = buffer
        self.salvage = salvage
        var end = buffer.count
        // The reply ends at the first NUL (cgminer api.c sends JSON + one NUL; the IO
        // engine normally strips it, captures such as version.wire.txt keep it).
        for position in 0..<buffer.count where buffer[position] == 0 {
            end = position
            break
        }
        self.end = end
    }

    var atEnd: Bool { index >= end }

    mutating func skipWhitespace() {
        while index < end {
            switch buffer[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func truncated() -> ProtocolError { .truncated(offset: end) }

    func invalid(_ why: String) -> ProtocolError { .invalid(why, offset: index) }

    mutating func parseDocument() throws(ProtocolError) -> JSONValue {
        // UTF-8 byte order mark.
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
        skipWhitespace()
        guard !atEnd else { throw .empty }
        let value: JSONValue
        if buffer[index] == Byte.comma {
            // Avalon garbage `,"id":1}`: pyasic replaces the leading comma with `{`.
            value = try parseObjectBody()
        } else {
            value = try parseValue()
            // A bare top-level number that ends with the input is complete.
            numberTouchedEnd = false
        }
        skipWhitespace()
        guard atEnd else { throw invalid("unexpected data after the JSON document") }
        return value
    }

    mutating func parseValue() throws(ProtocolError) -> JSONValue {
        guard !atEnd else { throw truncated() }
        numberTouchedEnd = false
        let byte = buffer[index]
        switch byte {
        case Byte.openBrace:
            return try parseObjectBody()
        case Byte.openBracket:
            return try parseArray()
        case Byte.quote:
            return .string(try parseString())
        case Byte.minus, Byte.zero...Byte.nine:
            return try parseNumber()
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return try parseLiteral(negative: false)
        default:
            throw invalid("unexpected character")
        }
    }

    // MARK: Containers

    /// Reads an object; `index` is at `{` (or at the leading `,` of a broken reply).
    mutating func parseObjectBody() throws(ProtocolError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONParser.maxDepth else { throw invalid("nesting too deep") }
        index += 1
        var entries: [JSONObject.Entry] = []
        while true {
            skipWhitespace()
            if atEnd { return try closeTruncated(.object(JSONObject(entries))) }
            let byte = buffer[index]
            if byte == Byte.closeBrace {
                index += 1
                return .object(JSONObject(entries))
            }
            if byte == Byte.comma {
                // `{,`, `,,` and trailing `,}` (btminer).
                index += 1
                continue
            }
            guard byte == Byte.quote else { throw invalid("expected a member name") }
            let key: String
            do { key = try parseString() } catch {
                if error.isTruncated, salvage { return closedBySalvage(.object(JSONObject(entries))) }
                throw error
            }
            skipWhitespace()
            if atEnd { return try closeTruncated(.object(JSONObject(entries))) }
            guard buffer[index] == Byte.colon else { throw invalid("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            if atEnd { return try closeTruncated(.object(JSONObject(entries))) }
            let value: JSONValue
            let next = buffer[index]
            if next == Byte.comma || next == Byte.closeBrace {
                // `"bitmain-fan-ctrl" : ,` (Antminer get_miner_conf.cgi): no value at all.
                value = .null
            } else {
                do { value = try parseValue() } catch {
                    if error.isTruncated, salvage { return closedBySalvage(.object(JSONObject(entries))) }
                    throw error
                }
                if numberTouchedEnd {
                    // The number may be cut short: without salvage the container is
                    // truncated anyway; with salvage the last complete value comes before it.
                    return try closeTruncated(.object(JSONObject(entries)))
                }
            }
            entries.append(JSONObject.Entry(key: key, value: value))
            skipWhitespace()
            if atEnd { return try closeTruncated(.object(JSONObject(entries))) }
            switch buffer[index] {
            case Byte.comma:
                index += 1
            case Byte.closeBrace:
                index += 1
                return .object(JSONObject(entries))
            case Byte.quote:
                // Missing comma between members: btminer `"Normal""temp0":...`.
                continue
            default:
                throw invalid("expected ',' or '}' in an object")
            }
        }
    }

    mutating func parseArray() throws(ProtocolError) -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= JSONParser.maxDepth else { throw invalid("nesting too deep") }
        index += 1
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            if atEnd { return try closeTruncated(.array(elements)) }
            let byte = buffer[index]
            if byte == Byte.closeBracket {
                index += 1
                return .array(elements)
            }
            if byte == Byte.comma {
                // `[,{` (pyasic repair 5), `,,` and trailing `,]`.
                index += 1
                continue
            }
            let value: JSONValue
            do { value = try parseValue() } catch {
                if error.isTruncated, salvage { return closedBySalvage(.array(elements)) }
                throw error
            }
            if numberTouchedEnd { return try closeTruncated(.array(elements)) }
            elements.append(value)
            skipWhitespace()
            if atEnd { return try closeTruncated(.array(elements)) }
            switch buffer[index] {
            case Byte.comma:
                index += 1
            case Byte.closeBracket:
                index += 1
                return .array(elements)
            case Byte.openBrace:
                // `}{`: bmminer `stats` sends the version object and the stats object
                // without a comma (Tests/Fixtures/antminer/S9_Hiveon_foreman/stats.json).
                continue
            default:
                throw invalid("expected ',' or ']' in an array")
            }
        }
    }

    /// The input ended inside a container: throw, or close it when salvaging.
    mutating func closeTruncated(_ partial: JSONValue) throws(ProtocolError) -> JSONValue {
        guard salvage else { throw truncated() }
        return closedBySalvage(partial)
    }

    mutating func closedBySalvage(_ partial: JSONValue) -> JSONValue {
        salvaged = true
        numberTouchedEnd = false
        index = end
        return partial
    }

    // MARK: Strings

    /// Reads a string; `index` is at the opening quote.
    mutating func parseString() throws(ProtocolError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < end {
            let byte = buffer[index]
            if byte == Byte.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == Byte.backslash { break }
            index += 1
        }
        guard index < end else { throw truncated() }
        var bytes = Array(buffer[start..<index])
        while index < end {
            let byte = buffer[index]
            if byte == Byte.quote {
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            guard byte == Byte.backslash else {
                // Raw control characters (btminer embeds newlines) are kept as they are.
                bytes.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < end else { throw truncated() }
            let escaped = buffer[index]
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case Byte.lowerU:
                if let scalar = try readUnicodeEscape() {
                    appendUTF8(scalar, to: &bytes)
                    continue
                }
                // Not four hex digits: keep the `u` literally.
                bytes.append(escaped)
            default:
                // `\"`, `\\`, `\/` and invalid escapes such as btminer's `\'`: keep the character.
                bytes.append(escaped)
            }
            index += 1
        }
        throw truncated()
    }

    /// Reads `XXXX` (and a following low surrogate) after `\u`; `index` is at the `u`.
    /// Returns nil (index unchanged) when the four bytes are not hex digits.
    mutating func readUnicodeEscape() throws(ProtocolError) -> Unicode.Scalar? {
        guard let high = try hex4(at: index + 1) else { return nil }
        index += 5
        if (0xD800...0xDBFF).contains(high) {
            // A high surrogate wants `\uDC00-DFFF` next.
            if index + 1 < end, buffer[index] == Byte.backslash, buffer[index + 1] == Byte.lowerU,
               let low = try hex4(at: index + 2), (0xDC00...0xDFFF).contains(low)
            {
                index += 6
                let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(combined) ?? "\u{FFFD}"
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    func hex4(at position: Int) throws(ProtocolError) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard position + offset < end else { throw truncated() }
            let byte = buffer[position + offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (value >> 6)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (value >> 12)))
            bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (value >> 18)))
            bytes.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    // MARK: Numbers and literals

    mutating func parseNumber() throws(ProtocolError) -> JSONValue {
        let start = index
        var negative = false
        if buffer[index] == Byte.minus {
            negative = true
            index += 1
            guard index < end else { throw truncated() }
            let next = buffer[index]
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(next) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(next) {
                // `-inf`, `-Infinity`.
                return try parseLiteral(negative: true)
            }
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var mantissaOverflow = false
        let integerStart = index
        while index < end, buffer[index] >= Byte.zero, buffer[index] <= Byte.nine {
            accumulate(buffer[index], into: &mantissa, digits: &significantDigits, overflow: &mantissaOverflow)
            index += 1
        }
        guard index > integerStart else {
            throw index >= end ? truncated() : invalid("expected a digit")
        }
        var isInteger = true
        var decimalExponent = 0
        if index < end, buffer[index] == Byte.dot {
            isInteger = false
            index += 1
            while index < end, buffer[index] >= Byte.zero, buffer[index] <= Byte.nine {
                accumulate(buffer[index], into: &mantissa, digits: &significantDigits, overflow: &mantissaOverflow)
                decimalExponent -= 1
                index += 1
            }
        }
        if index < end, buffer[index] == Byte.lowerE || buffer[index] == Byte.upperE {
            isInteger = false
            index += 1
            guard index < end else { throw truncated() }
            var exponentNegative = false
            if buffer[index] == Byte.minus || buffer[index] == Byte.plus {
                exponentNegative = buffer[index] == Byte.minus
                index += 1
            }
            let exponentStart = index
            var exponent = 0
            while index < end, buffer[index] >= Byte.zero, buffer[index] <= Byte.nine {
                if exponent < 100_000 { exponent = exponent * 10 + Int(buffer[index] - Byte.zero) }
                index += 1
            }
            guard index > exponentStart else {
                throw index >= end ? truncated() : invalid("expected an exponent")
            }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        numberTouchedEnd = index >= end

        if isInteger, !mantissaOverflow {
            if negative {
                if mantissa <= UInt64(Int64.max) { return .int(-Int64(mantissa)) }
                if mantissa == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            } else if mantissa <= UInt64(Int64.max) {
                return .int(Int64(mantissa))
            }
        }
        // Exact fast path (Clinger): both the mantissa and the power of ten are exact doubles.
        if !mantissaOverflow, significantDigits <= 15, decimalExponent >= -22, decimalExponent <= 22 {
            var value = Double(mantissa)
            if decimalExponent < 0 {
                value /= Reader.powersOfTen[-decimalExponent]
            } else {
                value *= Reader.powersOfTen[decimalExponent]
            }
            return .double(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw .invalid("unreadable number", offset: start) }
        return .double(value)
    }

    func accumulate(_ digit: UInt8, into mantissa: inout UInt64, digits: inout Int, overflow: inout Bool) {
        if mantissa == 0, digit == Byte.zero { return }  // leading zeros are not significant
        digits += 1
        let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - Byte.zero))
        if overflow1 || overflow2 { overflow = true } else { mantissa = sum }
    }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    static let literals: [(name: [UInt8], value: JSONValue)] = [
        (Array("true".utf8), .bool(true)),
        (Array("false".utf8), .bool(false)),
        (Array("null".utf8), .null),
        // Avalon and others print C's `nan` / `inf` unquoted (protocols.md section 1, item 7).
        (Array("nan".utf8), .null),
        (Array("inf".utf8), .double(.infinity)),
        (Array("infinity".utf8), .double(.infinity)),
    ]

    /// Reads a bare word: `true`, `false`, `null`, `nan`, `inf`, `infinity` (case-insensitive).
    mutating func parseLiteral(negative: Bool) throws(ProtocolError) -> JSONValue {
        let start = index
        while index < end {
            let byte = buffer[index]
            let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            guard isLetter else { break }
            index += 1
        }
        let word = buffer[start..<index].map { $0 | 0x20 }  // ASCII lower-case
        for literal in Reader.literals where literal.name == word {
            if negative {
                switch literal.value {
                case .double(let double): return .double(-double)
                case .null where word.count == 3: return .null  // C prints `-nan` too
                default: throw .invalid("unexpected '-'", offset: start)
                }
            }
            return literal.value
        }
        if index >= end, Reader.literals.contains(where: { $0.name.starts(with: word) }) {
            throw truncated()
        }
        throw .invalid("unknown bare word", offset: start)
    }
}
