import BitlinkCore

/// `bitlink shares stats`: totals per wallet, miner or worker.
enum SharesStatsCommand {
    static let spec = CommandSpec(
        path: ["shares", "stats"],
        summary: "Share totals per wallet, miner or worker",
        discussion: "Accepted and rejected shares, reject rate, sum of accepted difficulty and the last accepted share, per wallet (default), miner or worker.",
        examples: [
            Example("bitlink shares stats --by miner --since 7d", "A week's totals per miner."),
            Example("bitlink shares stats --json | jq '.[] | select(.reject_rate > 0.02)'", "Groups rejecting more than 2%."),
        ],
        options: [
            OptionSpec("by", value: "GROUP", help: "Group by wallet, miner or worker (default wallet).",
                completion: .values(Store.ShareGrouping.allCases.map(\.rawValue)))
        ] + ShareFilterOptions.options,
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let grouping = Store.ShareGrouping(rawValue: try invocation.choice("by", Store.ShareGrouping.allCases.map(\.rawValue)) ?? "wallet")!
        let store = try context.store()
        let now = context.now()
        let filter = try ShareFilterOptions.filter(invocation, store: store, now: now)
        let stats = try store.shareStats(by: grouping, filter)
        try RecordOutput.writeList(
            count: stats.count, context: context, emptyHint: "no shares recorded",
            table: { _ in ShareOutput.statsTable(stats, grouping: grouping, now: now) },
            json: { stats.map { ShareOutput.json($0, grouping: grouping) } })
        return .ok
    }
}
