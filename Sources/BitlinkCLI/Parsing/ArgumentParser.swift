/// The hand-written parser: argv -> what to do. Nothing here does I/O.
///
/// Rules (conventions.md B.5): `--name=value` and `--name value`; `-x` short flags,
/// bundled when they are all flags (`-qv`); `--` ends options; global options before or
/// after the command; for single-valued options the last occurrence wins; a value that
/// starts with `-` must use the `=` form; no abbreviations, only explicit aliases.
public struct ArgumentParser: Sendable {
    public enum Outcome: Sendable {
        /// Print the help of a command, a group, or the tool (nil, nil) on stdout; exit 0.
        case help(command: CommandSpec?, group: CommandGroup?)
        /// Print the version; exit 0.
        case version
        /// Nothing to run: print the short help of a group, or of the tool, on stderr; exit 64.
        case shortHelp(group: CommandGroup?)
        case run(Invocation)
    }

    public let table: CommandTable

    public init(table: CommandTable) { self.table = table }

    public func parse(_ arguments: [String], environment: [String: String] = [:]) throws(UsageError) -> Outcome {
        let dashDash = arguments.firstIndex(of: "--")
        let optionArea = dashDash.map { Array(arguments[..<$0]) } ?? arguments
        let afterDashDash = dashDash.map { Array(arguments[($0 + 1)...]) } ?? []

        // Pass 1: find the command path, skipping global options (and their values).
        var pathWords: [String] = []
        var consumed = Set<Int>()
        var index = 0
        var wantsHelp = false
        var wantsVersion = false
        var helpCommandWords: [String]?
        var resolved: CommandSpec?
        var group: CommandGroup?
        while index < optionArea.count {
            let token = optionArea[index]
            if token == "-h" || token == "--help" {
                wantsHelp = true
                consumed.insert(index)
                index += 1
                continue
            }
            if token == "--version" {
                wantsVersion = true
                consumed.insert(index)
                index += 1
                continue
            }
            if isOption(token) {
                if resolved == nil, helpCommandWords == nil {
                    // Before the command only global options may appear.
                    let option = try globalOption(token, commandPath: nil)
                    if let option, option.takesValue, !token.contains("=") { index += 1 }
                }
                index += 1
                continue
            }
            if var words = helpCommandWords {
                words.append(token)
                helpCommandWords = words
                consumed.insert(index)
                index += 1
                continue
            }
            if resolved != nil { break }
            if let current = group {
                guard let leaf = table.command(group: current.name, word: token) else {
                    let names = table.commands(in: current.name).filter { !$0.hidden }.map { $0.path.last! }
                    throw UsageError(
                        "'\(current.name) \(token)' is not a bitlink command",
                        suggestion: Suggestions.closest(to: token, in: names).first.map { "Did you mean '\(current.name) \($0)'?" },
                        commandPath: [current.name])
                }
                resolved = leaf
                pathWords.append(token)
                consumed.insert(index)
                index += 1
                continue
            }
            if token == "help" {
                helpCommandWords = []
                consumed.insert(index)
                index += 1
                continue
            }
            if let leaf = table.command(top: token) {
                resolved = leaf
            } else if let found = table.group(named: token) {
                group = found
            } else {
                throw unknownCommand(token)
            }
            pathWords.append(token)
            consumed.insert(index)
            index += 1
        }

        if let words = helpCommandWords {
            return try helpOutcome(for: words)
        }
        if wantsHelp { return .help(command: resolved, group: resolved == nil ? group : nil) }
        if wantsVersion { return .version }
        guard let command = resolved else {
            return .shortHelp(group: group)
        }

        // Pass 2: the command's own options and positionals, plus globals anywhere.
        var values: [String: [String]] = [:]
        var positionals: [String] = []
        index = 0
        while index < optionArea.count {
            defer { index += 1 }
            if consumed.contains(index) { continue }
            let token = optionArea[index]
            guard isOption(token) else {
                positionals.append(token)
                continue
            }
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name: String
                var inlineValue: String?
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inlineValue = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
                guard let spec = option(named: name, in: command) else {
                    throw unknownOption("--\(name)", command: command)
                }
                if spec.takesValue {
                    let value: String
                    if let inlineValue {
                        value = inlineValue
                    } else {
                        guard index + 1 < optionArea.count, !isOption(optionArea[index + 1]) || optionArea[index + 1] == "-" else {
                            throw UsageError("missing value for option '--\(name)'", commandPath: command.path)
                        }
                        index += 1
                        value = optionArea[index]
                    }
                    record(spec, value, into: &values)
                } else {
                    if inlineValue != nil {
                        throw UsageError("option '--\(name)' takes no value", commandPath: command.path)
                    }
                    record(spec, "", into: &values)
                }
            } else {
                // Short options: a single one may take a value; bundles are flags only.
                let letters = Array(token.dropFirst())
                for (offset, letter) in letters.enumerated() {
                    guard let spec = shortOption(letter, in: command) else {
                        throw unknownOption("-\(letter)", command: command)
                    }
                    if spec.takesValue {
                        guard letters.count == 1 else {
                            throw UsageError("option '-\(letter)' takes a value and cannot be bundled", commandPath: command.path)
                        }
                        guard index + 1 < optionArea.count else {
                            throw UsageError("missing value for option '-\(letter)'", commandPath: command.path)
                        }
                        index += 1
                        record(spec, optionArea[index], into: &values)
                    } else {
                        _ = offset
                        record(spec, "", into: &values)
                    }
                }
            }
        }
        positionals.append(contentsOf: afterDashDash)

        for group in command.exclusive {
            let given = group.filter { values[$0] != nil }
            if given.count > 1 {
                throw UsageError(
                    "options " + given.map { "'--\($0)'" }.joined(separator: " and ") + " cannot be used together",
                    commandPath: command.path)
            }
        }
        try checkPositionals(positionals, for: command)
        return .run(Invocation(command: command, values: values, positionals: positionals, environment: environment))
    }

    // MARK: - Pieces

    private func isOption(_ token: String) -> Bool {
        token.count > 1 && token.hasPrefix("-")
    }

    private func record(_ spec: OptionSpec, _ value: String, into values: inout [String: [String]]) {
        if spec.repeatable {
            values[spec.long, default: []].append(value)
        } else {
            values[spec.long] = [value]
        }
    }

    private func option(named name: String, in command: CommandSpec) -> OptionSpec? {
        command.options.first(where: { $0.long == name }) ?? CommandTable.globalOptions.first(where: { $0.long == name })
    }

    private func shortOption(_ letter: Character, in command: CommandSpec) -> OptionSpec? {
        command.options.first(where: { $0.short == letter }) ?? CommandTable.globalOptions.first(where: { $0.short == letter })
    }

    /// Validates a global option that appears before the command.
    private func globalOption(_ token: String, commandPath: [String]?) throws(UsageError) -> OptionSpec? {
        if token.hasPrefix("--") {
            let name = String(token.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "")
            if let spec = CommandTable.globalOptions.first(where: { $0.long == name }) { return spec }
            throw unknownOption("--\(name)", command: nil)
        }
        for letter in token.dropFirst() where !CommandTable.globalOptions.contains(where: { $0.short == letter }) {
            throw unknownOption("-\(letter)", command: nil)
        }
        return nil
    }

    private func unknownOption(_ option: String, command: CommandSpec?) -> UsageError {
        let candidates = ((command?.options ?? []) + CommandTable.globalOptions).flatMap { spec -> [String] in
            var names = ["--\(spec.long)"]
            if let short = spec.short { names.append("-\(short)") }
            return names
        }
        let suggestion = option.hasPrefix("--")
            ? Suggestions.closest(to: option, in: candidates.filter { $0.hasPrefix("--") }).first
            : nil
        return UsageError("unknown option '\(option)'", suggestion: suggestion.map { "Did you mean '\($0)'?" }, commandPath: command?.path)
    }

    private func unknownCommand(_ word: String) -> UsageError {
        let suggestion = Suggestions.closest(to: word, in: table.topLevelWords).first
        return UsageError("'\(word)' is not a bitlink command", suggestion: suggestion.map { "Did you mean '\($0)'?" })
    }

    private func helpOutcome(for words: [String]) throws(UsageError) -> Outcome {
        guard let first = words.first else { return .help(command: nil, group: nil) }
        if let leaf = table.command(top: first) {
            guard words.count == 1 else { throw UsageError("unexpected argument '\(words[1])'", commandPath: ["help"]) }
            return .help(command: leaf, group: nil)
        }
        guard let group = table.group(named: first) else { throw unknownCommand(first) }
        guard words.count > 1 else { return .help(command: nil, group: group) }
        guard let leaf = table.command(group: group.name, word: words[1]) else {
            let names = table.commands(in: group.name).filter { !$0.hidden }.map { $0.path.last! }
            throw UsageError(
                "'\(group.name) \(words[1])' is not a bitlink command",
                suggestion: Suggestions.closest(to: words[1], in: names).first.map { "Did you mean '\(group.name) \($0)'?" },
                commandPath: [group.name])
        }
        guard words.count == 2 else { throw UsageError("unexpected argument '\(words[2])'", commandPath: ["help"]) }
        return .help(command: leaf, group: nil)
    }

    private func checkPositionals(_ positionals: [String], for command: CommandSpec) throws(UsageError) {
        let required = command.positionals.filter { !$0.optional }
        if positionals.count < required.count {
            let missing = required[positionals.count]
            throw UsageError("missing argument \(missing.name)", commandPath: command.path)
        }
        let variadic = command.positionals.contains(where: \.variadic)
        if !variadic, positionals.count > command.positionals.count {
            throw UsageError("unexpected argument '\(positionals[command.positionals.count])'", commandPath: command.path)
        }
    }
}
