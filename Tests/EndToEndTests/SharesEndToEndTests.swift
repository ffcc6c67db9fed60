import Foundation
import Testing

/// `bitlink shares log`, `list` and `stats` end to end: by hand and from NDJSON on stdin,
/// every filter, every grouping, piped (exact TSV) and as JSON (issue 6).
@Suite("shares end to end")
struct SharesEndToEndTests {
    static let solo = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    static let farm = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"

    static let shareKeys: Set<String> = [
        "id", "time", "wallet", "wallet_id", "miner", "miner_id", "pool", "worker", "difficulty", "accepted", "shares", "source",
    ]
    static let statsKeys: Set<String> = ["group", "key", "accepted", "rejected", "reject_rate", "difficulty_sum", "last_share_at"]

    /// Two wallets, two miners (nerd1 linked to solo by hand), and six share records with
    /// fixed times: three by hand, three from stdin.
    static func populated() throws -> Sandbox {
        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", solo, "--label", "solo"])
        try sandbox.bitlink(["wallets", "add", farm, "--label", "farm"])
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig1", "--type", "antminer"])
        try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "nerd1", "--type", "nmminer"])
        #expect(try sandbox.bitlink(["link-wallet", "nerd1", "solo"]).status == 0)

        // A miner without a wallet option takes the wallet it is linked to.
        let one = try sandbox.bitlink(["shares", "log", "--miner", "nerd1", "--difficulty", "1024", "--time", "2026-01-02T03:04:05Z"])
        #expect(one.status == 0, "\(one)")
        #expect(one.stdout == "1\t2026-01-02T03:04:05Z\t\(solo)\tnerd1\t\t\t1024\taccepted\t1\tmanual\n")
        #expect(one.stderr.isEmpty)

        let two = try sandbox.bitlink([
            "shares", "log", "--wallet", "farm", "--miner", "rig1", "--pool", "ckpool", "--worker", "w1", "--difficulty", "8192",
            "--rejected", "--time", "2026-01-02T04:00:00Z", "--json",
        ])
        #expect(two.status == 0, "\(two)")
        let stored = try JSONLines.array(two)
        #expect(stored.count == 1)
        #expect((stored[0] as NSDictionary) == ([
            "id": 2, "time": "2026-01-02T04:00:00Z", "wallet": farm, "wallet_id": 2, "miner": "rig1", "miner_id": 1,
            "pool": "ckpool", "worker": "w1", "difficulty": 8192, "accepted": false, "shares": 1, "source": "manual",
        ] as NSDictionary))

        // --shares N counts N shares of difficulty D in one row (difficulty N x D); Unix time.
        let three = try sandbox.bitlink([
            "shares", "log", "--wallet", "solo", "--shares", "3", "--difficulty", "100", "--worker", "w2", "--time", "1767326400",
        ])
        #expect(three.stdout == "3\t2026-01-02T04:00:00Z\t\(solo)\t\t\tw2\t300\taccepted\t3\tmanual\n", "\(three)")

        let input = """
            {"miner":"rig1","wallet":"farm","pool":"ckpool","worker":"w1","difficulty":2048,"time":"2026-01-03T00:00:00Z"}

            {"wallet":"\(solo)","difficulty":4096,"shares":2,"time":"2026-01-04T00:00:00Z","pool":null}
            {"miner":"nerd1","rejected":true,"difficulty":512,"time":1767571200}

            """
        let piped = try sandbox.bitlink(["shares", "log", "-"], stdin: input)
        #expect(piped.status == 0, "\(piped)")
        #expect(piped.stdout == """
            4\t2026-01-03T00:00:00Z\t\(farm)\trig1\tckpool\tw1\t2048\taccepted\t1\tmanual
            5\t2026-01-04T00:00:00Z\t\(solo)\t\t\t\t8192\taccepted\t2\tmanual
            6\t2026-01-05T00:00:00Z\t\(solo)\tnerd1\t\t\t512\trejected\t1\tmanual

            """)
        return sandbox
    }

    static let allRows = """
        6\t2026-01-05T00:00:00Z\t\(solo)\tnerd1\t\t\t512\trejected\t1\tmanual
        5\t2026-01-04T00:00:00Z\t\(solo)\t\t\t\t8192\taccepted\t2\tmanual
        4\t2026-01-03T00:00:00Z\t\(farm)\trig1\tckpool\tw1\t2048\taccepted\t1\tmanual
        3\t2026-01-02T04:00:00Z\t\(solo)\t\t\tw2\t300\taccepted\t3\tmanual
        2\t2026-01-02T04:00:00Z\t\(farm)\trig1\tckpool\tw1\t8192\trejected\t1\tmanual
        1\t2026-01-02T03:04:05Z\t\(solo)\tnerd1\t\t\t1024\taccepted\t1\tmanual

        """

    static func rows(_ ids: [Int]) -> String {
        let lines = allRows.split(separator: "\n").filter { line in ids.contains(Int(line.prefix { $0 != "\t" })!) }
        return lines.map { $0 + "\n" }.joined()
    }

    @Test("shares log by hand and from stdin; list, newest first, piped and as JSON")
    func logAndList() throws {
        let sandbox = try Self.populated()
        let list = try sandbox.bitlink(["shares", "list"])
        #expect(list.status == 0)
        #expect(list.stdout == Self.allRows)
        #expect(list.stderr.isEmpty)

        let json = try JSONLines.array(try sandbox.bitlink(["shares", "list", "--json"]))
        #expect(json.map { $0.int("id") } == [6, 5, 4, 3, 2, 1])
        for row in json { #expect(Set(row.keys) == Self.shareKeys) }
        #expect((json[1] as NSDictionary) == ([
            "id": 5, "time": "2026-01-04T00:00:00Z", "wallet": Self.solo, "wallet_id": 1, "miner": NSNull(), "miner_id": NSNull(),
            "pool": NSNull(), "worker": NSNull(), "difficulty": 8192, "accepted": true, "shares": 2, "source": "manual",
        ] as NSDictionary))
        #expect(json[0].string("miner") == "nerd1" && json[0].int("miner_id") == 2 && json[0].int("wallet_id") == 1)

        // On a terminal: a header and one row per share.
        let table = try sandbox.bitlink(["shares", "list"], tty: true, environment: ["COLUMNS": "200"])
        #expect(table.lines.first?.split(separator: " ", omittingEmptySubsequences: true)
            == ["ID", "TIME", "WALLET", "MINER", "POOL", "WORKER", "DIFFICULTY", "RESULT", "SHARES", "SOURCE"])
        #expect(table.lines.count == 7)

        // A share logged without --time is stamped now.
        let now = try sandbox.bitlink(["shares", "log", "--wallet", Self.farm, "--json"])
        let fresh = try #require(try JSONLines.array(now).first)
        let stamp = try #require(ISO8601DateFormatter().date(from: fresh.string("time") ?? ""))
        #expect(abs(stamp.timeIntervalSinceNow) < 300)
        #expect(fresh.isNull("difficulty"))
        let recent = try sandbox.bitlink(["shares", "list", "--since", "1h"])
        #expect(recent.lines.count == 1)
        #expect(recent.stdout.hasPrefix("7\t"))
    }

    @Test("a bad NDJSON line stores nothing and exits 65", arguments: [
        ("{\"wallet\":\"solo\",\"difficulty\":1}\n{\"difficulty\":1}\n", "bitlink: stdin line 2: needs 'wallet' or 'miner'\n"),
        ("{\"wallet\":\"solo\"}\nnot json\n", "bitlink: stdin line 2: not JSON (unknown bare word at byte 0)\n"),
        ("{\"wallet\":\"solo\",\"difficulty\":-5}\n", "bitlink: stdin line 1: 'difficulty' must be a positive number\n"),
        ("{\"wallet\":\"solo\",\"shares\":0}\n", "bitlink: stdin line 1: 'shares' must be a whole number of at least 1\n"),
        ("{\"wallet\":\"solo\",\"rejected\":\"yes\"}\n", "bitlink: stdin line 1: 'rejected' must be true or false\n"),
        ("{\"wallet\":\"solo\",\"time\":\"yesterday\"}\n", "bitlink: stdin line 1: 'time' must be RFC 3339 or Unix seconds\n"),
        ("\n\n", "bitlink: no records on stdin\n"),
    ])
    func badStdinLine(_ input: String, _ message: String) throws {
        let sandbox = try Self.populated()
        let result = try sandbox.bitlink(["shares", "log", "-"], stdin: input)
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        #expect(try sandbox.bitlink(["shares", "list"]).stdout == Self.allRows, "nothing was recorded")
    }

    @Test("shares log refusals: usage (64), unknown wallet or miner (66); nothing stored", arguments: [
        (["shares", "log"], 64, "give --wallet or --miner"),
        (["shares", "log", "--wallet", "solo", "--difficulty", "0"], 64, "invalid value '0' for '--difficulty'"),
        (["shares", "log", "--wallet", "solo", "--difficulty=-1"], 64, "invalid value '-1' for '--difficulty'"),
        (["shares", "log", "--wallet", "solo", "--shares", "0"], 64, "invalid value '0' for '--shares'"),
        (["shares", "log", "--wallet", "solo", "--time", "yesterday"], 64, "invalid value 'yesterday' for '--time'"),
        (["shares", "log", "-", "--worker", "x"], 64, "drop --worker"),
        (["shares", "log", "--wallet", "nope"], 66, "no wallet matches 'nope'"),
        (["shares", "log", "--miner", "nope"], 66, "no miner matches 'nope'"),
        (["shares", "list", "--wallet", "nope"], 66, "no wallet matches 'nope'"),
        (["shares", "list", "--since", "bogus"], 64, "invalid value 'bogus' for '--since'"),
        (["shares", "stats", "--by", "pool"], 64, "expected one of wallet, miner, worker"),
    ] as [([String], Int32, String)])
    func refusals(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let sandbox = try Self.populated()
        let result = try sandbox.bitlink(arguments, stdin: "")
        #expect(result.status == status, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bitlink: "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try sandbox.bitlink(["shares", "list"]).stdout == Self.allRows)
    }

    @Test("no shares command creates the database")
    func missingDatabase() throws {
        let sandbox = Sandbox()
        for arguments in [["shares", "list"], ["shares", "stats"], ["shares", "log", "--wallet", "solo"]] {
            let result = try sandbox.bitlink(arguments)
            #expect(result.status == 66, "\(arguments): \(result)")
            #expect(result.stderr.hasPrefix("bitlink: no database at \(sandbox.database)\n"))
            #expect(!sandbox.exists("data/bitlink.db"))
        }
        let piped = try sandbox.bitlink(["shares", "log", "-"], stdin: "{\"wallet\":\"solo\"}\n")
        #expect(piped.status == 66)
        #expect(!sandbox.exists("data/bitlink.db"))
    }

    @Test("shares list filters: wallet, miner, worker, since, limit, and combined", arguments: [
        (["--wallet", "solo"], [6, 5, 3, 1]),
        (["--wallet", farm], [4, 2]),
        (["--wallet", "2"], [4, 2]),
        (["--miner", "rig1"], [4, 2]),
        (["--miner", "10.0.0.6"], [6, 1]),
        (["--worker", "w1"], [4, 2]),
        (["--worker", "w2"], [3]),
        (["--worker", "nobody"], []),
        (["--since", "2026-01-03T00:00:00Z"], [6, 5, 4]),
        (["--since", "2026-01-02T04:00:00Z"], [6, 5, 4, 3, 2]),
        (["--since", "1h"], []),
        (["--since", "2026-01-02T00:00:00Z", "--wallet", "solo", "--miner", "nerd1"], [6, 1]),
        (["--since", "2026-01-03T00:00:00Z", "--wallet", "solo"], [6, 5]),
        (["--limit", "2"], [6, 5]),
        (["--wallet", "farm", "--limit", "1"], [4]),
    ] as [([String], [Int])])
    func listFilters(_ filter: [String], _ ids: [Int]) throws {
        let sandbox = try Self.populated()
        let piped = try sandbox.bitlink(["shares", "list"] + filter)
        #expect(piped.status == 0, "\(piped)")
        #expect(piped.stdout == Self.rows(ids), "\(filter)")
        let json = try JSONLines.array(try sandbox.bitlink(["shares", "list", "--json"] + filter))
        #expect(json.map { $0.int("id") } == ids.map { Optional($0) })
    }

    @Test("shares stats by wallet, miner and worker, piped and as JSON, with filters")
    func stats() throws {
        let sandbox = try Self.populated()
        // Accepted and rejected are share counts (a row may hold several); the difficulty
        // sum counts accepted shares only; the last share is the last accepted one.
        let byWallet = try sandbox.bitlink(["shares", "stats"])
        #expect(byWallet.status == 0)
        #expect(byWallet.stdout == """
            \(Self.farm)\t1\t1\t0.5\t2048\t2026-01-03T00:00:00Z
            \(Self.solo)\t6\t1\t\(Self.rate(1, 7))\t9516\t2026-01-04T00:00:00Z

            """, "\(byWallet)")
        #expect(try sandbox.bitlink(["shares", "stats", "--by", "wallet"]).stdout == byWallet.stdout)

        let byMiner = try sandbox.bitlink(["shares", "stats", "--by", "miner"])
        #expect(byMiner.stdout == """
            nerd1\t1\t1\t0.5\t1024\t2026-01-02T03:04:05Z
            rig1\t1\t1\t0.5\t2048\t2026-01-03T00:00:00Z
            \t5\t0\t0\t8492\t2026-01-04T00:00:00Z

            """, "\(byMiner)")

        let byWorker = try sandbox.bitlink(["shares", "stats", "--by", "worker"])
        #expect(byWorker.stdout == """
            w1\t1\t1\t0.5\t2048\t2026-01-03T00:00:00Z
            w2\t3\t0\t0\t300\t2026-01-02T04:00:00Z
            \t3\t1\t0.25\t9216\t2026-01-04T00:00:00Z

            """, "\(byWorker)")

        let json = try JSONLines.array(try sandbox.bitlink(["shares", "stats", "--by", "worker", "--json"]))
        #expect(json.count == 3)
        for group in json { #expect(Set(group.keys) == Self.statsKeys) }
        #expect((json[2] as NSDictionary) == ([
            "group": "worker", "key": NSNull(), "accepted": 3, "rejected": 1, "reject_rate": 0.25, "difficulty_sum": 9216,
            "last_share_at": "2026-01-04T00:00:00Z",
        ] as NSDictionary))
        let wallets = try JSONLines.array(try sandbox.bitlink(["shares", "stats", "--json"]))
        #expect(wallets.map { $0.string("key") } == [Self.farm, Self.solo])
        #expect(wallets.allSatisfy { $0.string("group") == "wallet" })
        #expect(abs((wallets[1].double("reject_rate") ?? 0) - 1.0 / 7) < 1e-9)

        // Filters narrow what is counted.
        #expect(try sandbox.bitlink(["shares", "stats", "--by", "worker", "--wallet", "farm"]).stdout
            == "w1\t1\t1\t0.5\t2048\t2026-01-03T00:00:00Z\n")
        #expect(try sandbox.bitlink(["shares", "stats", "--since", "2026-01-04T00:00:00Z"]).stdout
            == "\(Self.solo)\t2\t1\t\(Self.rate(1, 3))\t8192\t2026-01-04T00:00:00Z\n")
        #expect(try sandbox.bitlink(["shares", "stats", "--by", "wallet", "--miner", "nerd1"]).stdout
            == "\(Self.solo)\t1\t1\t0.5\t1024\t2026-01-02T03:04:05Z\n")
        #expect(try sandbox.bitlink(["shares", "stats", "--by", "miner", "--worker", "w2"]).stdout
            == "\t3\t0\t0\t300\t2026-01-02T04:00:00Z\n")
        let none = try sandbox.bitlink(["shares", "stats", "--since", "1h"])
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty)
        #expect(try sandbox.bitlink(["shares", "stats", "--since", "1h", "--json"]).stdout == "[]\n")

        // On a terminal: a header, a row per group, (none) for shares without a key.
        let table = try sandbox.bitlink(["shares", "stats", "--by", "miner"], tty: true, environment: ["COLUMNS": "200"])
        #expect(table.lines.first?.split(separator: " ", omittingEmptySubsequences: true)
            == ["MINER", "ACCEPTED", "REJECTED", "REJECT", "RATE", "DIFFICULTY", "LAST", "SHARE"])
        #expect(table.lines.count == 4)
        #expect(table.lines.last?.hasPrefix("(none)") == true)
    }

    /// The reject rate as the TSV prints it: a plain decimal in base units.
    static func rate(_ rejected: Int, _ total: Int) -> String {
        let stats = Double(rejected) / Double(total)
        return "\(stats)"
    }
}
