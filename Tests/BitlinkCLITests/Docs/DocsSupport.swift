import Foundation
import Testing

@testable import BitlinkCLI

/// The repository's documentation files, read for the drift tests.
enum Docs {
    /// The repository root: this file is `Tests/BitlinkCLITests/Docs/DocsSupport.swift`.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var manDirectory: URL { root.appendingPathComponent("man") }
    static var completionsDirectory: URL { root.appendingPathComponent("completions") }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The man page files present in `man/`.
    static func manPageFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: manDirectory.path).filter { $0.hasSuffix(".1") }.sorted()
    }

    /// The non-hidden commands of the table, each with its space-joined path.
    static var commands: [CommandSpec] { CommandTable.standard.allCommands.filter { !$0.hidden } }

    static func command(named name: String) -> CommandSpec {
        commands.first(where: { $0.name == name })!
    }

    /// Groups (`miners`) and the table's verbs and aliases in each.
    static var groupVerbs: [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for group in CommandTable.standard.groups {
            let specs = CommandTable.standard.commands(in: group.name).filter { !$0.hidden }
            result[group.name] = Set(specs.flatMap { [$0.path.last!] + $0.aliases })
        }
        return result
    }

    /// Words that may follow `bitlink`: top-level commands, groups and `help`.
    static var topLevelWords: Set<String> { Set(CommandTable.standard.topLevelWords) }

    /// Every option that takes a value, globals included, by long name.
    static var valuedOptions: Set<String> {
        Set((CommandTable.globalOptions + commands.flatMap(\.options)).filter(\.takesValue).map(\.long))
    }
}

/// Whitespace-separated words of a text, for "is this name mentioned" checks. Names are
/// cut at anything that cannot be part of an option or command name, so `--time`
/// never matches inside `--timeout`.
func nameTokens(_ text: String) -> Set<String> {
    var tokens = Set<String>()
    var current = ""
    for character in text {
        if character.isLetter || character.isNumber || character == "-" || character == "_" {
            current.append(character)
        } else {
            if !current.isEmpty { tokens.insert(current) }
            current = ""
        }
    }
    if !current.isEmpty { tokens.insert(current) }
    return tokens
}

/// Text with runs of whitespace collapsed to one space, lowercased.
func flattened(_ text: String) -> String {
    text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
}

// MARK: - Man pages

/// One mdoc page split into its `.Sh` sections.
struct ManPage {
    let file: String
    let text: String
    /// Section names in order of appearance.
    let sectionOrder: [String]
    let sections: [String: String]

    init(file: String) throws {
        self.file = file
        text = try Docs.read("man/" + file)
        var order: [String] = []
        var sections: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".Sh ") {
                let name = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
                order.append(name)
                current = name
                sections[name] = ""
            } else if let current {
                sections[current]! += line + "\n"
            }
        }
        sectionOrder = order
        self.sections = sections
    }

    func section(_ name: String) -> String { sections[name] ?? "" }

    /// The lines of a section, each split into words (`.It Fl \-type Ar type` gives
    /// `.It`, `Fl`, `\-type`, `Ar`, `type`).
    func macroLines(_ section: String) -> [[String]] {
        self.section(section).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    /// Whether an `.It` line of the section names `--long` with `Fl`.
    func hasItem(option long: String, in section: String) -> Bool {
        ManPage.hasItem(option: long, lines: self.section(section))
    }

    static func hasItem(option long: String, lines: String) -> Bool {
        for line in lines.split(separator: "\n") where line.hasPrefix(".It ") {
            let words = line.split(separator: " ").map(String.init)
            for index in words.indices.dropLast() where words[index] == "Fl" && words[index + 1] == "\\-" + long {
                return true
            }
        }
        return false
    }

    /// Whether an `.It` line of the section names the short option `-x` with `Fl`.
    func hasItem(short: Character, in section: String) -> Bool {
        for line in self.section(section).split(separator: "\n") where line.hasPrefix(".It ") {
            let words = line.split(separator: " ").map(String.init)
            for index in words.indices.dropLast() where words[index] == "Fl" && words[index + 1] == String(short) {
                return true
            }
        }
        return false
    }

    /// The SYNOPSIS forms (each starts at a `.Nm` line) whose command words are `path`.
    func synopsisForms(for path: [String]) -> [String] {
        var forms: [String] = []
        var current = ""
        for line in section("SYNOPSIS").split(separator: "\n") {
            if line.hasPrefix(".Nm") {
                if !current.isEmpty { forms.append(current) }
                current = ""
            }
            current += line + "\n"
        }
        if !current.isEmpty { forms.append(current) }
        let wanted = ".Cm " + path.joined(separator: " ")
        return forms.filter { $0.split(separator: "\n").contains(where: { $0 == wanted || $0.hasPrefix(wanted + " ") }) }
    }

    /// The top-level `.It Cm WORD` items of DESCRIPTION (the list of subcommands), each
    /// with its nested text: `["list": ".It Cm list ...\n.Bl ...\n.It Fl \-type ..."]`.
    func descriptionItems() -> [String: String] {
        var items: [String: String] = [:]
        var depth = 0
        var current: String?
        for line in section("DESCRIPTION").split(separator: "\n") {
            if line.hasPrefix(".Bl") {
                depth += 1
            } else if line.hasPrefix(".El") {
                depth -= 1
                if depth == 0 { current = nil }
            } else if depth == 1, line.hasPrefix(".It ") {
                let words = line.split(separator: " ")
                if words.count > 2, words[1] == "Cm" {
                    current = String(words[2])
                    items[current!, default: ""] += ""
                } else {
                    current = nil
                }
            }
            if let current { items[current]! += line + "\n" }
        }
        return items
    }

    /// The exit codes listed as `.It N` in EXIT STATUS, with the text of each entry.
    func exitStatusEntries() -> [(code: Int, text: String)] {
        var entries: [(code: Int, text: String)] = []
        var depth = 0
        for line in section("EXIT STATUS").split(separator: "\n") {
            if line.hasPrefix(".Bl") { depth += 1; continue }
            if line.hasPrefix(".El") { depth -= 1; continue }
            if depth == 1, line.hasPrefix(".It "), let code = Int(line.dropFirst(4).trimmingCharacters(in: .whitespaces)) {
                entries.append((code, ""))
                continue
            }
            if depth >= 1, !entries.isEmpty { entries[entries.count - 1].text += line + "\n" }
        }
        return entries
    }

    /// Key names given with `Li` in JSON OUTPUT (`.It Li status`, `.Li miner_id ,`).
    func jsonKeys() -> Set<String> {
        var keys = Set<String>()
        for words in macroLines("JSON OUTPUT") {
            for index in words.indices.dropLast() where words[index] == "Li" || words[index] == ".Li" {
                keys.insert(words[index + 1])
            }
        }
        return keys
    }
}

// MARK: - Completion scripts

enum Shell: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case bash, zsh, fish

    var file: String {
        switch self {
        case .bash: return "completions/bitlink.bash"
        case .zsh: return "completions/_bitlink"
        case .fish: return "completions/bitlink.fish"
        }
    }

    var testDescription: String { rawValue }
}

/// What a completion script offers, read from its source: the layout each script
/// documents in its header comment.
struct CompletionModel {
    /// Words offered after `bitlink`.
    var commands: Set<String> = []
    /// Verbs offered after each group, aliases included.
    var verbs: [String: Set<String>] = [:]
    /// Long options (without dashes) offered for each command path (`miners list`).
    var options: [String: Set<String>] = [:]
    var globalLongs: Set<String> = []
    var globalShorts: Set<String> = []
    /// The source text that completes the value of an option of a command.
    var valueSource: (_ command: String?, _ long: String) -> String = { _, _ in "" }
    /// The source text that completes the operands of a command.
    var operandSource: (_ command: String) -> String = { _ in "" }
    /// bash only: the options it treats as taking a value.
    var valuedOptions: Set<String>?

    static func load(_ shell: Shell) throws -> CompletionModel {
        let text = try Docs.read(shell.file)
        switch shell {
        case .bash: return bash(text)
        case .zsh: return zsh(text)
        case .fish: return fish(text)
        }
    }

    // MARK: bash

    static func bash(_ text: String) -> CompletionModel {
        var model = CompletionModel()
        func variable(_ name: String) -> [String] {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + "=\"") }) else { return [] }
            return line.dropFirst(name.count + 2).dropLast().split(separator: " ").map(String.init)
        }
        model.commands = Set(variable("__bitlink_commands"))
        let globals = variable("__bitlink_global_options")
        model.globalLongs = Set(globals.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) })
        model.globalShorts = Set(globals.filter { !$0.hasPrefix("--") && $0.hasPrefix("-") }.map { String($0.dropFirst()) })
        model.valuedOptions = Set(variable("__bitlink_valued_options").map { String($0.dropFirst(2)) })

        for arm in caseArms(caseBlock("case $1 in", in: functionBody("__bitlink_group_verbs", in: text, shell: .bash))) {
            for label in arm.labels { model.verbs[label] = Set(arm.words.filter { !$0.hasPrefix("-") && $0 != "echo" }) }
        }
        for arm in caseArms(caseBlock("case $1 in", in: functionBody("__bitlink_command_options", in: text, shell: .bash))) {
            for label in arm.labels {
                model.options[label] = Set(arm.words.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) })
            }
        }
        let body = functionBody("_bitlink", in: text, shell: .bash)
        let valueArms = caseArms(caseBlock("case $prev in", in: body))
        let operandArms = caseArms(caseBlock("case $path in", in: body))
        model.valueSource = { _, long in valueArms.filter { $0.labels.contains("--" + long) }.map(\.body).joined() }
        model.operandSource = { command in operandArms.filter { $0.labels.contains(command) }.map(\.body).joined() }
        return model
    }

    // MARK: zsh

    /// `_bitlink_cmd_miners_list` for `miners list`.
    static func zshFunction(for command: String) -> String {
        "_bitlink_cmd_" + command.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    static func zsh(_ text: String) -> CompletionModel {
        var model = CompletionModel()
        model.commands = Set(describedWords(functionBody("_bitlink_commands", in: text, shell: .zsh)))
        for arm in caseArms(caseBlock("case $1 in", in: functionBody("_bitlink_verbs", in: text, shell: .zsh))) {
            for label in arm.labels { model.verbs[label] = Set(describedWords(arm.body)) }
        }
        for command in Docs.commands {
            let body = functionBody(zshFunction(for: command.name), in: text, shell: .zsh)
            if !body.isEmpty { model.options[command.name] = Set(zshSpecs(body).map(\.long)) }
        }
        // The global specs sit between `_bitlink_globals=(` and the closing `)`.
        var globals = ""
        var inside = false
        for line in text.split(separator: "\n") {
            if line.contains("_bitlink_globals=(") { inside = true; continue }
            if inside, line.trimmingCharacters(in: .whitespaces) == ")" { break }
            if inside { globals += line + "\n" }
        }
        model.globalLongs = Set(zshSpecs(globals).map(\.long))
        model.globalShorts = Set(
            globals.split(separator: "\n").compactMap { line -> String? in
                guard let range = line.range(of: "{-") else { return nil }
                return String(line[range.upperBound...].prefix(1))
            })
        let globalSpecs = zshSpecs(globals)
        model.valueSource = { command, long in
            if let command {
                let body = functionBody(zshFunction(for: command), in: text, shell: .zsh)
                return zshSpecs(body).filter { $0.long == long }.map(\.spec).joined(separator: "\n")
            }
            return globalSpecs.filter { $0.long == long }.map(\.spec).joined(separator: "\n")
        }
        model.operandSource = { command in
            // The command's function and the helpers it names, one level down.
            let body = functionBody(zshFunction(for: command), in: text, shell: .zsh)
            var source = body
            for helper in nameTokens(body) where helper.hasPrefix("_bitlink_") && helper != zshFunction(for: command) {
                source += functionBody(helper, in: text, shell: .zsh)
            }
            return source
        }
        return model
    }

    /// `'name:description'` entries of a `_describe` array.
    static func describedWords(_ text: String) -> [String] {
        var words: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let quote = trimmed.first, quote == "'" || quote == "\"" else { continue }
            let body = trimmed.dropFirst()
            guard let colon = body.firstIndex(of: ":") else { continue }
            let word = String(body[..<colon])
            if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { words.append(word) }
        }
        return words
    }

    /// `_arguments` option specs: `'(--disabled)--enabled[...]'`, `'*--exclude=[...]:...'`.
    static func zshSpecs(_ text: String) -> [(long: String, spec: String)] {
        var specs: [(long: String, spec: String)] = []
        for line in text.split(separator: "\n") {
            var rest = Substring(line.trimmingCharacters(in: .whitespaces))
            guard rest.hasPrefix("'") else { continue }
            rest = rest.dropFirst()
            if rest.hasPrefix("(") {
                guard let close = rest.firstIndex(of: ")") else { continue }
                rest = rest[rest.index(after: close)...]
                // `'(-q --quiet)'{-q,--quiet}'[...]'`: the names follow in braces.
                if rest.hasPrefix("'{"), let comma = rest.firstIndex(of: ","), let brace = rest.firstIndex(of: "}") {
                    let name = rest[rest.index(after: comma)..<brace]
                    if name.hasPrefix("--") { specs.append((String(name.dropFirst(2)), String(line))) }
                    continue
                }
            }
            if rest.hasPrefix("*") { rest = rest.dropFirst() }
            guard rest.hasPrefix("--") else { continue }
            let name = rest.dropFirst(2).prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" })
            if !name.isEmpty { specs.append((String(name), String(line))) }
        }
        return specs
    }

    // MARK: fish

    /// One `complete -c bitlink ...` line.
    struct FishLine {
        var text: String
        var condition: String?
        var long: String?
        var short: String?
        var arguments: String?

        /// The `__fish_seen_subcommand_from` word lists that must hold (not negated).
        var seenLists: [Set<String>] {
            guard let condition else { return [] }
            var lists: [Set<String>] = []
            for clause in condition.split(separator: ";") {
                let words = clause.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "__fish_seen_subcommand_from") else { continue }
                if index > 0, words[index - 1] == "not" { continue }
                lists.append(Set(words[(index + 1)...]))
            }
            return lists
        }

        /// Whether the line applies to a command (`scan`, or `miners list` with its aliases).
        func applies(to command: CommandSpec) -> Bool {
            let lists = seenLists
            if command.path.count == 1 {
                return lists.count == 1 && lists[0] == [command.path[0]]
            }
            let verbs = Set([command.path[1]] + command.aliases)
            return lists.count == 2 && lists.contains([command.path[0]]) && lists.contains(where: { verbs.isSubset(of: $0) })
        }
    }

    static func fishLines(_ text: String) -> [FishLine] {
        text.split(separator: "\n").filter { $0.hasPrefix("complete -c bitlink") }.map { line in
            let words = shellWords(String(line))
            var parsed = FishLine(text: String(line))
            var index = 0
            while index < words.count {
                let next = index + 1 < words.count ? words[index + 1] : nil
                switch words[index] {
                case "-n": parsed.condition = next; index += 1
                case "-l": parsed.long = next; index += 1
                case "-s": parsed.short = next; index += 1
                case "-a": parsed.arguments = next; index += 1
                case "-d", "-c": index += 1
                default: break
                }
                index += 1
            }
            return parsed
        }
    }

    static func fish(_ text: String) -> CompletionModel {
        var model = CompletionModel()
        let lines = fishLines(text)
        for line in lines {
            if line.condition == "__bitlink_needs_command", let word = line.arguments { model.commands.insert(word) }
            if let condition = line.condition, condition.hasPrefix("__bitlink_needs_verb "), let word = line.arguments {
                model.verbs[String(condition.dropFirst("__bitlink_needs_verb ".count)), default: []].insert(word)
            }
            if line.condition == nil {
                if let long = line.long { model.globalLongs.insert(long) }
                if let short = line.short { model.globalShorts.insert(short) }
            }
        }
        for command in Docs.commands {
            let longs = lines.filter { $0.applies(to: command) }.compactMap(\.long)
            if !longs.isEmpty { model.options[command.name] = Set(longs) }
        }
        model.valueSource = { name, long in
            lines.filter { line in
                line.long == long && (name.map { line.applies(to: Docs.command(named: $0)) } ?? (line.condition == nil))
            }.map(\.text).joined(separator: "\n")
        }
        model.operandSource = { name in
            let command = Docs.command(named: name)
            return lines.filter { $0.long == nil && $0.short == nil && $0.applies(to: command) }.map(\.text).joined(separator: "\n")
        }
        return model
    }
}

/// Words of a shell line, with '…' and "…" quoting removed.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in line {
        if let open = quote {
            if character == open { quote = nil } else { current.append(character) }
        } else if character == "'" || character == "\"" {
            quote = character
            inWord = true
        } else if character == " " || character == "\t" {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        } else {
            current.append(character)
            inWord = true
        }
    }
    if inWord { words.append(current) }
    return words
}

/// The body of a shell function `name() {` … `}` (the closing brace alone in column 0).
func functionBody(_ name: String, in text: String, shell: Shell) -> String {
    var body = ""
    var inside = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if !inside {
            if line.hasPrefix(name + "()") { inside = true }
            continue
        }
        if line == "}" { return body }
        body += line + "\n"
    }
    return inside ? body : ""
}

/// From the line containing `marker` to its `esac`.
func caseBlock(_ marker: String, in text: String) -> String {
    var block = ""
    var inside = false
    for line in text.split(separator: "\n") {
        if !inside {
            if line.contains(marker) { inside = true }
            continue
        }
        if line.trimmingCharacters(in: .whitespaces) == "esac" { return block }
        block += line + "\n"
    }
    return block
}

/// The arms of a shell `case`: labels (unquoted alternatives) and body text.
struct CaseArm {
    var labels: [String]
    var body: String
    /// The words of the body, quotes dropped (`echo "list ls"` gives `echo`, `list`, `ls`).
    var words: [String] {
        body.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }.filter { !$0.isEmpty }
    }
}

func caseArms(_ text: String) -> [CaseArm] {
    var arms: [CaseArm] = []
    for chunk in text.components(separatedBy: ";;") {
        // The label is the first line that is not a comment or `case ... in`.
        let lines = chunk.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && !($0.hasPrefix("case ") && $0.hasSuffix(" in")) }
        guard var first = lines.first, let close = first.firstIndex(of: ")") else { continue }
        var label = String(first[..<close])
        if label.hasPrefix("(") { label.removeFirst() }
        first = String(first[first.index(after: close)...])
        let labels = label.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        arms.append(CaseArm(labels: labels, body: ([first] + lines.dropFirst()).joined(separator: "\n")))
    }
    return arms
}

// MARK: - External tools

/// Runs a tool found on PATH. Returns nil when the tool is not installed.
func runTool(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String)? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard
        let executable = path.split(separator: ":").map({ "\($0)/\(name)" }).first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        })
    else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
