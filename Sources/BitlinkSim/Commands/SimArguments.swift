/// A small argv reader for `bitlink-sim`: `--name value`, `--name=value`, flags.
struct SimArguments {
    private var items: [String]
    private(set) var positionals: [String] = []

    init(_ arguments: [String]) { items = arguments }

    /// Takes the value of `--name` (last occurrence wins), or nil if absent.
    mutating func value(_ name: String) throws -> String? {
        var found: String?
        var index = 0
        while index < items.count {
            let item = items[index]
            if item == "--\(name)" {
                guard index + 1 < items.count else {
                    throw SimError.invalidValue(what: "option", value: "--\(name)", why: "needs a value")
                }
                found = items[index + 1]
                items.removeSubrange(index...(index + 1))
            } else if item.hasPrefix("--\(name)=") {
                found = String(item.dropFirst(name.count + 3))
                items.remove(at: index)
            } else {
                index += 1
            }
        }
        return found
    }

    /// Whether `--name` is present (removed when found).
    mutating func flag(_ name: String) -> Bool {
        let before = items.count
        items.removeAll { $0 == "--\(name)" }
        return items.count != before
    }

    mutating func int(_ name: String) throws -> Int? {
        guard let text = try value(name) else { return nil }
        guard let number = Int(text) else {
            throw SimError.invalidValue(what: "--\(name)", value: text, why: "expected an integer")
        }
        return number
    }

    mutating func port(_ name: String) throws -> UInt16? {
        guard let text = try value(name) else { return nil }
        guard let number = UInt16(text), number > 0 else {
            throw SimError.invalidValue(what: "--\(name)", value: text, why: "expected a port 1-65535")
        }
        return number
    }

    /// Fails on anything left that looks like an option.
    func finish() throws -> [String] {
        if let unknown = items.first(where: { $0.hasPrefix("-") }) {
            throw SimError.invalidValue(what: "option", value: unknown, why: "unknown option (see 'bitlink-sim --help')")
        }
        return items
    }

    /// `10m`, `30s`, `500ms`, `2h`, or bare seconds.
    static func duration(_ text: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if let value = Double(number), value >= 0, !(suffix == "s" && number.hasSuffix("m")) {
                return value * scale
            }
        }
        if let value = Double(text), value >= 0 { return value }
        throw SimError.invalidValue(what: "duration", value: text, why: "expected e.g. 30s, 10m, 1h")
    }
}
