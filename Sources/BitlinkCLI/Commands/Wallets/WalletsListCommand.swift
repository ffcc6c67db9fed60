import BitlinkCore

/// `bitlink wallets list`.
enum WalletsListCommand {
    static let spec = CommandSpec(
        path: ["wallets", "list"],
        aliases: ["ls"],
        summary: "List tracked wallets",
        discussion: "Prints one row per tracked wallet: id, address, label, pool, added.",
        examples: [Example("bitlink wallets list --json | jq -r '.[].address'", "Every tracked address.")],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let wallets = try context.store().wallets()
        try RecordOutput.writeList(
            count: wallets.count, context: context, emptyHint: "no wallets; track one with 'bitlink wallets add ADDRESS'",
            table: { _ in RecordOutput.walletTable(wallets) }, json: { wallets.map(RecordOutput.json) })
        return .ok
    }
}
