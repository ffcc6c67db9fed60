import BitlinkCore

/// How the shell completes an option's value or an argument.
public enum CompletionKind: Sendable, Equatable {
    case none
    case miners
    case wallets
    case families
    case file
    case values([String])
}

/// One option of a command (or a global option).
public struct OptionSpec: Sendable {
    /// Long name without dashes (`type` for `--type`).
    public var long: String
    public var short: Character?
    /// Placeholder for the value (`TYPE`); nil for a flag.
    public var valueName: String?
    public var help: String
    /// Environment variable read when the option is absent; the option wins.
    public var environment: String?
    public var completion: CompletionKind
    /// May be given several times (values accumulate); otherwise the last one wins.
    public var repeatable: Bool

    public init(
        _ long: String, short: Character? = nil, value: String? = nil, help: String, environment: String? = nil,
        completion: CompletionKind = .none, repeatable: Bool = false
    ) {
        self.long = long
        self.short = short
        self.valueName = value
        self.help = help
        self.environment = environment
        self.completion = completion
        self.repeatable = repeatable
    }

    public var takesValue: Bool { valueName != nil }

    /// `--type TYPE` or `-q, --quiet` as shown in help.
    public var displayName: String {
        var name = "--\(long)"
        if let valueName { name += " \(valueName)" }
        if let short { name = "-\(short), " + name }
        return name
    }
}

/// A positional argument.
public struct PositionalSpec: Sendable {
    public var name: String
    public var help: String
    public var optional: Bool
    public var variadic: Bool
    public var completion: CompletionKind

    public init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false, completion: CompletionKind = .none) {
        self.name = name
        self.help = help
        self.optional = optional
        self.variadic = variadic
        self.completion = completion
    }
}

/// What a command needs before it runs, in the spirit of git's RUN_SETUP bits. The
/// context opens the database in this mode, so what a command declares is what it gets.
public enum DatabaseAccess: String, Sendable {
    /// No database at all.
    case none
    /// Used when the file exists, never created (`info` on any address, completion).
    case optional
    /// An existing database, read or written; never created (exit 66 when missing), so a
    /// mistyped `--db` cannot leave an empty file behind.
    case existing
    /// Created (with its directory) when missing: commands that add miners or wallets.
    case create
}

/// One example shown first in long help and in the man page.
public struct Example: Sendable {
    public var command: String
    public var explanation: String
    public init(_ command: String, _ explanation: String) {
        self.command = command
        self.explanation = explanation
    }
}

/// A leaf command: everything help, completions, man-page checks and dispatch need.
public struct CommandSpec: Sendable {
    public typealias Run = @Sendable (Invocation, Context) throws -> ExitStatus

    /// Words after `bitlink` (`["miners", "add"]`).
    public var path: [String]
    /// Explicit alternative last words (`ls` for `miners list`); never abbreviations.
    public var aliases: [String]
    public var summary: String
    public var discussion: String
    public var examples: [Example]
    public var options: [OptionSpec]
    public var positionals: [PositionalSpec]
    public var database: DatabaseAccess
    public var hidden: Bool
    /// Options that cannot be combined (each inner list: at most one of them).
    public var exclusive: [[String]]
    public var run: Run

    public init(
        path: [String], aliases: [String] = [], summary: String, discussion: String = "", examples: [Example] = [],
        options: [OptionSpec] = [], positionals: [PositionalSpec] = [], database: DatabaseAccess, hidden: Bool = false,
        exclusive: [[String]] = [], run: @escaping Run
    ) {
        self.path = path
        self.aliases = aliases
        self.summary = summary
        self.discussion = discussion
        self.examples = examples
        self.options = options
        self.positionals = positionals
        self.database = database
        self.hidden = hidden
        self.exclusive = exclusive
        self.run = run
    }

    public var name: String { path.joined(separator: " ") }

    /// `bitlink miners list [--type TYPE] [--status STATUS] [--enabled | --disabled]`
    public var synopsis: String {
        var parts = ["bitlink"] + path
        var grouped = Set<String>()
        for group in exclusive {
            grouped.formUnion(group)
        }
        var shownGroups = Set<Int>()
        for option in options {
            if let groupIndex = exclusive.firstIndex(where: { $0.contains(option.long) }) {
                if shownGroups.insert(groupIndex).inserted {
                    let members = exclusive[groupIndex].compactMap { name in options.first(where: { $0.long == name }) }
                    parts.append("[" + members.map(\.usageFragment).joined(separator: " | ") + "]")
                }
            } else {
                parts.append("[\(option.usageFragment)]")
            }
        }
        for positional in positionals {
            var text = positional.name
            if positional.variadic { text += "..." }
            parts.append(positional.optional ? "[\(text)]" : text)
        }
        return parts.joined(separator: " ")
    }
}

extension OptionSpec {
    var usageFragment: String {
        "--\(long)" + (valueName.map { " \($0)" } ?? "")
    }
}

/// A command family (`miners`, `wallets`, `shares`) that groups leaf commands.
public struct CommandGroup: Sendable {
    public var name: String
    public var summary: String
    public init(_ name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}
