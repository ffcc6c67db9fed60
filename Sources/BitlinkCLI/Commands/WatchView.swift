import BitlinkCore

/// What `watch` shows each round: a redrawn table on a terminal, TSV rows when piped,
/// NDJSON sample/event/summary records with --json. State changes also go to stderr
/// when the output is not JSON.
final class WatchView {
    let context: Context
    private var recentEvents: [String] = []
    /// Lines the last terminal redraw printed.
    private var linesDrawn = 0

    init(context: Context) {
        self.context = context
    }

    static func sample(_ round: RoundRecorder.MinerRound, number: Int, now: Int64) -> JSONValue {
        let sample = round.sample
        return .object(JSONObject([
            "accepted": JSONValue(sample?.accepted),
            "address": .string(round.miner.host),
            "error": JSONValue(round.error),
            "fan_min_rpm": JSONValue(sample?.fanMinRPM),
            "hashrate_expected_hs": JSONValue(round.status?.hashrateExpected),
            "hashrate_hs": JSONValue(sample?.hashrate),
            "last_share_at": JSONValue(round.lastShareAt.map(Format.rfc3339)),
            "miner": .string(round.miner.name),
            "miner_id": .int(round.miner.id),
            "new_accepted": .int(Int64(round.newAccepted)),
            "new_rejected": .int(Int64(round.newRejected)),
            "power_w": JSONValue(sample?.power),
            "reasons": .array(round.miner.statusReasons.map(JSONValue.string)),
            "rejected": JSONValue(sample?.rejected),
            "round": .int(Int64(number)),
            "status": .string(sample == nil ? "skipped" : round.miner.status.rawValue),
            "temp_max_c": JSONValue(sample?.tempMax),
            "time": .string(Format.rfc3339(now)),
            "type": "sample",
            "uptime_s": JSONValue(sample?.uptime),
        ]))
    }

    static func event(_ round: RoundRecorder.MinerRound, now: Int64) -> JSONValue {
        .object(JSONObject([
            "address": .string(round.miner.host),
            "miner": .string(round.miner.name),
            "miner_id": .int(round.miner.id),
            "new_status": .string(round.miner.status.rawValue),
            "old_status": .string(round.previousStatus.rawValue),
            "reasons": .array(round.miner.statusReasons.map(JSONValue.string)),
            "time": .string(Format.rfc3339(now)),
            "type": "event",
        ]))
    }

    func show(round number: Int, rounds: [RoundRecorder.MinerRound], now: Int64, elapsed: Double) throws {
        let polled = rounds.filter { $0.sample != nil }
        let counts = Dictionary(grouping: polled, by: { $0.miner.status }).mapValues(\.count)
        let hashrate = polled.compactMap { $0.sample?.hashrate }.reduce(0, +)
        let newShares = rounds.reduce(0) { $0 + $1.newAccepted }
        let changes = rounds.filter(\.changed)
        let out = context.stdout

        if context.globals.json {
            var text = ""
            for round in rounds { text += WatchView.sample(round, number: number, now: now).encoded() + "\n" }
            for round in changes { text += WatchView.event(round, now: now).encoded() + "\n" }
            text += JSONValue.object(JSONObject([
                "active": .int(Int64(counts[.active] ?? 0)),
                "dead": .int(Int64(counts[.dead] ?? 0)),
                "elapsed_ms": .int(Int64(elapsed * 1000)),
                "hashrate_hs": .double(hashrate),
                "miners": .int(Int64(rounds.count)),
                "new_shares": .int(Int64(newShares)),
                "round": .int(Int64(number)),
                "time": .string(Format.rfc3339(now)),
                "type": "summary",
                "warning": .int(Int64(counts[.warning] ?? 0)),
            ])).encoded() + "\n"
            try out.write(text)
            try out.flush()
            return
        }

        for round in changes {
            let line = "\(round.miner.name): \(round.previousStatus.rawValue) -> \(round.miner.status.rawValue)"
                + (round.miner.statusReasons.isEmpty ? "" : " (\(round.miner.statusReasons.joined(separator: "; ")))")
            if context.stdoutIsTTY {
                recentEvents.append(Format.rfc3339(now) + "  " + line)
                if recentEvents.count > 5 { recentEvents.removeFirst(recentEvents.count - 5) }
            } else {
                context.note("bitlink: \(line)")
            }
        }

        if !context.stdoutIsTTY {
            var table = Table(Array(repeating: Table.Column(""), count: 13))
            for round in rounds {
                let sample = round.sample
                table.append([
                    .init(Format.rfc3339(now)), .init(String(number)), .init(round.miner.name), .init(round.miner.host),
                    .init(sample == nil ? "skipped" : round.miner.status.rawValue), .init(Format.raw(sample?.hashrate)),
                    .init(Format.raw(sample?.tempMax)), .init(Format.raw(sample?.fanMinRPM)), .init(Format.raw(sample?.power)),
                    .init(Format.raw(sample?.accepted)), .init(Format.raw(sample?.rejected)), .init(Format.raw(sample?.uptime)),
                    .init((round.error.map { [$0] } ?? round.miner.statusReasons).joined(separator: "; ")),
                ])
            }
            try out.write(table.tsv())
            try out.flush()
            return
        }

        var table = Table([
            .init("NAME"), .init("STATUS"), .init("HASHRATE", .right), .init("TEMP", .right), .init("FANS"), .init("POWER", .right),
            .init("ACC", .right), .init("REJ", .right), .init("LAST SHARE"), .init("UPTIME", .right), .init("WHY"),
        ])
        for round in rounds.sorted(by: { $0.miner.name < $1.miner.name }) {
            let status = round.status
            let fans = status.map { $0.fans.compactMap(\.rpm).map { Format.decimal($0, places: 0) }.joined(separator: "/") } ?? ""
            table.append([
                .init(round.miner.name),
                .init(round.sample == nil ? "skipped" : round.miner.status.rawValue, raw: round.miner.status.rawValue,
                    color: round.sample == nil ? nil : Table.statusColor(round.miner.status.rawValue)),
                .init(Format.hashrate(round.sample?.hashrate)),
                .init(Format.temperature(round.sample?.tempMax)),
                .init(fans.isEmpty ? "-" : fans),
                .init(Format.power(round.sample?.power)),
                .init(round.sample?.accepted.map(String.init) ?? "-"),
                .init(round.sample?.rejected.map(String.init) ?? "-"),
                .init(Format.ago(round.lastShareAt, now: now)),
                .init(Format.duration(status?.uptime)),
                .init((round.error.map { [$0] } ?? round.miner.statusReasons).joined(separator: "; ")),
            ])
        }
        // Redraw in place: move up over the previous round's lines and clear below, so
        // what the terminal showed before the watch stays in its scrollback.
        var text = linesDrawn > 0 ? "\u{1B}[\(linesDrawn)A\u{1B}[J" : ""
        var header = "bitlink watch · round \(number) · \(Format.rfc3339(now)) · \(rounds.count) miners: "
        header += "\(counts[.active] ?? 0) active, \(counts[.warning] ?? 0) warning, \(counts[.dead] ?? 0) dead"
        header += " · \(Format.hashrate(hashrate)) · +\(newShares) shares · \(Format.decimal(elapsed, places: 2))s"
        // Every line fits the width: a wrapped line would throw the count off.
        var body = Table.truncate(header, to: context.width) + "\n\n"
        body += table.aligned(width: context.width, color: context.colorStdout)
        if !recentEvents.isEmpty {
            body += "\nrecent changes:\n" + recentEvents.map { Table.truncate("  " + $0, to: context.width) }.joined(separator: "\n") + "\n"
        }
        linesDrawn = body.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        text += body
        try out.write(text)
        try out.flush()
    }

}
