import BitlinkCore

/// A parsed command line: the command, its option values (still strings) and its
/// positionals. Typed accessors validate and throw `UsageError` naming the option.
public struct Invocation: Sendable {
    public let command: CommandSpec
    /// Long option name -> values in order (flags have one empty value per occurrence).
    public let values: [String: [String]]
    public let positionals: [String]
    public let environment: [String: String]

    public init(command: CommandSpec, values: [String: [String]], positionals: [String], environment: [String: String]) {
        self.command = command
        self.values = values
        self.positionals = positionals
        self.environment = environment
    }

    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// The last value given for a single-valued option.
    public func value(_ name: String) -> String? { values[name]?.last }

    public func allValues(_ name: String) -> [String] { values[name] ?? [] }

    public func usageError(_ message: String, suggestion: String? = nil) -> UsageError {
        UsageError(message, suggestion: suggestion, commandPath: command.path)
    }

    /// A non-empty string value.
    public func string(_ name: String) throws(UsageError) -> String? {
        guard let value = value(name) else { return nil }
        guard !value.isEmpty else { throw usageError("empty value for '--\(name)'") }
        return value
    }

    public func integer(_ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw usageError("invalid value '\(text)' for '--\(name)': expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    public func port(_ name: String) throws(UsageError) -> UInt16? {
        try integer(name, in: 1...65535).map { UInt16($0) }
    }

    /// A duration like `500ms`, `3s`, `2m`, `1h`, `7d`; a bare number means seconds.
    public func duration(_ name: String) throws(UsageError) -> Double? {
        guard let text = value(name) else { return nil }
        guard let seconds = DurationParser.seconds(text) else {
            throw usageError("invalid duration '\(text)' for '--\(name)': use a number with ms, s, m, h or d (for example 30s)")
        }
        return seconds
    }

    /// A positive duration.
    public func positiveDuration(_ name: String) throws(UsageError) -> Double? {
        guard let seconds = try duration(name) else { return nil }
        guard seconds > 0 else { throw usageError("'--\(name)' must be greater than zero") }
        return seconds
    }

    public func family(_ name: String) throws(UsageError) -> MinerFamily? {
        guard let text = value(name) else { return nil }
        return try Invocation.family(text, option: name, commandPath: command.path)
    }

    static func family(_ text: String, option: String, commandPath: [String]) throws(UsageError) -> MinerFamily {
        if let family = MinerFamily(rawValue: text.lowercased()), family != .unknown { return family }
        let names = MinerFamily.allCases.filter { $0 != .unknown }.map(\.rawValue)
        throw UsageError(
            "invalid miner type '\(text)' for '--\(option)': expected one of \(names.joined(separator: ", "))",
            suggestion: Suggestions.closest(to: text, in: names).first.map { "Did you mean '\($0)'?" },
            commandPath: commandPath)
    }

    /// One of a fixed set of words.
    public func choice(_ name: String, _ choices: [String]) throws(UsageError) -> String? {
        guard let text = value(name) else { return nil }
        guard choices.contains(text) else {
            throw usageError(
                "invalid value '\(text)' for '--\(name)': expected one of \(choices.joined(separator: ", "))",
                suggestion: Suggestions.closest(to: text, in: choices).first.map { "Did you mean '\($0)'?" })
        }
        return text
    }
}

/// nmap-style durations: `500ms`, `3s`, `2m`, `1h`, `7d`, or seconds as a bare number.
public enum DurationParser {
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number), value.isFinite, value >= 0
        else { return nil }
        return value * scale
    }
}
