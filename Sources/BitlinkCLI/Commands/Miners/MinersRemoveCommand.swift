import BitlinkCore

/// `bitlink miners rm MINER...`: removes miners by id, name or address.
enum MinersRemoveCommand {
    static let spec = CommandSpec(
        path: ["miners", "rm"],
        aliases: ["remove"],
        summary: "Remove stored miners",
        discussion: "Removes each MINER (an id, name or address) with its pool configurations and samples; share records stay, without the miner. Unknown miners are reported on stderr and the others are still removed; the exit status is then 1.",
        examples: [
            Example("bitlink miners rm rig1 rig2", "Remove two miners by name."),
            Example("bitlink miners list --status dead | cut -f1 | xargs bitlink miners rm", "Remove every dead miner."),
        ],
        positionals: [PositionalSpec("MINER", help: "Id, name or address of a stored miner.", variadic: true, completion: .miners)],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let store = try context.store()
        var unknown: [String] = []
        let removed: [Miner] = try store.write {
            var removed: [Miner] = []
            for reference in invocation.positionals {
                guard let miner = try store.miner(matching: reference) else {
                    unknown.append(reference)
                    continue
                }
                if removed.contains(where: { $0.id == miner.id }) { continue }
                try store.deleteMiner(id: miner.id)
                removed.append(miner)
            }
            return removed
        }
        for reference in unknown {
            try? context.stderr.line("bitlink: no miner matches '\(reference)'")
        }
        if context.globals.json {
            try RecordOutput.writeJSON(.array(removed.map(RecordOutput.json)), context: context)
        } else if context.stdoutIsTTY {
            for miner in removed { try context.stdout.line("removed miner \(miner.name) (\(miner.host), id \(miner.id))") }
        } else {
            try context.stdout.write(RecordOutput.minerTable(removed, now: context.now()).tsv())
        }
        return unknown.isEmpty ? .ok : .failure
    }
}
