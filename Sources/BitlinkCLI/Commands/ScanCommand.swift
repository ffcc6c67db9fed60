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
        database: .create,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let options = try scanOptions(invocation, context: context)
        let save = !invocation.flag("no-save")
        let store = save ? try context.store() : nil
        let wallets = try store?.wallets() ?? []
        let recorder = store.map { ReadingRecorder(store: $0, wallets: wallets) }

        // scanOptions raised the open-file limit and sized the concurrency to it.
        var configuration = IOEngine.Configuration(maxInFlight: options.hostConcurrency * 2)
        configuration.connectRate = try invocation.integer("rate", in: 1...10_000_000).map(Double.init)
        let engine = try IOEngine(configuration: configuration)
        let scanner = Scanner(engine: engine, reader: MinerReader(engine: engine, timing: options.timing))
        let report = ScanReport(context: context, explain: invocation.flag("explain"), wallets: wallets)
        let batch = ScanBatch(store: store, recorder: recorder, now: context.now, report: report)

        Signals.stopOnInterrupt(engine)
        let summary = scanner.run(options) { event in
            switch event {
            case .found(let outcome, let reading):
                batch.add(outcome, reading)
            case .failed(let outcome, let error):
                report.failed(outcome, error)
            case .progress(let progress):
                batch.flush()
                report.progress(progress, found: batch.stored + batch.pending)
            }
        }
        batch.flush()
        try batch.failure.map { throw $0 }
        report.finish(summary, batch: batch)
        try report.writeFailure.map { throw $0 }
        if let status = Signals.exitStatus { return status }
        return summary.errors > 0 ? .failure : .ok
    }

    /// Turns the command line into scan options, refusing what must be refused.
    static func scanOptions(_ invocation: Invocation, context: Context) throws -> Scanner.Options {
        var words = try TargetInput.words(invocation.positionals, invocation: invocation)
        if invocation.positionals.isEmpty {
            let networks = LocalNetworks.current()
            guard !networks.isEmpty else {
                throw BitlinkError(.usage, "no network to scan: this machine has no IPv4 interface besides loopback",
                    hint: "give a target, for example 'bitlink scan 192.168.1.0/24'")
            }
            context.note("scanning this machine's networks: " + networks.map(\.description).joined(separator: ", "))
            words = networks.map(\.cidr)
        }
        var targets = try TargetInput.spec(words, option: nil, invocation: invocation)
        let excluded = try TargetInput.words(invocation.allValues("exclude"), invocation: invocation)
        if !excluded.isEmpty { targets = targets.subtracting(try TargetInput.spec(excluded, option: "exclude", invocation: invocation)) }

        if !invocation.flag("allow-public"), !targets.publicAddresses.isEmpty {
            let first = targets.publicAddresses.address(at: 0)
            throw invocation.usageError(
                "refusing to scan \(targets.publicAddresses.count) public address\(targets.publicAddresses.count == 1 ? "" : "es") (first: \(first)); miners live on private networks",
                suggestion: "add --allow-public if you really mean it")
        }
        let maxHosts = try invocation.integer("max-hosts", in: 1...(1 << 24)) ?? 65_536
        guard targets.count <= maxHosts else {
            throw invocation.usageError(
                "refusing to scan \(targets.count) addresses, more than --max-hosts \(maxHosts)",
                suggestion: "raise --max-hosts, or narrow the targets")
        }

        var ports = MinerPorts.standard
        if let port = try invocation.port("port") { ports.api = port }
        if let port = try invocation.port("http-port") { ports.http = port }
        if let port = try invocation.port("v3-port") { ports.whatsminerV3 = port }

        // Each host holds up to two connections; leave descriptors for the database.
        let limit = ResourceLimits.raiseOpenFileLimit()
        let byLimit = max(16, (limit - ResourceLimits.reservedDescriptors) / 2)
        var hosts = min(max(1, targets.count), 2048, byLimit)
        if let connections = try invocation.integer("concurrency", in: 1...1_000_000) {
            hosts = max(1, min(connections / 2, byLimit))
        }
        let timeout = Duration.milliseconds(Int64(context.globals.timeout * 1000))
        return Scanner.Options(
            targets: targets, ports: ports, timing: .uniform(timeout), hostConcurrency: hosts,
            seed: UInt64(truncatingIfNeeded: context.now()), progressInterval: 1)
    }
}

/// Found miners waiting to be stored, written a batch at a time (a few transactions per
/// scan, not one per miner); each miner is reported once stored.
final class ScanBatch {
    let store: Store?
    let recorder: ReadingRecorder?
    let now: () -> Int64
    let report: ScanReport
    private var items: [(MinerReader.Outcome, MinerReader.Reading)] = []
    private(set) var stored = 0
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var linked = 0
    private(set) var failure: Error?

    init(store: Store?, recorder: ReadingRecorder?, now: @escaping () -> Int64, report: ScanReport) {
        self.store = store
        self.recorder = recorder
        self.now = now
        self.report = report
    }

    var pending: Int { items.count }

    func add(_ outcome: MinerReader.Outcome, _ reading: MinerReader.Reading) {
        items.append((outcome, reading))
        if items.count >= 256 { flush() }
    }

    func flush() {
        guard !items.isEmpty, failure == nil else { return }
        let current = items
        items.removeAll(keepingCapacity: true)
        let time = now()
        guard let store, let recorder else {
            for (outcome, reading) in current { report.found(outcome, reading, stored: nil, matches: []) }
            stored += current.count
            return
        }
        do {
            let results = try store.write {
                try current.map { outcome, reading -> (Store.UpsertResult, [WalletMatch], Int64?) in
                    let health = HealthClassifier.classify(reading.status, history: HealthHistory(), thresholds: HealthThresholds())
                    let result = try store.upsertDiscovered(
                        address: outcome.address.description, ports: outcome.ports, reading: reading, health: health, now: time)
                    let matches = try recorder.recordPools(minerID: result.miner.id, pools: reading.status.pools, now: time)
                    // A link made by hand is kept, whatever matching says: report that one.
                    let manual = try store.configs(minerID: result.miner.id).first { $0.active && $0.linkedBy == .manual }?.walletID
                    return (result, matches, manual)
                }
            }
            for ((outcome, reading), (result, matches, manual)) in zip(current, results) {
                stored += 1
                if result.inserted { inserted += 1 } else { updated += 1 }
                if manual != nil || matches.contains(where: \.isLinked) { linked += 1 }
                report.found(outcome, reading, stored: result, matches: matches, manualWalletID: manual)
            }
        } catch {
            failure = error
        }
    }
}
