import BitlinkCore

/// `bitlink info MINER`: one miner's live status.
enum InfoCommand {
    static let spec = CommandSpec(
        path: ["info"],
        summary: "Read one miner's live status",
        discussion: "Reads a miner now: identity (family, model, firmware, MAC), hashrate (current, average, expected), per-board hashrate, temperatures and chips, fans, power and efficiency, uptime, pools with their share counters, and the errors the device reports. MINER is a stored miner (id, name or address) or any address. For a stored miner the database is updated too: last seen, status, model, firmware and pool configuration. Piped without --json, prints one 'key<TAB>value' line per scalar field. Exits 69 when the miner is unreachable, 75 on a timeout, 76 when its reply cannot be read.",
        examples: [
            Example("bitlink info rig1", "Read a stored miner."),
            Example("bitlink info 192.168.1.40 --json | jq .hashrate_hs", "Read any address and print its hashrate in H/s."),
        ],
        options: [
            OptionSpec("type", value: "TYPE", help: "Read it as this family instead of identifying it.", completion: .families),
            OptionSpec("port", value: "PORT", help: "The CGMiner API port (default: stored, or 4028)."),
            OptionSpec("http-port", value: "PORT", help: "The HTTP port (default: stored, or 80)."),
            OptionSpec("v3-port", value: "PORT", help: "The Whatsminer API v3 port (default: stored, or 4433)."),
        ],
        positionals: [PositionalSpec("MINER", help: "A stored miner (id, name or address), or any address.", completion: .miners)],
        // A stored miner is looked up when a database exists; none is ever created.
        database: .optional,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let reference = invocation.positionals[0]
        let family = try invocation.family("type")
        let store = try context.optionalStore()
        var miner = try store?.miner(matching: reference)
        let host: String
        if let miner {
            guard !miner.host.isEmpty else {
                throw BitlinkError(.notFound, "\(miner.name) has no known address: another device took it over",
                    hint: "find it again with 'bitlink scan'")
            }
            host = miner.host
        } else {
            do {
                host = try HostName.validate(reference)
            } catch {
                throw BitlinkError(.notFound, "no miner matches '\(reference)', and it is not an address",
                    hint: "list stored miners with 'bitlink miners list'")
            }
        }
        var ports = miner?.ports ?? .standard
        if let port = try invocation.port("port") { ports.api = port }
        if let port = try invocation.port("http-port") { ports.http = port }
        if let port = try invocation.port("v3-port") { ports.whatsminerV3 = port }
        if (family ?? miner?.family) == .nerdminer {
            throw ReadError.noNetworkAPI(.nerdminer).bitlinkError(for: host)
        }
        let address = try Resolver.ipv4(host)

        let engine = try IOEngine()
        let timeout = Duration.milliseconds(Int64(context.globals.timeout * 1000))
        let reader = MinerReader(engine: engine, timing: .uniform(timeout))
        var outcome: MinerReader.Outcome?
        let known = family.map { Identification(family: $0) } ?? miner.flatMap { $0.family == .unknown ? nil : $0.identification }
        if let known {
            reader.read(address, ports: ports, identification: known) { outcome = $0 }
        } else {
            reader.identifyAndRead(address, ports: ports) { outcome = $0 }
        }
        engine.run()
        guard let outcome else { throw BitlinkError(.internal, "the read of \(host) did not complete") }
        context.debug("\(host): \(outcome.connections) connections, \(outcome.requests) requests")
        let now = context.now()

        switch outcome.result {
        case .failure(let error):
            if let store, let stored = miner {
                // Keep the stored state honest: one more failed poll.
                try store.write {
                    var failed = stored
                    let health = HealthClassifier.classifyFailure(
                        "\(error)", history: HealthHistory(previousStatus: stored.status, failedPolls: stored.failedPolls),
                        thresholds: HealthThresholds())
                    failed.apply(health)
                    try store.updateMiner(failed)
                }
            }
            throw error.bitlinkError(for: host)
        case .success(let reading):
            if let store, let stored = miner {
                miner = try store.write {
                    var updated = ReadingRecorder.updated(stored, with: reading, now: now)
                    let health = HealthClassifier.classify(
                        reading.status, history: HealthHistory(previousStatus: stored.status, failedPolls: stored.failedPolls),
                        thresholds: HealthThresholds())
                    updated.apply(health)
                    try store.updateMiner(updated)
                    try ReadingRecorder(store: store, wallets: store.wallets())
                        .recordPools(minerID: updated.id, pools: reading.status.pools, now: now)
                    return updated
                }
            }
            let fields = StatusOutput.fields(reading.status, address: host, miner: miner, readAt: now)
            if context.globals.json {
                try RecordOutput.writeJSON(.object(fields), context: context)
            } else if context.stdoutIsTTY {
                try context.stdout.write(StatusOutput.report(reading.status, address: host, miner: miner, width: context.width))
            } else {
                try context.stdout.write(StatusOutput.keyValueLines(fields))
            }
            return .ok
        }
    }
}
