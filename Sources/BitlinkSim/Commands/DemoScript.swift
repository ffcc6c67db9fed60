/// The demo's steps: the bitlink command lines, in order, with the exit codes they may
/// end with. The CLI's flag names live here and nowhere else (to be confirmed by the
/// CLI's author as its commands land).
struct DemoScript {
    struct Step {
        var arguments: [String]
        /// Exit codes that count as success (DESIGN.md 5: 1 = partial failure, which a
        /// scan or watch over a fleet with a dead miner legitimately reports).
        var accepted: Set<Int32>
    }

    /// A real-format bech32 address: the pool user in
    /// Tests/Fixtures/pools/ckpool-user-file_parasite/users_ADDRESS.json.
    static let wallet = "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"

    var subnet: LoopbackSubnet
    var ports: PortPlan
    /// The miner `info` shows.
    var infoTarget: String

    var steps: [Step] {
        [
            Step(arguments: ["wallets", "add", Self.wallet, "--label", "demo"], accepted: [0]),
            Step(arguments: scanArguments, accepted: [0, 1]),
            Step(arguments: ["miners", "list"], accepted: [0]),
            // The ports are given so `info` also works when the scan stored nothing.
            Step(arguments: ["info", infoTarget] + portArguments, accepted: [0]),
            Step(arguments: ["link-wallet", "--auto"], accepted: [0]),
            Step(arguments: ["shares", "log", "--wallet", Self.wallet, "--difficulty", "1024"], accepted: [0]),
            Step(arguments: ["shares", "stats"], accepted: [0]),
            Step(arguments: ["watch", "--count", "2", "--interval", "2s", "--timeout", "1s"], accepted: [0, 1]),
        ]
    }

    /// A short timeout: the demo's dead miner should not hold the scan for long.
    var scanArguments: [String] { ["scan", subnet.description] + portArguments + ["--timeout", "1s"] }

    /// bitlink's names for the three miner ports (`scan` and `info`).
    var portArguments: [String] {
        ["--port", String(ports.api), "--http-port", String(ports.http), "--v3-port", String(ports.whatsminerV3)]
    }

    /// Whether a step's outcome means the command is not in this bitlink build: an
    /// unknown command (exit 64, "not a bitlink command"), or a command whose table
    /// entry exists but whose body does not yet ("... is not built yet").
    static func isUnavailable(status: Int32, stderr: String) -> Bool {
        (status == 64 && stderr.contains("not a bitlink command")) || stderr.contains("is not built yet")
    }

    /// The mixed demo fleet: every family, firmware variants, two faulty miners.
    static let models = [
        "s19-pro", "s9-vnish", "s19j-pro-hiveon", "s19", "m3x", "m60s", "avalon-1566", "avalon-q",
        "s9-bosminer", "bitaxe-supra", "nerdqaxe-plus-plus", "nmminer", "auradine-at1500",
    ]

    /// Faults shown in the demo, by model.
    static let faults: [String: Fault] = ["s9-vnish": .dead, "s19": .overheating]
}
