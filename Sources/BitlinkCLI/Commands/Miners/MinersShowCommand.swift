import BitlinkCore

/// `bitlink miners show MINER`: one stored miner, as stored (no network).
enum MinersShowCommand {
    static let spec = CommandSpec(
        path: ["miners", "show"],
        summary: "Show one stored miner",
        discussion: "Prints what the database knows of a miner, without contacting it; 'bitlink info' reads it live.",
        examples: [Example("bitlink miners show rig1 --json | jq .last_seen", "When rig1 last answered.")],
        positionals: [PositionalSpec("MINER", help: "Id, name or address of a stored miner.", completion: .miners)],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let miner = try MinerNames.resolve(invocation.positionals[0], in: context.store())
        try MinerOutput.writeOne(miner, context: context)
        return .ok
    }
}

extension MinerOutput {
    /// One miner in full: details on a terminal, its TSV row when piped, an object as JSON.
    static func writeOne(_ miner: Miner, context: Context) throws {
        if context.globals.json {
            try RecordOutput.writeJSON(RecordOutput.json(miner), context: context)
        } else if context.stdoutIsTTY {
            try RecordOutput.writeDetails(RecordOutput.minerDetails(miner, now: context.now()), context: context)
        } else {
            try context.stdout.write(RecordOutput.minerTable([miner], now: context.now()).tsv())
        }
    }
}
