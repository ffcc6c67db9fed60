/// The one table of commands. Dispatch, help, `__dump-commands`, the completion scripts
/// and the man pages are all checked against it (git's `commands[]` idea).
public struct CommandTable: Sendable {
    public enum Entry: Sendable {
        case command(CommandSpec)
        case group(CommandGroup)
    }

    /// Top-level entries in the order help lists them.
    public let topLevel: [Entry]
    /// Leaf commands of each group, in help order.
    private let groupCommands: [String: [CommandSpec]]

    public init(topLevel: [Entry], groupCommands: [String: [CommandSpec]]) {
        self.topLevel = topLevel
        self.groupCommands = groupCommands
    }

    /// bitlink's commands.
    public static let standard = CommandTable(
        topLevel: [
            .command(ScanCommand.spec),
            .group(CommandGroup("miners", summary: "List, add, remove and change stored miners")),
            .command(InfoCommand.spec),
            .command(LinkWalletCommand.spec),
            .group(CommandGroup("shares", summary: "Record and report share submissions")),
            .command(WatchCommand.spec),
            .command(HistoryCommand.spec),
            .group(CommandGroup("wallets", summary: "Track the wallets your miners mine for")),
            .command(MinerTypesCommand.spec),
            .command(CompleteCommand.spec),
            .command(DumpCommandsCommand.spec),
        ],
        groupCommands: [
            "miners": [
                MinersListCommand.spec, MinersAddCommand.spec, MinersRemoveCommand.spec, MinersShowCommand.spec,
                MinersSetCommand.spec, MinersConfigsCommand.spec,
            ],
            "wallets": [WalletsAddCommand.spec, WalletsListCommand.spec, WalletsRemoveCommand.spec],
            "shares": [SharesLogCommand.spec, SharesListCommand.spec, SharesStatsCommand.spec],
        ])

    /// Options every command accepts, before or after the command.
    public static let globalOptions: [OptionSpec] = [
        OptionSpec("db", value: "PATH", help: "The database file (default: $XDG_DATA_HOME/bitlink/bitlink.db).", environment: "BITLINK_DB", completion: .file),
        OptionSpec("json", help: "Machine output: one JSON document, or NDJSON for streaming commands."),
        OptionSpec("timeout", value: "DURATION", help: "Network deadline per operation, e.g. 500ms, 3s (default 3s).", environment: "BITLINK_TIMEOUT"),
        OptionSpec("quiet", short: "q", help: "No progress, summaries or hints on stderr; errors still print."),
        OptionSpec("verbose", short: "v", help: "Extra diagnostics on stderr.", environment: "BITLINK_DEBUG"),
        OptionSpec("color", value: "WHEN", help: "Colour on terminals: auto, always or never.", completion: .values(["auto", "always", "never"])),
        OptionSpec("help", short: "h", help: "Show help for the command and exit."),
        OptionSpec("version", help: "Print the version and exit."),
    ]

    /// Environment variables bitlink reads, documented in help and `bitlink.1`.
    public static let environment: [(name: String, help: String)] = [
        ("BITLINK_DB", "Database file when --db is not given."),
        ("BITLINK_TIMEOUT", "Network deadline when --timeout is not given."),
        ("BITLINK_DEBUG", "Set to 1 for the diagnostics of --verbose."),
        ("BITLINK_FORCE_TTY", "Set to 1 to render for a terminal even when stdout is piped."),
        ("NO_COLOR", "When set and not empty, no colour."),
        ("COLUMNS", "Width for tables and help."),
        ("XDG_DATA_HOME", "Base of the default database path (default ~/.local/share)."),
    ]

    public func command(top word: String) -> CommandSpec? {
        for entry in topLevel {
            if case .command(let spec) = entry, spec.path == [word] { return spec }
        }
        return nil
    }

    public func group(named name: String) -> CommandGroup? {
        for entry in topLevel {
            if case .group(let group) = entry, group.name == name { return group }
        }
        return nil
    }

    public func commands(in group: String) -> [CommandSpec] { groupCommands[group] ?? [] }

    public func command(group: String, word: String) -> CommandSpec? {
        commands(in: group).first(where: { $0.path.last == word || $0.aliases.contains(word) })
    }

    /// Every leaf command, hidden ones included.
    public var allCommands: [CommandSpec] {
        topLevel.flatMap { entry -> [CommandSpec] in
            switch entry {
            case .command(let spec): return [spec]
            case .group(let group): return commands(in: group.name)
            }
        }
    }

    public var groups: [CommandGroup] {
        topLevel.compactMap { if case .group(let group) = $0 { return group } else { return nil } }
    }

    /// Words that may follow `bitlink` (for suggestions).
    public var topLevelWords: [String] {
        topLevel.compactMap { entry in
            switch entry {
            case .command(let spec): return spec.hidden ? nil : spec.path[0]
            case .group(let group): return group.name
            }
        } + ["help"]
    }

    /// The man page of a command: `bitlink-miners(1)` for `miners add`.
    public func manPage(for spec: CommandSpec) -> String {
        "bitlink-\(spec.path[0])"
    }
}
