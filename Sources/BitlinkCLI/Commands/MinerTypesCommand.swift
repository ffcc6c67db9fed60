import BitlinkCore

/// `bitlink miner-types`: the supported families, how bitlink reads them, and what it reads.
enum MinerTypesCommand {
    static let spec = CommandSpec(
        path: ["miner-types"],
        summary: "List the supported miner families",
        discussion: "For each family: the API bitlink reads it through, the ports, what it can read (hashrate, temperatures, fans, power, pools, shares), the models known, and notes. Unknown models of a known family are read as partially supported. NerdMiner v2 has no network API: add it by hand and log its shares with 'bitlink shares log'.",
        examples: [Example("bitlink miner-types --json | jq -r '.[].miner_type'", "The values --type accepts.")],
        database: .none,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        throw BitlinkError(.internal, "miner-types is not built yet")
    }
}
