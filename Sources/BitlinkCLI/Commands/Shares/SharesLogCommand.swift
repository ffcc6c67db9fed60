import BitlinkCore

/// `bitlink shares log`: records share submissions by hand, or many from NDJSON on stdin.
enum SharesLogCommand {
    static let spec = CommandSpec(
        path: ["shares", "log"],
        summary: "Record share submissions by hand",
        discussion: "Records one share for a wallet or a miner (at least one of --wallet and --miner). With a miner and no wallet, the miner's linked wallet is used; worker and pool default to the miner's active pool. With '-' as argument, reads one JSON object per line from stdin, with the keys wallet, miner, pool, worker, difficulty, rejected, shares and time (RFC 3339 or Unix seconds); every line is checked first and nothing is stored if one is wrong. 'bitlink watch' records shares from the miners' own counters; use this for miners without an API, such as NerdMiner v2.",
        examples: [
            Example("bitlink shares log --miner nerd1 --difficulty 1024", "One accepted share from a NerdMiner."),
            Example("bitlink shares log --wallet solo --difficulty 8192 --rejected", "A rejected share for a wallet."),
            Example("bitlink shares log - < shares.ndjson", "Record many shares at once, one JSON object per line; all or none are stored."),
        ],
        options: [
            OptionSpec("wallet", value: "WALLET", help: "The wallet (id, address or label).", completion: .wallets),
            OptionSpec("miner", value: "MINER", help: "The miner (id, name or address).", completion: .miners),
            OptionSpec("pool", value: "POOL", help: "The pool name or URL."),
            OptionSpec("worker", value: "NAME", help: "The worker name."),
            OptionSpec("difficulty", value: "D", help: "The share difficulty."),
            OptionSpec("rejected", help: "The pool rejected the share."),
            OptionSpec("shares", value: "N", help: "Count N identical shares in one record (default 1)."),
            OptionSpec("time", value: "TIME", help: "When (RFC 3339 or Unix seconds; default now)."),
        ],
        positionals: [PositionalSpec("-", help: "Read NDJSON records from stdin instead of the options.", optional: true)],
        // The wallet or miner must exist, so the database must too: never create it here.
        database: .existing,
        run: run)

    /// One share as given, before names are resolved.
    struct Entry {
        var wallet: String?
        var miner: String?
        var pool: String?
        var worker: String?
        var difficulty: Double?
        var rejected = false
        var shares = 1
        var time: Int64?
    }

    static func run(_ invocation: Invocation, _ context: Context) throws -> ExitStatus {
        var entries: [Entry] = []
        if let first = invocation.positionals.first {
            guard first == "-" else { throw invocation.usageError("unexpected argument '\(first)': use '-' to read from stdin") }
            let given = ["wallet", "miner", "pool", "worker", "difficulty", "rejected", "shares", "time"].filter { invocation.values[$0] != nil }
            guard given.isEmpty else { throw invocation.usageError("'-' reads every field from stdin; drop --\(given[0])") }
            entries = try readStdin()
        } else {
            var entry = Entry()
            entry.wallet = try invocation.string("wallet")
            entry.miner = try invocation.string("miner")
            entry.pool = try invocation.string("pool")
            entry.worker = try invocation.string("worker")
            if let text = invocation.value("difficulty") {
                guard let difficulty = Double(text), difficulty.isFinite, difficulty > 0 else {
                    throw invocation.usageError("invalid value '\(text)' for '--difficulty': expected a positive number")
                }
                entry.difficulty = difficulty
            }
            entry.rejected = invocation.flag("rejected")
            entry.shares = try invocation.integer("shares", in: 1...1_000_000_000) ?? 1
            if let text = invocation.value("time") {
                guard let time = parseTime(.string(text)) else {
                    throw invocation.usageError("invalid value '\(text)' for '--time': use RFC 3339 (2026-11-23T12:00:00Z) or Unix seconds")
                }
                entry.time = time
            }
            guard entry.wallet != nil || entry.miner != nil else {
                throw invocation.usageError("give --wallet or --miner (or both), or '-' to read records from stdin")
            }
            entries = [entry]
        }

        let store = try context.store()
        let now = context.now()
        let records: [Store.ShareRecord] = try store.write {
            let insert = try store.shareInserter()
            var records: [Store.ShareRecord] = []
            for (index, entry) in entries.enumerated() {
                let share = try resolve(entry, line: entries.count > 1 || invocation.positionals.first == "-" ? index + 1 : nil, store: store, now: now)
                var stored = share.submission
                stored.id = try insert(stored)
                records.append(Store.ShareRecord(submission: stored, walletAddress: share.walletAddress, minerName: share.minerName))
            }
            return records
        }
        if context.globals.json {
            try RecordOutput.writeJSON(.array(records.map(ShareOutput.json)), context: context)
        } else if context.stdoutIsTTY {
            let count = records.reduce(0) { $0 + $1.submission.shares }
            try context.stdout.line("logged \(count) share\(count == 1 ? "" : "s") in \(records.count) record\(records.count == 1 ? "" : "s")")
        } else {
            try context.stdout.write(ShareOutput.table(records, now: now).tsv())
        }
        return .ok
    }

    /// Fills wallet, worker and pool from the miner where not given.
    static func resolve(_ entry: Entry, line: Int?, store: Store, now: Int64) throws -> Store.ShareRecord {
        let prefix = line.map { "line \($0): " } ?? ""
        func notFound(_ error: Error) -> Error {
            guard let error = error as? BitlinkError else { return error }
            return BitlinkError(error.code, prefix + error.message, hint: error.hint)
        }
        var wallet: Wallet?
        var miner: Miner?
        do {
            if let reference = entry.wallet { wallet = try WalletInput.resolve(reference, in: store) }
            if let reference = entry.miner { miner = try MinerNames.resolve(reference, in: store) }
        } catch {
            throw notFound(error)
        }
        var worker = entry.worker
        var pool = entry.pool
        if let miner {
            let configs = try store.configs(minerID: miner.id)
            let active = configs.first(where: \.active) ?? configs.first
            if wallet == nil, let walletID = active?.walletID ?? configs.first(where: { $0.walletID != nil })?.walletID {
                wallet = try store.wallet(matching: String(walletID))
            }
            if worker == nil { worker = active?.workerName }
            if pool == nil, let active, !active.poolURL.isEmpty { pool = active.poolID ?? active.poolURL }
        }
        let submission = ShareSubmission(
            timestamp: entry.time ?? now, walletID: wallet?.id, minerID: miner?.id, poolName: pool, workerName: worker,
            difficulty: entry.difficulty.map { $0 * Double(entry.shares) }, accepted: !entry.rejected, shares: entry.shares, source: .manual)
        return Store.ShareRecord(submission: submission, walletAddress: wallet?.address, minerName: miner?.name)
    }

    static let stdinKeys = ["wallet", "miner", "pool", "worker", "difficulty", "rejected", "shares", "time"]

    /// Reads and checks every NDJSON line before anything is stored (exit 65 on a bad one).
    static func readStdin() throws -> [Entry] {
        var entries: [Entry] = []
        var lineNumber = 0
        for line in StandardInput.lines() {
            lineNumber += 1
            let text = line.trimmingASCIISpaces()
            if text.isEmpty { continue }
            func bad(_ why: String) -> BitlinkError {
                BitlinkError(.invalidInput, "stdin line \(lineNumber): \(why)", hint: "nothing was recorded; fix the line and run again")
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse(text)
            } catch {
                throw bad("not JSON (\(error))")
            }
            guard let object = value.objectValue else { throw bad("expected a JSON object") }
            for key in object.keys where !stdinKeys.contains(key) {
                let suggestion = Suggestions.closest(to: key, in: stdinKeys).first.map { " (did you mean '\($0)'?)" } ?? ""
                throw bad("unknown key '\(key)'\(suggestion)")
            }
            var entry = Entry()
            func field(_ key: String) throws -> String? {
                guard let field = object[key], !field.isNull else { return nil }
                guard let string = field.text, !string.isEmpty else { throw bad("'\(key)' must be a non-empty string") }
                return string
            }
            entry.wallet = try field("wallet")
            entry.miner = try field("miner")
            entry.pool = try field("pool")
            entry.worker = try field("worker")
            if let field = object["difficulty"], !field.isNull {
                guard let difficulty = field.doubleValue, difficulty > 0 else { throw bad("'difficulty' must be a positive number") }
                entry.difficulty = difficulty
            }
            if let field = object["rejected"], !field.isNull {
                guard case .bool(let rejected) = field else { throw bad("'rejected' must be true or false") }
                entry.rejected = rejected
            }
            if let field = object["shares"], !field.isNull {
                guard let shares = field.intValue, shares >= 1 else { throw bad("'shares' must be a whole number of at least 1") }
                entry.shares = shares
            }
            if let field = object["time"], !field.isNull {
                guard let time = parseTime(field) else { throw bad("'time' must be RFC 3339 or Unix seconds") }
                entry.time = time
            }
            guard entry.wallet != nil || entry.miner != nil else { throw bad("needs 'wallet' or 'miner'") }
            entries.append(entry)
        }
        guard !entries.isEmpty else {
            throw BitlinkError(.invalidInput, "no records on stdin", hint: "send one JSON object per line, e.g. {\"wallet\":\"solo\",\"difficulty\":1024}")
        }
        return entries
    }

    static func parseTime(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let seconds): return seconds
        case .double(let seconds): return seconds.isFinite ? Int64(seconds) : nil
        case .string(let text): return Int64(text) ?? Format.parseRFC3339(text)
        default: return nil
        }
    }
}
