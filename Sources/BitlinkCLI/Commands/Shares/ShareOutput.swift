import BitlinkCore

/// Output shapes of share rows and share statistics.
enum ShareOutput {
    static func json(_ record: Store.ShareRecord) -> JSONValue {
        let share = record.submission
        return .object(JSONObject([
            "id": .int(share.id),
            "time": .string(Format.rfc3339(share.timestamp)),
            "wallet": JSONValue(record.walletAddress),
            "wallet_id": JSONValue(share.walletID),
            "miner": JSONValue(record.minerName),
            "miner_id": JSONValue(share.minerID),
            "pool": JSONValue(share.poolName),
            "worker": JSONValue(share.workerName),
            "difficulty": JSONValue(share.difficulty),
            "accepted": .bool(share.accepted),
            "shares": .int(Int64(share.shares)),
            "source": .string(share.source.rawValue),
        ]))
    }

    static func table(_ records: [Store.ShareRecord], now: Int64) -> Table {
        var table = Table([
            .init("ID", .right), .init("TIME"), .init("WALLET"), .init("MINER"), .init("POOL"), .init("WORKER"),
            .init("DIFFICULTY", .right), .init("RESULT"), .init("SHARES", .right), .init("SOURCE"),
        ])
        for record in records {
            let share = record.submission
            table.append([
                .init(String(share.id)),
                .init(Format.ago(share.timestamp, now: now), raw: Format.rfc3339(share.timestamp)),
                .init(record.walletAddress ?? "-", raw: record.walletAddress ?? ""),
                .init(record.minerName ?? "-", raw: record.minerName ?? ""),
                .init(share.poolName ?? "-", raw: share.poolName ?? ""),
                .init(share.workerName ?? "-", raw: share.workerName ?? ""),
                .init(share.difficulty.map { Format.decimal($0, places: 0) } ?? "-", raw: Format.raw(share.difficulty)),
                .init(share.accepted ? "accepted" : "rejected"),
                .init(String(share.shares)),
                .init(share.source.rawValue),
            ])
        }
        return table
    }

    static func json(_ stats: Store.ShareStats, grouping: Store.ShareGrouping) -> JSONValue {
        .object(JSONObject([
            "group": .string(grouping.rawValue),
            "key": JSONValue(stats.key),
            "accepted": .int(Int64(stats.accepted)),
            "rejected": .int(Int64(stats.rejected)),
            "reject_rate": .double(stats.rejectRate),
            "difficulty_sum": .double(stats.difficultySum),
            "last_share_at": JSONValue(stats.lastShareAt.map(Format.rfc3339)),
        ]))
    }

    static func statsTable(_ stats: [Store.ShareStats], grouping: Store.ShareGrouping, now: Int64) -> Table {
        var table = Table([
            .init(grouping.rawValue.uppercased()), .init("ACCEPTED", .right), .init("REJECTED", .right), .init("REJECT RATE", .right),
            .init("DIFFICULTY", .right), .init("LAST SHARE"),
        ])
        for row in stats {
            table.append([
                .init(row.key ?? "(none)", raw: row.key ?? ""),
                .init(String(row.accepted)),
                .init(String(row.rejected)),
                .init(Format.decimal(row.rejectRate * 100, places: 2) + "%", raw: Format.raw(row.rejectRate)),
                .init(Format.decimal(row.difficultySum, places: 0), raw: Format.raw(row.difficultySum)),
                .init(Format.ago(row.lastShareAt, now: now), raw: Format.rawTime(row.lastShareAt)),
            ])
        }
        return table
    }
}

/// Filters shared by `shares list` and `shares stats`.
enum ShareFilterOptions {
    static let options: [OptionSpec] = [
        OptionSpec("wallet", value: "WALLET", help: "Only shares for this wallet (id, address or label).", completion: .wallets),
        OptionSpec("miner", value: "MINER", help: "Only shares from this miner (id, name or address).", completion: .miners),
        OptionSpec("worker", value: "NAME", help: "Only shares from this worker name."),
        OptionSpec("since", value: "WHEN", help: "Only shares since a time (RFC 3339) or for a duration back (24h, 7d)."),
    ]

    static func filter(_ invocation: Invocation, store: Store, now: Int64) throws -> Store.ShareFilter {
        var filter = Store.ShareFilter()
        if let wallet = try invocation.string("wallet") { filter.walletID = try WalletInput.resolve(wallet, in: store).id }
        if let miner = try invocation.string("miner") { filter.minerID = try MinerNames.resolve(miner, in: store).id }
        filter.worker = try invocation.string("worker")
        filter.since = try since(invocation, now: now)
        return filter
    }

    /// `--since`: an RFC 3339 time or a duration back from now.
    static func since(_ invocation: Invocation, option: String = "since", now: Int64) throws(UsageError) -> Int64? {
        guard let text = invocation.value(option) else { return nil }
        if let seconds = DurationParser.seconds(text) { return now - Int64(seconds) }
        if let time = Format.parseRFC3339(text) { return time }
        throw invocation.usageError("invalid value '\(text)' for '--\(option)': use a duration back from now (24h, 7d) or an RFC 3339 time")
    }
}
