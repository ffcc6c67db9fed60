import BitlinkCore

/// `bitlink scan [TARGET...]`: discover, identify, store and auto-match a network.
enum ScanCommand {
    static let spec = CommandSpec(
        path: ["scan"],
        summary: "Discover, identify and store the miners on a network",
        discussion: "Probes every address of the targets on the miner ports (CGMiner API 4028, HTTP 80, and Whatsminer API v3 4433 where needed), identifies what answers (make, model, firmware), reads its status and pool configuration, stores it, and links it to a tracked wallet when its pool user names one. TARGET is an address, a CIDR block, a range (10.0.0.1-10.0.0.99, or 10.0.0.1-99), a comma list, @FILE or - (one target per line). Without a target the networks of this machine's interfaces are scanned (loopback excluded). Public addresses are refused without --allow-public. Each host has one deadline, so a hung device never stalls the scan; SIGINT stops it cleanly, keeps what was stored, and exits 130. A miner that changed address is recognised by its MAC and updated, not added twice.",
        examples: [
            Example("bitlink scan 192.168.1.0/24", "Scan a home network."),
            Example("bitlink scan 10.0.0.0/16 --exclude 10.0.99.0/24 --json | jq -c 'select(.type == \"miner\")'", "Scan a farm, streaming each miner as NDJSON."),
            Example("bitlink scan @racks.txt --rate 2000 --no-save", "Scan the ranges listed in a file without storing anything."),
        ],
        options: [
            OptionSpec("exclude", value: "TARGET", help: "Skip these addresses (same forms as TARGET); repeatable.", repeatable: true),
            OptionSpec("allow-public", help: "Allow public (non-RFC 1918) addresses."),
            OptionSpec("max-hosts", value: "N", help: "Refuse to scan more than N addresses (default 65536)."),
            OptionSpec("concurrency", value: "N", help: "Connections in flight at once (default: sized to the range and the open-file limit)."),
            OptionSpec("rate", value: "N", help: "At most N new connections per second."),
            OptionSpec("port", value: "PORT", help: "The CGMiner API port to probe (default 4028)."),
            OptionSpec("http-port", value: "PORT", help: "The HTTP port to probe (default 80)."),
            OptionSpec("v3-port", value: "PORT", help: "The Whatsminer API v3 port (default 4433)."),
            OptionSpec("no-save", help: "Read and report, but store nothing."),
            OptionSpec("explain", help: "Say on stderr why each miner was linked to a wallet or not."),
        ],
        positionals: [PositionalSpec("TARGET", help: "Addresses to scan (default: this machine's networks).", optional: true, variadic: true)],
        database: .write,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        throw BitlinkError(.internal, "scan is not built yet")
    }
}
