import BitlinkCore

/// `bitlink __dump-commands`: the command table as versioned JSON, so shell-level checks
/// (and other tools) can see every command, option and exit code.
enum DumpCommandsCommand {
    static let formatVersion = 1

    static let spec = CommandSpec(
        path: ["__dump-commands"],
        summary: "Print the command table as JSON",
        database: .none,
        hidden: true,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        try context.stdout.line(document(CommandTable.standard).encoded(pretty: context.stdoutIsTTY))
        return .ok
    }

    static func document(_ table: CommandTable) -> JSONValue {
        func option(_ spec: OptionSpec) -> JSONValue {
            .object(JSONObject([
                "long": .string("--" + spec.long),
                "short": JSONValue(spec.short.map { "-\($0)" }),
                "value": JSONValue(spec.valueName),
                "environment": JSONValue(spec.environment),
                "help": .string(spec.help),
                "repeatable": .bool(spec.repeatable),
            ]))
        }
        let commands: [JSONValue] = table.allCommands.map { spec in
            .object(JSONObject([
                "path": .array(spec.path.map(JSONValue.string)),
                "aliases": .array(spec.aliases.map(JSONValue.string)),
                "summary": .string(spec.summary),
                "synopsis": .string(spec.synopsis),
                "database": .string(spec.database.rawValue),
                "hidden": .bool(spec.hidden),
                "man_page": .string(table.manPage(for: spec)),
                "options": .array(spec.options.map(option)),
                "arguments": .array(spec.positionals.map { .string($0.name) }),
            ]))
        }
        return .object(JSONObject([
            "version": .int(Int64(formatVersion)),
            "bitlink_version": .string(BitlinkCLI.version),
            "groups": .array(table.groups.map { .object(JSONObject(["name": .string($0.name), "summary": .string($0.summary)])) }),
            "commands": .array(commands),
            "global_options": .array(CommandTable.globalOptions.map(option)),
            "environment": .array(CommandTable.environment.map { .string($0.name) }),
            "exit_codes": .array(ExitStatus.allCases.map { .object(JSONObject(["code": .int(Int64($0.rawValue)), "meaning": .string($0.meaning)])) }),
        ]))
    }
}
