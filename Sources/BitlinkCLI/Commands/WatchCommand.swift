import BitlinkCore

/// `bitlink watch`: poll the fleet, classify health, keep history and shares.
enum WatchCommand {
    static let spec = CommandSpec(
        path: ["watch"],
        summary: "Poll miners continuously and report their health",
        discussion: "Every interval, polls every enabled miner (or the ones named) at once, classifies each as active, warning (with reasons) or dead, stores a sample per miner, counts new shares from the miners' own counters into the share log, and reports state changes as events. A miner is dead only after two failed polls in a row, so states do not flap. Each round ends within its deadline, so hung miners never make rounds pile up. On a terminal the table is redrawn each round; piped, one TSV row per miner per round; with --json, NDJSON records of type sample, event and summary. --once runs one round and exits 1 if any miner is dead (for cron). --exec runs a command on each state change with the event as JSON on stdin.",
        examples: [
            Example("bitlink watch --interval 10s", "Watch the fleet live."),
            Example("*/5 * * * * bitlink watch --once -q || mail -s 'miner down' me", "A cron check."),
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
        database: .read,
        exclusive: [["once", "count"]],
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        throw BitlinkError(.internal, "watch is not built yet")
    }
}
