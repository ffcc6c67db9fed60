import BitlinkCore

/// `bitlink shares list`: recorded shares, newest first.
enum SharesListCommand {
    static let spec = CommandSpec(
        path: ["shares", "list"],
        aliases: ["ls"],
        summary: "List recorded shares",
        discussion: "Prints recorded share rows, newest first: logged by hand (source manual) or counted from the miners' counters by 'bitlink watch' (source poll, where one row may count several shares).",
        examples: [
            Example("bitlink shares list --wallet solo --since 24h", "The last day's shares for a wallet."),
            Example("bitlink shares list --miner rig1 --json | jq 'map(.shares) | add'", "How many shares rig1 submitted."),
        ],
        options: ShareFilterOptions.options + [OptionSpec("limit", value: "N", help: "At most N rows.")],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let store = try context.store()
        let now = context.now()
        let filter = try ShareFilterOptions.filter(invocation, store: store, now: now)
        let limit = try invocation.integer("limit", in: 1...Int(Int32.max))
        let records = try store.shares(filter, limit: limit)
        try RecordOutput.writeList(
            count: records.count, context: context,
            emptyHint: "no shares recorded; 'bitlink watch' counts them, 'bitlink shares log' records them by hand",
            table: { _ in ShareOutput.table(records, now: now) }, json: { records.map(ShareOutput.json) })
        return .ok
    }
}
