import BitlinkCore

/// `bitlink __complete WHAT`: the dynamic values completion scripts offer, one per line.
/// Hidden and stable. It never creates a database and is silent on any error, so a
/// completion never prints garbage into the user's shell.
enum CompleteCommand {
    static let kinds = ["miners", "wallets", "types", "commands"]

    static let spec = CommandSpec(
        path: ["__complete"],
        summary: "Print completion values (miners, wallets, types, commands), one per line",
        positionals: [PositionalSpec("WHAT", help: "miners, wallets, types or commands.")],
        database: .optional,
        hidden: true,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        var lines: [String] = []
        switch invocation.positionals[0] {
        case "miners":
            lines = (try? context.quietStore()?.minerNames()) ?? []
        case "wallets":
            lines = (try? context.quietStore()?.wallets().map(\.address)) ?? []
        case "types":
            lines = MinerFamily.allCases.filter { $0 != .unknown }.map(\.rawValue)
        case "commands":
            lines = CommandTable.standard.allCommands.filter { !$0.hidden }.map(\.name)
        default:
            return .ok
        }
        for line in lines { try context.stdout.line(line) }
        return .ok
    }
}
