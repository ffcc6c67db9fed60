import BitlinkCore

/// `bitlink history MINER`: the samples `watch` kept for a miner.
enum HistoryCommand {
    static let fields = ["hashrate", "temp", "power"]

    static let spec = CommandSpec(
        path: ["history"],
        summary: "Show a miner's recorded samples",
        discussion: "Prints the samples 'bitlink watch' stored for a miner: on a terminal a small chart of one field over time, piped one tab-separated row per sample (time, status, hashrate H/s, max temperature C, slowest fan RPM, power W, accepted, rejected, uptime s), or a JSON array with --json.",
        examples: [
            Example("bitlink history rig1 --since 6h --field temp", "Chart rig1's temperature over six hours."),
            Example("bitlink history rig1 --json | jq '[.[].hashrate_hs] | add / length'", "Average hashrate over the last day."),
        ],
        options: [
            OptionSpec("since", value: "WHEN", help: "Samples since a duration back (default 24h) or an RFC 3339 time."),
            OptionSpec("field", value: "FIELD", help: "What the terminal chart shows: hashrate (default), temp or power.",
                completion: .values(fields)),
        ],
        positionals: [PositionalSpec("MINER", help: "Id, name or address of a stored miner.", completion: .miners)],
        database: .existing,
        run: run)

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        let field = try invocation.choice("field", fields) ?? "hashrate"
        let now = context.now()
        let since = try ShareFilterOptions.since(invocation, now: now) ?? now - 86400
        let store = try context.store()
        let miner = try MinerNames.resolve(invocation.positionals[0], in: store)
        let samples = try store.samples(minerID: miner.id, since: since)
        if context.globals.json {
            try RecordOutput.writeJSON(.array(samples.map(json)), context: context)
            return .ok
        }
        if samples.isEmpty {
            if context.stdoutIsTTY {
                context.note("no samples for \(miner.name) since \(Format.rfc3339(since)); 'bitlink watch' records them")
            }
            return .ok
        }
        if context.stdoutIsTTY {
            try context.stdout.write(chart(samples, field: field, miner: miner, width: context.width))
        } else {
            var table = Table(["TIME", "STATUS", "HASHRATE", "TEMP", "FAN", "POWER", "ACCEPTED", "REJECTED", "UPTIME"].map { Table.Column($0) })
            for sample in samples {
                table.append([
                    .init(Format.rfc3339(sample.time)), .init(sample.status.rawValue), .init(Format.raw(sample.hashrate)),
                    .init(Format.raw(sample.tempMax)), .init(Format.raw(sample.fanMinRPM)), .init(Format.raw(sample.power)),
                    .init(Format.raw(sample.accepted)), .init(Format.raw(sample.rejected)), .init(Format.raw(sample.uptime)),
                ])
            }
            try context.stdout.write(table.tsv())
        }
        return .ok
    }

    static func json(_ sample: Sample) -> JSONValue {
        .object(JSONObject([
            "time": .string(Format.rfc3339(sample.time)),
            "status": .string(sample.status.rawValue),
            "reasons": .array(sample.reasons.map(JSONValue.string)),
            "hashrate_hs": JSONValue(sample.hashrate),
            "temp_max_c": JSONValue(sample.tempMax),
            "fan_min_rpm": JSONValue(sample.fanMinRPM),
            "power_w": JSONValue(sample.power),
            "accepted": JSONValue(sample.accepted),
            "rejected": JSONValue(sample.rejected),
            "uptime_s": JSONValue(sample.uptime),
        ]))
    }

    /// A block chart, eight rows high, one column per time bucket.
    static func chart(_ samples: [Sample], field: String, miner: Miner, width: Int) -> String {
        let value: (Sample) -> Double?
        let label: (Double) -> String
        switch field {
        case "temp":
            value = { $0.tempMax }
            label = { Format.temperature($0) }
        case "power":
            value = { $0.power }
            label = { Format.power($0) }
        default:
            value = { $0.status == .dead ? 0 : $0.hashrate }
            label = { Format.hashrate($0) }
        }
        let points = samples.compactMap { sample in value(sample).map { (sample.time, $0) } }
        var out = "\(miner.name) \(field), \(Format.rfc3339(samples.first!.time)) to \(Format.rfc3339(samples.last!.time)) (\(samples.count) samples)\n"
        guard !points.isEmpty else { return out + "no \(field) readings\n" }
        let low = min(0, points.map(\.1).min()!)
        let high = max(points.map(\.1).max()!, low + 1e-9)
        let labels = [label(high), label((high + low) / 2), label(low)]
        let labelWidth = labels.map(\.count).max()!
        let columns = max(1, min(points.count, width - labelWidth - 3))
        // Average the points that fall in each column's time bucket.
        let start = points.first!.0
        let span = max(1, points.last!.0 - start)
        var sums = [Double](repeating: 0, count: columns)
        var counts = [Int](repeating: 0, count: columns)
        for (time, reading) in points {
            let column = min(columns - 1, Int(Double(time - start) / Double(span) * Double(columns - 1) + 0.5))
            sums[column] += reading
            counts[column] += 1
        }
        var heights: [Double?] = (0..<columns).map { counts[$0] == 0 ? nil : (sums[$0] / Double(counts[$0]) - low) / (high - low) * 8 }
        // Carry the previous reading through empty buckets.
        for index in heights.indices where heights[index] == nil && index > 0 { heights[index] = heights[index - 1] }
        let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let rows = 8
        for row in (0..<rows).reversed() {
            let name: String
            switch row {
            case rows - 1: name = labels[0]
            case rows / 2: name = labels[1]
            case 0: name = labels[2]
            default: name = ""
            }
            var line = String(repeating: " ", count: labelWidth - name.count) + name + " │"
            for height in heights {
                // Each row shows one eighth of the scale; a cell fills by how much of it is covered.
                let covered = max(0, min(1, (height ?? 0) - Double(row)))
                line.append(blocks[Int((covered * 8).rounded())])
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        out += String(repeating: " ", count: labelWidth + 1) + "└" + String(repeating: "─", count: columns) + "\n"
        return out
    }
}
