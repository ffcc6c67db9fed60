/// The options of `bitlink-sim [run]`, resolved into a fleet config.
struct RunOptions {
    var config: FleetConfig
    var manifestPath: String?
    /// Seconds until the fleet stops by itself (0 = never).
    var duration: Double

    static let usage = """
        usage: bitlink-sim [run] [options]
               bitlink-sim demo [--port-offset N] [--keep]
               bitlink-sim models

        Runs simulated Bitcoin miners on loopback addresses, answering with real captured replies.

        OPTIONS:
          --count N              number of miners (default 12)
          --mix LIST             family or model weights or counts, e.g. antminer=2,whatsminer=1,axeos=3
                                 (families: antminer whatsminer avalon braiins axeos nmminer cgminer;
                                 models: see 'bitlink-sim models')
          --subnet CIDR          loopback range to use (default 127.77.0.0/16; only 127.0.0.0/8 is allowed)
          --layout KIND          sequential (default) or scattered
          --seed S               seed for models, addresses, faults and live values (default 1)
          --api-port P           CGMiner API port (default 4028)
          --http-port P          HTTP port (default 80)
          --v3-port P            Whatsminer API v3 port (default 4433)
          --port-offset N        add N to the three default ports (no root needed)
          --faults LIST          e.g. dead=0.1,hold=0.05,drip=2 (fraction with a dot, else a count);
                                 dead flapping hold drip reset malformed garbage oversized keep-open
                                 sleeping overheating fan rebooting
          --pool-user USER       every miner mines for USER.sim<index>
          --manifest FILE        write every miner's address, ports, model, faults and MAC as JSON
          --log FILE             NDJSON, one line per request received
          --duration D           stop after D (default 10m; 0 = until SIGINT/SIGTERM)
          --fixtures DIR         the Tests/Fixtures directory (found automatically in a checkout)
          --oversize-bytes N     size of an oversized reply (default 67108864)
        """

    static func parse(_ arguments: [String]) throws -> RunOptions {
        var args = SimArguments(arguments)
        var config = FleetConfig(clock: .wall)
        config.keepRequestLog = false
        if let count = try args.int("count") {
            guard count >= 0 else { throw SimError.invalidValue(what: "--count", value: String(count), why: "must be >= 0") }
            config.count = count
        }
        if let mix = try args.value("mix") { config.mix = try FleetMix.parse(mix) }
        if let subnet = try args.value("subnet") { config.subnet = try LoopbackSubnet(parsing: subnet) }
        if let layout = try args.value("layout") {
            guard let parsed = FleetConfig.Layout(rawValue: layout) else {
                throw SimError.invalidValue(what: "--layout", value: layout, why: "expected sequential or scattered")
            }
            config.layout = parsed
        }
        if let seed = try args.value("seed") {
            guard let parsed = UInt64(seed) else { throw SimError.invalidValue(what: "--seed", value: seed, why: "expected an integer") }
            config.seed = parsed
        }
        if let offset = try args.int("port-offset") { config.ports = try PortPlan.offset(offset) }
        if let port = try args.port("api-port") { config.ports.api = port }
        if let port = try args.port("http-port") { config.ports.http = port }
        if let port = try args.port("v3-port") { config.ports.whatsminerV3 = port }
        if let faults = try args.value("faults") { config.faults = try FaultAllocation.parseList(faults) }
        config.poolUser = try args.value("pool-user")
        config.logPath = try args.value("log")
        config.fixturesRoot = try args.value("fixtures")
        if let size = try args.int("oversize-bytes") {
            guard size > 0 else { throw SimError.invalidValue(what: "--oversize-bytes", value: String(size), why: "must be > 0") }
            config.oversizeBytes = size
        }
        let manifest = try args.value("manifest")
        let duration = try args.value("duration").map(SimArguments.duration) ?? 600
        let rest = try args.finish()
        guard rest.isEmpty else {
            throw SimError.invalidValue(what: "argument", value: rest[0], why: "unexpected (see 'bitlink-sim --help')")
        }
        return RunOptions(config: config, manifestPath: manifest, duration: duration)
    }
}
