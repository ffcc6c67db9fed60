/// A JSON document as bitlink reads it from miners and writes it for scripts.
///
/// Numbers keep the distinction between integers and reals so that output prints
/// `42` rather than `42.0`. Objects keep their keys in the order received (firmware
/// sometimes repeats or orders keys meaningfully); encoding always sorts them.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An ordered JSON object. Lookup is by first matching key.
public struct JSONObject: Sendable, Equatable, Sequence {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var entries: [Entry]
    /// Key -> position of its first entry, kept once an object is large enough that a
    /// linear search costs more than hashing (Antminer `stats` has over 100 keys, read
    /// many times per miner per round).
    private var index: [String: Int]?
    private static let indexThreshold = 12

    public init() { entries = [] }

    public init(_ entries: [Entry]) {
        self.entries = entries
        rebuildIndex()
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        entries = pairs.map { Entry(key: $0.key, value: $0.value) }
        rebuildIndex()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.entries == rhs.entries }

    private mutating func rebuildIndex() {
        guard entries.count >= Self.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() where built[entry.key] == nil {
            built[entry.key] = position
        }
        index = built
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get {
            if let index { return index[key].map { entries[$0].value } }
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let position = index?[key] ?? entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Appends without checking for an existing key (used by parsers, which keep duplicates).
    public mutating func append(_ key: String, _ value: JSONValue) {
        entries.append(Entry(key: key, value: value))
        if index != nil {
            if index![key] == nil { index![key] = entries.count - 1 }
        } else if entries.count == Self.indexThreshold {
            rebuildIndex()
        }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}

// MARK: - Convenient, forgiving accessors

extension JSONValue {
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, if this is a string. Numbers are not converted.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// A textual form of scalars: strings as-is, numbers and booleans printed.
    public var text: String? {
        switch self {
        case .string(let string): return string
        case .int(let int): return String(int)
        case .double(let double): return String(double)
        case .bool(let bool): return bool ? "true" : "false"
        default: return nil
        }
    }

    /// A number, also when the firmware sent it as a string (`"GHS 5s":"14046.04"`,
    /// `"Accepted":"  5.0000"`). Empty strings and non-numbers give nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let int): return Double(int)
        case .double(let double): return double.isFinite ? double : nil
        case .string(let string):
            let trimmed = string.trimmingASCIISpaces()
            guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
            return value
        case .bool(let bool): return bool ? 1 : 0
        default: return nil
        }
    }

    /// An integer, rounding reals toward zero and accepting numeric strings.
    public var intValue: Int? {
        switch self {
        case .int(let int): return Int(exactly: int)
        default:
            guard let double = doubleValue, double.magnitude < 9.0e18 else { return nil }
            return Int(double)
        }
    }

    /// A boolean, also from `"true"`/`"false"`, `"Y"`/`"N"` and 0/1 as firmware sends them.
    public var boolValue: Bool? {
        switch self {
        case .bool(let bool): return bool
        case .int(let int): return int != 0
        case .double(let double): return double != 0
        case .string(let string):
            switch string.trimmingASCIISpaces().lowercased() {
            case "true", "y", "yes", "1", "on", "enabled": return true
            case "false", "n", "no", "0", "off", "disabled": return false
            default: return nil
            }
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension String {
    /// Trims spaces, tabs, CR and LF without Foundation.
    public func trimmingASCIISpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}

// MARK: - Building values

extension JSONValue {
    public init(_ string: String?) { self = string.map(JSONValue.string) ?? .null }
    public init(_ int: Int?) { self = int.map { .int(Int64($0)) } ?? .null }
    public init(_ int: Int64?) { self = int.map(JSONValue.int) ?? .null }
    public init(_ double: Double?) {
        guard let double, double.isFinite else { self = .null; return }
        self = .double(double)
    }
    public init(_ bool: Bool?) { self = bool.map(JSONValue.bool) ?? .null }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Entry(key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}
