/// Writes compact JSON straight into bytes, for long lists where building a `JSONValue`
/// tree per record would dominate the run time (`miners list --json` on 10,000 miners).
/// Keys are static and written in the order given: callers give them sorted, as the
/// output contract wants, and a test compares the result with `JSONValue.encoded()`.
public struct JSONStream {
    public private(set) var bytes: [UInt8] = []
    /// Whether the container being written still has no member (no comma needed).
    private var firstInContainer: [Bool] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        firstInContainer.append(true)
    }

    public mutating func endObject() {
        firstInContainer.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        firstInContainer.append(true)
    }

    public mutating func endArray() {
        firstInContainer.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the value written next belongs to it.
    public mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        // Two single appends: an array literal here would allocate for every key.
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// A key was just written: the value that follows adds no comma of its own.
    private var afterKey = false

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard !firstInContainer.isEmpty else { return }
        if firstInContainer[firstInContainer.count - 1] {
            firstInContainer[firstInContainer.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    public mutating func value(_ string: String?) {
        separate()
        guard let string else { bytes.append(contentsOf: "null".utf8); return }
        JSONValue.writeString(string, into: &bytes)
    }

    public mutating func value(_ int: Int64?) {
        separate()
        guard let int else { bytes.append(contentsOf: "null".utf8); return }
        bytes.append(contentsOf: String(int).utf8)
    }

    public mutating func value(_ int: Int?) { value(int.map(Int64.init)) }

    public mutating func value(_ bool: Bool) {
        separate()
        bytes.append(contentsOf: (bool ? "true" : "false").utf8)
    }

    public mutating func value(_ double: Double?) {
        separate()
        guard let double else { bytes.append(contentsOf: "null".utf8); return }
        JSONValue.writeNumber(double, into: &bytes)
    }


    /// UTF-8 bytes as a string (nil: `null`), without making a `String` first.
    public mutating func value(utf8 text: UnsafeBufferPointer<UInt8>?) {
        separate()
        guard let text else { bytes.append(contentsOf: "null".utf8); return }
        JSONValue.writeString(bytes: text, into: &bytes)
    }

    /// A Unix time as an RFC 3339 string (nil: `null`).
    public mutating func value(rfc3339 unix: Int64?) {
        separate()
        guard let unix else { bytes.append(contentsOf: "null".utf8); return }
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(unix, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Newline-separated UTF-8 lines as an array of strings (nil or empty: `[]`).
    public mutating func value(lines text: UnsafeBufferPointer<UInt8>?) {
        beginArray()
        if let text, !text.isEmpty {
            var start = 0
            for index in 0...text.count where index == text.count || text[index] == 0x0A {
                if index > start { value(utf8: UnsafeBufferPointer(rebasing: text[start..<index])) }
                start = index + 1
            }
        }
        endArray()
    }
}
