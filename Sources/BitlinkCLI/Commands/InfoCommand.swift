import BitlinkCore

/// `bitlink info MINER`: one miner's live status.
enum InfoCommand {
    static let spec = CommandSpec(
        path: ["info"],
        summary: "Read one miner's live status",
        discussion: "Reads a miner now: identity (family, model, firmware, MAC), hashrate (current, average, expected), per-board hashrate, temperatures and chips, fans, power and efficiency, uptime, pools with their share counters, and the errors the device reports. MINER is a stored miner (id, name or address) or any address. For a stored miner the database is updated too: last seen, status, model, firmware and pool configuration. Exits 69 when the miner is unreachable, 75 on a timeout, 76 when its reply cannot be read.",
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
        database: .none,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        throw BitlinkError(.internal, "info is not built yet")
    }
}
