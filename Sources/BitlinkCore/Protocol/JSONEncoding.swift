/// Serializes `JSONValue` the way bitlink's output contract wants it: keys sorted,
/// slashes not escaped, non-finite numbers as `null`, integral reals printed without
/// a fraction, compact or pretty with two-space indents.
extension JSONValue {
    public func encoded(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONValue.write(self, into: &out, pretty: pretty, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding to a byte buffer (no trailing newline).
    public func encode(into out: inout [UInt8], pretty: Bool = false) {
        JSONValue.write(self, into: &out, pretty: pretty, indent: 0)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let bool): out.append(contentsOf: (bool ? "true" : "false").utf8)
        case .int(let int): out.append(contentsOf: String(int).utf8)
        case .double(let double): writeNumber(double, into: &out)
        case .string(let string): writeString(string, into: &out)
        case .array(let array):
            if array.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(into: &out, indent: indent + 1) }
                write(element, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(into: &out, indent: indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            // String `<` orders ASCII keys (all of bitlink's) by code point, like bytes.
            // Objects built in key order (most of bitlink's) skip the sort.
            let entries = object.entries
            let inOrder = zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key }
            let sorted = inOrder ? entries : entries.sorted { $0.key < $1.key }
            for (index, entry) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(into: &out, indent: indent + 1) }
                writeString(entry.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                write(entry.value, into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(into: &out, indent: indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into out: inout [UInt8], indent: Int) {
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { out.append(contentsOf: [0x20, 0x20]) }
    }

    static func writeNumber(_ double: Double, into out: inout [UInt8]) {
        guard double.isFinite else { out.append(contentsOf: "null".utf8); return }
        if double == double.rounded(.towardZero), double.magnitude < 1e15 {
            out.append(contentsOf: String(Int64(double)).utf8)
        } else {
            out.append(contentsOf: String(double).utf8)
        }
    }

    static func writeString(_ string: String, into out: inout [UInt8]) {
        var string = string
        string.withUTF8 { writeString(bytes: $0, into: &out) }
    }

    /// Writes UTF-8 bytes as a quoted JSON string.
    static func writeString(bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: check first, then copy them whole.
        var clean = true
        for byte in bytes where byte == 0x22 || byte == 0x5C || byte < 0x20 || byte == 0x7F {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: bytes)
        } else {
            for byte in bytes {
                switch byte {
                case 0x22, 0x5C:
                    out.append(0x5C)
                    out.append(byte)
                case 0x0A:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "n"))
                case 0x0D:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "r"))
                case 0x09:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "t"))
                case 0x00..<0x20, 0x7F:
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { digits in
                        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                    }
                default:
                    out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
