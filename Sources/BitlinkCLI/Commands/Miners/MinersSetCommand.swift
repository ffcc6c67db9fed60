import BitlinkCore

/// `bitlink miners set MINER ...`: changes a stored miner.
enum MinersSetCommand {
    static let spec = CommandSpec(
        path: ["miners", "set"],
        summary: "Change a stored miner",
        discussion: "Changes the name, family, ports or enabled state of a miner. Disabled miners are skipped by 'bitlink watch'. At least one change is required.",
        examples: [
            Example("bitlink miners set 10.0.0.5 --name rack2-s19", "Rename a miner."),
            Example("bitlink miners set rig1 --disable", "Stop watching rig1 without forgetting it."),
        ],
        options: [
            OptionSpec("name", value: "NAME", help: "A new unique name."),
            OptionSpec("type", value: "TYPE", help: "The miner family (see 'bitlink miner-types').", completion: .families),
            OptionSpec("port", value: "PORT", help: "The CGMiner API port."),
            OptionSpec("http-port", value: "PORT", help: "The HTTP port."),
            OptionSpec("v3-port", value: "PORT", help: "The Whatsminer API v3 port (default 4433)."),
            OptionSpec("enable", help: "Watch this miner again."),
            OptionSpec("disable", help: "Skip this miner in 'bitlink watch'."),
        ],
        positionals: [PositionalSpec("MINER", help: "Id, name or address of a stored miner.", completion: .miners)],
        database: .existing,
        exclusive: [["enable", "disable"]],
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let changes = ["name", "type", "port", "http-port", "v3-port", "enable", "disable"].filter { invocation.values[$0] != nil }
        guard !changes.isEmpty else {
            throw invocation.usageError("nothing to change: give at least one of --name, --type, --port, --http-port, --v3-port, --enable, --disable")
        }
        let name = try invocation.string("name")
        if let name { try MinerNames.validate(name, invocation: invocation) }
        let family = try invocation.family("type")
        let apiPort = try invocation.port("port")
        let httpPort = try invocation.port("http-port")
        let v3Port = try invocation.port("v3-port")
        let store = try context.store()
        let updated: Miner = try store.write {
            var miner = try MinerNames.resolve(invocation.positionals[0], in: store)
            if let name { miner.name = name }
            if let family { miner.family = family }
            if let apiPort { miner.apiPort = apiPort }
            if let httpPort { miner.httpPort = httpPort }
            if let v3Port { miner.v3Port = v3Port }
            if invocation.flag("enable") { miner.enabled = true }
            if invocation.flag("disable") { miner.enabled = false }
            try store.updateMiner(miner)
            return miner
        }
        try MinerOutput.writeChanged(updated, verb: "updated", context: context)
        return .ok
    }
}
