import BitlinkCore

/// `bitlink link-wallet`: link miners to wallets, by hand or from their pool users.
enum LinkWalletCommand {
    static let spec = CommandSpec(
        path: ["link-wallet"],
        summary: "Link a miner to a wallet, by hand or from its pool user",
        discussion: "With MINER and WALLET, links the miner's active pool configuration to the wallet by hand; a manual link is never overwritten by automatic matching. With --auto, matches the stored pool configurations of the named miners (default: all) to the tracked wallets again: the active pool user (address.worker or account.worker) must name the wallet, and a wallet tied to a pool only matches on that pool. Dev-fee pools are skipped.",
        examples: [
            Example("bitlink link-wallet nerd1 solo", "Link a NerdMiner (which has no API) to the wallet labelled solo."),
            Example("bitlink link-wallet --auto --explain", "Re-run matching for every miner and say why each was linked or not."),
        ],
        options: [
            OptionSpec("auto", help: "Match from the stored pool users instead of linking by hand."),
            OptionSpec("explain", help: "With --auto on a terminal, add a column saying why each pool was linked or not (always in TSV and JSON)."),
        ],
        positionals: [
            PositionalSpec("MINER", help: "Id, name or address of a stored miner (with --auto: any number).", optional: true, variadic: true, completion: .miners),
            PositionalSpec("WALLET", help: "Id, address or label of a tracked wallet (without --auto).", optional: true, completion: .wallets),
        ],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let store = try context.store()
        if invocation.flag("auto") {
            return try auto(invocation.positionals, store: store, invocation: invocation, context: context)
        }
        guard invocation.positionals.count == 2 else {
            throw invocation.usageError(
                invocation.positionals.count < 2 ? "give a MINER and a WALLET, or --auto" : "unexpected argument '\(invocation.positionals[2])'")
        }
        if invocation.flag("explain") { throw invocation.usageError("--explain goes with --auto") }
        let now = context.now()
        let (miner, wallet, config): (Miner, Wallet, MinerConfig) = try store.write {
            let miner = try MinerNames.resolve(invocation.positionals[0], in: store)
            let wallet = try WalletInput.resolve(invocation.positionals[1], in: store)
            let configs = try store.configs(minerID: miner.id)
            // The pool the miner mines on now; a miner without pools (NerdMiner) gets a row of its own.
            var config = try configs.first(where: \.active) ?? configs.first ?? store.placeholderConfig(minerID: miner.id, now: now)
            try store.setLink(configID: config.id, walletID: wallet.id, by: .manual)
            config.walletID = wallet.id
            config.linkedBy = .manual
            return (miner, wallet, config)
        }
        if context.globals.json {
            try RecordOutput.writeJSON(.object(JSONObject([
                "linked_by": "manual", "miner": .string(miner.name), "miner_id": .int(miner.id), "pool_url": .string(config.poolURL),
                "pool_user": .string(config.poolUser), "wallet": .string(wallet.address), "wallet_id": .int(wallet.id),
            ])), context: context)
        } else if context.stdoutIsTTY {
            let pool = config.poolURL.isEmpty ? "" : " on \(config.poolURL)"
            try context.stdout.line("linked \(miner.name)\(pool) to wallet \(wallet.label.map { "\($0) (\(wallet.address))" } ?? wallet.address) by hand")
        } else {
            try context.stdout.line([miner.name, config.poolURL, config.poolUser, wallet.address, "manual"].joined(separator: "\t"))
        }
        return .ok
    }

    /// Re-runs matching on the stored pool configurations.
    static func auto(_ references: [String], store: Store, invocation: Invocation, context: Context) throws -> ExitStatus {
        struct Row {
            var miner: Miner
            var config: MinerConfig?
            var match: WalletMatch?
        }
        let wallets = try store.wallets()
        var walletsByID: [Int64: Wallet] = [:]
        for wallet in wallets { walletsByID[wallet.id] = wallet }
        let rows: [Row] = try store.write {
            let miners = references.isEmpty ? try store.miners() : try references.map { try MinerNames.resolve($0, in: store) }
            let recorder = ReadingRecorder(store: store, wallets: wallets)
            var rows: [Row] = []
            for miner in miners {
                let configs = try store.configs(minerID: miner.id)
                let matches = try recorder.relink(configs: configs)
                let after = try store.configs(minerID: miner.id)
                if after.isEmpty { rows.append(Row(miner: miner)) }
                for config in after {
                    let match = matches.first { $0.configuration.url == config.poolURL && ($0.configuration.user ?? "") == config.poolUser }
                    rows.append(Row(miner: miner, config: config, match: match))
                }
            }
            return rows
        }
        func explanation(_ row: Row) -> String {
            guard let config = row.config else { return "no pool configuration recorded; run 'bitlink info \(row.miner.name)'" }
            if config.linkedBy == .manual { return "linked by hand; automatic matching leaves it alone" }
            if config.poolURL.isEmpty { return "no pool configured" }
            return row.match?.explanation.description ?? "not matched"
        }
        if context.globals.json {
            try RecordOutput.writeJSON(.array(rows.map { row in
                let wallet = row.config?.walletID.flatMap { walletsByID[$0] }
                return .object(JSONObject([
                    "explanation": .string(explanation(row)),
                    "linked": .bool(wallet != nil),
                    "linked_by": JSONValue(row.config?.linkedBy?.rawValue),
                    "miner": .string(row.miner.name),
                    "miner_id": .int(row.miner.id),
                    "pool_url": JSONValue(row.config?.poolURL),
                    "pool_user": JSONValue(row.config?.poolUser),
                    "wallet": JSONValue(wallet?.address),
                    "wallet_id": JSONValue(wallet?.id),
                ]))
            }), context: context)
            return .ok
        }
        let explain = invocation.flag("explain") || !context.stdoutIsTTY
        var columns: [Table.Column] = [.init("MINER"), .init("POOL"), .init("USER"), .init("WALLET"), .init("LINKED")]
        if explain { columns.append(.init("WHY")) }
        var table = Table(columns)
        for row in rows {
            let wallet = row.config?.walletID.flatMap { walletsByID[$0] }
            var cells: [Table.Cell] = [
                .init(row.miner.name),
                .init(row.config?.poolURL ?? "-", raw: row.config?.poolURL ?? ""),
                .init(row.config.map { $0.poolUser.isEmpty ? "-" : $0.poolUser } ?? "-", raw: row.config?.poolUser ?? ""),
                .init(wallet.map { $0.label ?? $0.address } ?? "-", raw: wallet?.address ?? ""),
                .init(row.config?.linkedBy?.rawValue ?? "no", raw: row.config?.linkedBy?.rawValue ?? ""),
            ]
            if explain { cells.append(.init(explanation(row))) }
            table.append(cells)
        }
        if rows.isEmpty {
            context.note("no miners stored; find them with 'bitlink scan'")
            return .ok
        }
        try context.stdout.write(context.stdoutIsTTY ? table.aligned(width: context.width) : table.tsv())
        let linked = Set(rows.filter { $0.config?.walletID != nil }.map(\.miner.id)).count
        let minerCount = Set(rows.map(\.miner.id)).count
        context.note("\(linked) of \(minerCount) miners linked to a wallet")
        return .ok
    }
}
