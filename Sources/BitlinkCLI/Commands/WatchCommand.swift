import BitlinkCore

/// `bitlink watch`: poll the fleet, classify health, keep history and shares.
enum WatchCommand {
    static let spec = CommandSpec(
        path: ["watch"],
        summary: "Poll miners continuously and report their health",
        discussion: "Every interval, polls every enabled miner (or the ones named) at once, classifies each as active, warning (with reasons) or dead, stores a sample per miner, counts new shares from the miners' own counters into the share log, and reports state changes as events. A miner is dead only after two failed polls in a row, so states do not flap. Each round ends within its deadline, so hung miners never make rounds pile up. On a terminal the table is redrawn each round; piped, one TSV row per miner per round; with --json, NDJSON records of type sample, event and summary. --once runs one round and exits 1 if any miner is dead (for cron). --exec runs a command on each state change with the event as JSON on stdin.",
        examples: [
            Example("bitlink watch --interval 10s", "Watch the fleet live."),
            Example("*/5 * * * * bitlink watch --once -q > /dev/null || echo 'a miner is dead' | mail -s bitlink me", "A cron check that mails only when a miner is dead."),
            Example("bitlink watch --exec ./notify.sh --json | jq -c 'select(.type == \"event\")'", "Run a script on each state change and log the events."),
        ],
        options: [
            OptionSpec("interval", value: "DURATION", help: "Time between rounds (default 30s)."),
            OptionSpec("count", value: "N", help: "Stop after N rounds."),
            OptionSpec("once", help: "One round; exit 1 if any miner is dead."),
            OptionSpec("exec", value: "CMD", help: "Run CMD (through /bin/sh) on each state change, the event as JSON on stdin."),
            OptionSpec("exec-limit", value: "DURATION", help: "At most one --exec run per miner per DURATION (default 5m)."),
            OptionSpec("max-temp", value: "C", help: "Chip temperature that makes a warning (default 85)."),
            OptionSpec("min-hashrate", value: "PERCENT", help: "Warn below this share of the expected or recent median hashrate (default 80)."),
            OptionSpec("share-silence", value: "DURATION", help: "Warn when no share was accepted for this long (default 30m)."),
            OptionSpec("dead-after", value: "N", help: "Failed polls in a row before a miner is dead (default 2)."),
            OptionSpec("retain", value: "DURATION", help: "Delete samples older than this after each round (default 30d)."),
        ],
        positionals: [PositionalSpec("MINER", help: "Only these stored miners (id, name or address).", optional: true, variadic: true, completion: .miners)],
        database: .existing,
        exclusive: [["once", "count"]],
        run: run)

    struct Settings {
        var interval: Double
        var rounds: Int?
        var once: Bool
        var exec: String?
        var execLimit: Double
        var thresholds: HealthThresholds
        var retain: Double
    }

    static func settings(_ invocation: Invocation) throws(UsageError) -> Settings {
        var thresholds = HealthThresholds()
        if let text = invocation.value("max-temp") {
            guard let value = Double(text), value > 0, value < 200 else {
                throw invocation.usageError("invalid value '\(text)' for '--max-temp': expected degrees Celsius, e.g. 85")
            }
            thresholds.maxChipTemperature = value
        }
        if let percent = try invocation.integer("min-hashrate", in: 1...100) { thresholds.minHashrateRatio = Double(percent) / 100 }
        if let silence = try invocation.positiveDuration("share-silence") { thresholds.maxShareSilence = silence }
        if let strikes = try invocation.integer("dead-after", in: 1...100) { thresholds.failedPollsForDead = strikes }
        let interval = try invocation.positiveDuration("interval") ?? 30
        guard interval >= 1 else { throw invocation.usageError("'--interval' must be at least 1s") }
        return Settings(
            interval: interval,
            rounds: try invocation.integer("count", in: 1...Int(Int32.max)),
            once: invocation.flag("once"),
            exec: try invocation.string("exec"),
            execLimit: try invocation.duration("exec-limit") ?? 300,
            thresholds: thresholds,
            retain: try invocation.positiveDuration("retain") ?? 30 * 86400)
    }

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let settings = try settings(invocation)
        let store = try context.store()
        // Named miners are fixed for the run; otherwise every enabled miner, re-read each
        // round so miners added or disabled meanwhile are picked up.
        let named = try invocation.positionals.map { try MinerNames.resolve($0, in: store).id }
        func currentMiners() throws -> [Miner] {
            if named.isEmpty { return try store.miners(Store.MinerFilter(enabled: true)) }
            return try named.compactMap { try store.miner(id: $0) }
        }
        let initial = try currentMiners()
        guard !initial.isEmpty else {
            context.note("no enabled miners to watch; add them with 'bitlink scan' or 'bitlink miners add'")
            return .ok
        }

        let timeout = context.globals.timeout
        // A round must end before the next one starts: cap each miner's deadline below the interval.
        let hostDeadline = min(timeout * 3, settings.interval * 0.8)
        let stage = Duration.milliseconds(Int64(min(timeout, hostDeadline) * 1000))
        let timing = MinerReader.Timing(connect: stage, stage: stage, host: .milliseconds(Int64(hostDeadline * 1000)))
        let limit = ResourceLimits.raiseOpenFileLimit()
        let engine = try IOEngine(configuration: IOEngine.Configuration(maxInFlight: min(8192, max(16, limit - 256))))
        let poller = FleetPoller(engine: engine, reader: MinerReader(engine: engine, timing: timing))
        let recorder = RoundRecorder(store: store, thresholds: settings.thresholds)
        let view = WatchView(context: context)
        let exec = settings.exec.map { ExecRunner(command: $0, environment: context.environment) }
        Signals.stopOnInterrupt(engine)

        var round = 0
        var anyDead = false
        while true {
            round += 1
            let started = monotonicSeconds()
            let miners = round == 1 ? initial : try currentMiners()
            let results = poller.poll(miners, roundTimeout: .milliseconds(Int64((hostDeadline + 0.5) * 1000)))
            // A round cut by SIGINT is not recorded: its timeouts are ours, not the miners'.
            if Signals.exitStatus != nil { break }
            let now = context.now()
            let rounds = try store.write {
                let rounds = try recorder.record(results, miners: miners, now: now)
                try store.pruneSamples(before: now - Int64(settings.retain))
                return rounds
            }
            let elapsed = monotonicSeconds() - started
            anyDead = rounds.contains { $0.miner.status == .dead }
            try view.show(round: round, rounds: rounds, now: now, elapsed: elapsed)
            if let exec {
                for failure in exec.reap() { context.warn(failure) }
                try runExec(exec, rounds: rounds, now: now, limit: settings.execLimit, store: store, context: context)
            }
            if settings.once || round == settings.rounds { break }
            // Sleep until the next round on the engine, so SIGINT wakes it at once.
            let wait = settings.interval - (monotonicSeconds() - started)
            if wait > 0 {
                engine.schedule(after: .milliseconds(Int64(wait * 1000))) {}
                engine.run()
            }
            if Signals.exitStatus != nil { break }
        }
        if let exec {
            for failure in exec.reap(wait: true) { context.warn(failure) }
        }
        if let status = Signals.exitStatus { return status }
        return settings.once && anyDead ? .failure : .ok
    }

    /// Runs --exec for each state change, at most once per miner per `limit` seconds.
    static func runExec(_ exec: ExecRunner, rounds: [RoundRecorder.MinerRound], now: Int64, limit: Double, store: Store, context: Context) throws {
        for round in rounds where round.changed {
            let miner = round.miner
            if let last = try store.lastAlert(minerID: miner.id), Double(now - last) < limit {
                context.debug("--exec for \(miner.name) skipped: ran \(now - last)s ago (--exec-limit)")
                continue
            }
            let variables = [
                "BITLINK_MINER": miner.name,
                "BITLINK_MINER_ID": String(miner.id),
                "BITLINK_ADDRESS": miner.host,
                "BITLINK_OLD_STATUS": round.previousStatus.rawValue,
                "BITLINK_NEW_STATUS": miner.status.rawValue,
                "BITLINK_REASONS": miner.statusReasons.joined(separator: "; "),
            ]
            if let failure = exec.run(event: WatchView.event(round, now: now), variables: variables) {
                context.warn("--exec for \(miner.name): \(failure)")
                continue
            }
            try store.write { try store.setLastAlert(minerID: miner.id, at: now) }
        }
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    Double(monotonicNanoseconds()) / 1e9
}
