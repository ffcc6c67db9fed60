import BitlinkCore

/// What `scan` shows while it runs and at the end: NDJSON records with --json, TSV rows
/// when piped, a progress line and a final table on a terminal, and a summary on stderr.
final class ScanReport {
    let context: Context
    let explain: Bool
    let wallets: [Int64: Wallet]
    private var rows: [(address: IPv4Address, cells: [Table.Cell])] = []
    private var progressShown = false
    private(set) var writeFailure: Error?

    init(context: Context, explain: Bool, wallets: [Wallet]) {
        self.context = context
        self.explain = explain
        self.wallets = Dictionary(wallets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The match that says most about where the miner's hashrate goes.
    static func headline(_ matches: [WalletMatch]) -> WalletMatch? {
        matches.first(where: \.isLinked) ?? matches.first(where: { $0.configuration.active || $0.assumedActive }) ?? matches.first
    }

    /// - Parameter manualWalletID: the wallet the active pool was linked to by hand, which
    ///   automatic matching leaves alone.
    func found(
        _ outcome: MinerReader.Outcome, _ reading: MinerReader.Reading, stored: Store.UpsertResult?, matches: [WalletMatch],
        manualWalletID: Int64? = nil
    ) {
        let address = outcome.address.description
        let headline = ScanReport.headline(matches)
        let wallet = (manualWalletID ?? headline?.walletID).flatMap { wallets[$0] }
        let why = manualWalletID != nil ? "linked by hand; automatic matching leaves it alone" : headline?.explanation.description
        if explain {
            let name = stored.map { "\($0.miner.name) (\(address))" } ?? address
            let why = why ?? "no pool configured"
            context.note("explain: \(name): \(why)")
        }
        let status = reading.status
        if context.globals.json {
            var fields = StatusOutput.fields(status, address: address, miner: stored?.miner, readAt: context.now())
            fields["type"] = "miner"
            fields["name"] = JSONValue(stored?.miner.name)
            fields["id"] = JSONValue(stored?.miner.id)
            fields["stored"] = JSONValue(stored.map { $0.inserted ? "new" : "updated" })
            fields["wallet"] = JSONValue(wallet?.address)
            fields["wallet_id"] = JSONValue(wallet?.id)
            fields["match"] = JSONValue(why)
            emit(.object(fields))
        } else if !context.stdoutIsTTY {
            var table = Table(Array(repeating: Table.Column(""), count: 6))
            table.append([
                .init(address), .init(status.identity.family.rawValue), .init(status.identity.model ?? ""),
                .init(status.identity.firmware ?? ""), .init(Format.raw(status.hashrate ?? status.hashrateAverage)),
                .init(stored?.miner.name ?? ""),
            ])
            write(table.tsv())
        } else {
            rows.append((outcome.address, [
                .init(address), .init(stored?.miner.name ?? "-"), .init(status.identity.family.rawValue),
                .init(status.identity.model ?? "-"), .init(status.identity.firmware ?? "-"),
                .init(Format.hashrate(status.hashrate ?? status.hashrateAverage)),
                .init(stored.map { $0.inserted ? "new" : ($0.previousHost.map { "moved from \($0)" } ?? "updated") } ?? "-"),
                .init(wallet.map { $0.label ?? $0.address } ?? "-"),
            ]))
        }
    }

    func failed(_ outcome: MinerReader.Outcome, _ error: ReadError) {
        let address = outcome.address.description
        let unknown: Bool
        if case .unrecognized = error { unknown = true } else { unknown = false }
        if context.globals.json {
            let code: String
            switch error {
            case .transport(.timeout): code = "timeout"
            case .transport: code = "transport"
            case .protocolViolation, .statusRefused: code = "protocol"
            case .notPermitted: code = "not_permitted"
            case .unrecognized: code = "unrecognized"
            case .noNetworkAPI: code = "no_api"
            }
            emit(.object(JSONObject([
                "type": "error", "address": .string(address),
                "error": .object(JSONObject(["code": .string(code), "message": .string(error.description)])),
            ])))
        }
        // Open ports that are not miners (printers, routers) are only interesting with -v.
        if unknown {
            context.debug("\(address): \(error)")
        } else {
            clearProgress()
            try? context.stderr.line("bitlink: \(address): \(error)")
            try? context.stderr.flush()
        }
    }

    func progress(_ progress: Scanner.Progress, found: Int) {
        if context.globals.json {
            emit(.object(JSONObject([
                "type": "progress", "done": .int(Int64(progress.done)), "total": .int(Int64(progress.total)),
                "found": .int(Int64(found)), "elapsed_ms": .int(progress.elapsed.milliseconds),
            ])))
        }
        guard context.stderrIsTTY, !context.globals.quiet else { return }
        let percent = progress.total == 0 ? 100 : progress.done * 100 / progress.total
        try? context.stderr.write("\rscanning: \(progress.done)/\(progress.total) hosts (\(percent)%), \(found) miners, \(Format.decimal(progress.elapsed.seconds, places: 1))s\u{1B}[K")
        try? context.stderr.flush()
        progressShown = true
    }

    func finish(_ summary: Scanner.Summary, batch: ScanBatch) {
        clearProgress()
        if context.stdoutIsTTY, !context.globals.json, !rows.isEmpty {
            var table = Table([
                .init("ADDRESS"), .init("NAME"), .init("TYPE"), .init("MODEL"), .init("FIRMWARE"), .init("HASHRATE", .right),
                .init("STORED"), .init("WALLET"),
            ])
            for row in rows.sorted(by: { $0.address < $1.address }) { table.append(row.cells) }
            write(table.aligned(width: context.width))
        }
        if context.globals.json {
            emit(.object(JSONObject([
                "type": "summary", "targets": .int(Int64(summary.targets)), "found": .int(Int64(summary.found)),
                "open_unknown": .int(Int64(summary.openUnknown)), "errors": .int(Int64(summary.errors)),
                "stored_new": .int(Int64(batch.inserted)), "stored_updated": .int(Int64(batch.updated)),
                "linked": .int(Int64(batch.linked)), "connections": .int(Int64(summary.connections)),
                "elapsed_ms": .int(summary.elapsed.milliseconds),
                "status": .string(summary.interrupted ? "interrupted" : "complete"),
            ])))
        }
        var line = "\(summary.interrupted ? "interrupted after" : "scanned") \(summary.done) of \(summary.targets) hosts in \(Format.decimal(summary.elapsed.seconds, places: 2))s: \(summary.found) miner\(summary.found == 1 ? "" : "s")"
        if batch.store != nil { line += " (\(batch.inserted) new, \(batch.updated) updated, \(batch.linked) linked to wallets)" }
        line += ", \(summary.errors) error\(summary.errors == 1 ? "" : "s"), \(summary.openUnknown) open but unknown"
        context.note(line)
    }

    private func clearProgress() {
        guard progressShown else { return }
        try? context.stderr.write("\r\u{1B}[K")
        try? context.stderr.flush()
        progressShown = false
    }

    /// One NDJSON record, flushed at once so a pipe sees it while the scan goes on.
    private func emit(_ value: JSONValue) {
        write(value.encoded() + "\n")
    }

    private func write(_ text: String) {
        guard writeFailure == nil else { return }
        do {
            try context.stdout.write(text)
            try context.stdout.flush()
        } catch {
            writeFailure = error
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
