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
        let entries = AdapterCatalog.entries
        try RecordOutput.writeList(
            count: entries.count, context: context,
            table: { human in
                var table = Table([.init("TYPE"), .init("NAME"), .init("API"), .init("PORTS"), .init("READS"), .init("MODELS"), .init("NOTES")])
                for entry in entries {
                    table.append([
                        .init(entry.family.rawValue),
                        .init(entry.displayName),
                        .init(entry.apis.joined(separator: ", ")),
                        .init(entry.ports.isEmpty ? "-" : entry.ports.map(String.init).joined(separator: ","),
                            raw: entry.ports.map(String.init).joined(separator: ",")),
                        .init(entry.reads.map(\.rawValue).joined(separator: human ? ", " : ",")),
                        .init(entry.models.joined(separator: human ? ", " : ",")),
                        .init(entry.notes),
                    ])
                }
                return table
            },
            json: {
                entries.map { entry in
                    .object(JSONObject([
                        "api": .array(entry.apis.map(JSONValue.string)),
                        "firmware": .array(entry.firmware.map(JSONValue.string)),
                        "miner_type": .string(entry.family.rawValue),
                        "models": .array(entry.models.map(JSONValue.string)),
                        "name": .string(entry.displayName),
                        "notes": .string(entry.notes),
                        "ports": .array(entry.ports.map { .int(Int64($0)) }),
                        "reads": .array(entry.reads.map { .string($0.rawValue) }),
                    ]))
                }
            })
        return .ok
    }
}
