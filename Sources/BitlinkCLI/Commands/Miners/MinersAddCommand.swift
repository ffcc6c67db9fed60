import BitlinkCore

/// `bitlink miners add HOST`: stores a miner by hand.
enum MinersAddCommand {
    static let spec = CommandSpec(
        path: ["miners", "add"],
        summary: "Add a miner by address",
        discussion: "Stores a miner without contacting it. HOST is an IPv4 address or a host name. Without --type the family is found on the first 'bitlink info' or 'bitlink watch'. A name or address already stored is refused. NerdMiner v2 has no network API: add it with --type nerdminer and log its shares by hand.",
        examples: [
            Example("bitlink miners add 192.168.1.40 --name bitaxe-1 --type axeos", "Add a Bitaxe."),
            Example("id=$(bitlink miners add 10.0.0.5 | cut -f1)", "Add a miner and keep its id in a script."),
        ],
        options: [
            OptionSpec("name", value: "NAME", help: "A unique name (default: the address)."),
            OptionSpec("type", value: "TYPE", help: "The miner family, if known (see 'bitlink miner-types').", completion: .families),
            OptionSpec("port", value: "PORT", help: "The CGMiner API port (default 4028)."),
            OptionSpec("http-port", value: "PORT", help: "The HTTP port (default 80)."),
            OptionSpec("v3-port", value: "PORT", help: "The Whatsminer API v3 port (default 4433)."),
        ],
        positionals: [PositionalSpec("HOST", help: "IPv4 address or host name of the miner.")],
        database: .create,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let host: String
        do {
            host = try HostName.validate(invocation.positionals[0])
        } catch {
            throw invocation.usageError("invalid address: \(error)")
        }
        let name = try invocation.string("name") ?? host
        try MinerNames.validate(name, invocation: invocation)
        let miner = Miner(
            name: name,
            family: try invocation.family("type") ?? .unknown,
            host: host,
            apiPort: try invocation.port("port"),
            httpPort: try invocation.port("http-port"),
            v3Port: try invocation.port("v3-port"),
            createdAt: context.now())
        let store = try context.store()
        let added = try store.write { try store.insertMiner(miner) }
        try MinerOutput.writeChanged(added, verb: "added", context: context)
        return .ok
    }
}

/// How commands that change one miner report it (conventions D.8): a sentence on a
/// terminal, the TSV row when piped, the object with --json.
enum MinerOutput {
    static func writeChanged(_ miner: Miner, verb: String, context: Context) throws {
        if context.globals.json {
            try RecordOutput.writeJSON(RecordOutput.json(miner), context: context)
        } else if context.stdoutIsTTY {
            var facts = [miner.host]
            if miner.family != .unknown { facts.append(miner.family.rawValue) }
            try context.stdout.line("\(verb) miner \(miner.name) (\(facts.joined(separator: ", ")), id \(miner.id))")
        } else {
            try context.stdout.write(RecordOutput.minerTable([miner], now: context.now()).tsv())
        }
    }
}
