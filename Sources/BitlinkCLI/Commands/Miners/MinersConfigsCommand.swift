import BitlinkCore

/// `bitlink miners configs MINER`: a miner's pool configurations and wallet links.
enum MinersConfigsCommand {
    static let spec = CommandSpec(
        path: ["miners", "configs"],
        summary: "Show a miner's pool configurations and wallet links",
        discussion: "Lists the pools the miner was last seen configured with (by scan, info or watch): URL, user, worker, whether it is the active pool, the known pool it belongs to, and the wallet it is linked to, with whether the link was made automatically or by hand.",
        examples: [Example("bitlink miners configs rig1", "Where rig1 mines and for which wallet.")],
        positionals: [PositionalSpec("MINER", help: "Id, name or address of a stored miner.", completion: .miners)],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let store = try context.store()
        let miner = try MinerNames.resolve(invocation.positionals[0], in: store)
        let configs = try store.configs(minerID: miner.id)
        var wallets: [Int64: Wallet] = [:]
        for wallet in try store.wallets() { wallets[wallet.id] = wallet }
        func table(_ human: Bool) -> Table {
            var table = Table([
                .init("ID", .right), .init("ACTIVE"), .init("POOL"), .init("URL"), .init("USER"), .init("WORKER"), .init("WALLET"), .init("LINKED"),
            ])
            for config in configs {
                let wallet = config.walletID.flatMap { wallets[$0] }
                table.append([
                    .init(String(config.id)),
                    .init(config.active ? "yes" : "no", raw: config.active ? "1" : "0"),
                    .init(config.poolID ?? "-", raw: config.poolID ?? ""),
                    .init(config.poolURL.isEmpty ? "(none)" : config.poolURL, raw: config.poolURL),
                    .init(config.poolUser.isEmpty ? "-" : config.poolUser, raw: config.poolUser),
                    .init(config.workerName ?? "-", raw: config.workerName ?? ""),
                    .init(wallet.map { found in found.label.map { "\($0) (\(found.address))" } ?? found.address } ?? "-", raw: wallet?.address ?? ""),
                    .init(config.linkedBy?.rawValue ?? "-", raw: config.linkedBy?.rawValue ?? ""),
                ])
            }
            return table
        }
        func json() -> [JSONValue] {
            configs.map { config in
                let wallet = config.walletID.flatMap { wallets[$0] }
                return .object(JSONObject([
                    "id": .int(config.id),
                    "miner": .string(miner.name),
                    "miner_id": .int(miner.id),
                    "active": .bool(config.active),
                    "pool": JSONValue(config.poolID),
                    "pool_url": .string(config.poolURL),
                    "pool_user": .string(config.poolUser),
                    "worker": JSONValue(config.workerName),
                    "wallet": JSONValue(wallet?.address),
                    "wallet_id": JSONValue(config.walletID),
                    "linked_by": JSONValue(config.linkedBy?.rawValue),
                    "detected_at": .string(Format.rfc3339(config.detectedAt)),
                ]))
            }
        }
        try RecordOutput.writeList(
            count: configs.count, context: context,
            emptyHint: "no pool configuration recorded for \(miner.name); 'bitlink info \(miner.name)' reads it",
            table: table, json: json)
        return .ok
    }
}
