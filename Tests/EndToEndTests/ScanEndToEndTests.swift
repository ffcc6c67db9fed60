import BitlinkCore
import BitlinkSim
import Foundation
import Testing

/// `bitlink scan` against the simulator: discovery, identification, error reporting,
/// storing, auto-matching, moves, manual links, refusals and SIGINT (issue 5).
@Suite("scan end to end")
struct ScanEndToEndTests {
    /// What bitlink must report for each simulated model: its family and the model the
    /// device's replies name (nil where the capture names none; the adapter fixture tests
    /// pin the same values on the captures themselves).
    static let identities: [String: (family: String, model: String?)] = [
        "s19-pro": ("antminer", "S19 Pro"),
        "s9-hiveon": ("antminer", "S9"),
        "s17-plus-vnish": ("antminer", "S17+"),
        "s19-88-mskminer": ("antminer", "S19 (88)"),
        "m3x": ("whatsminer", nil),
        "m20s": ("whatsminer", nil),
        "avalon-1566": ("avalon", "Avalon 15-194"),
        "avalon-q": ("avalon", "Avalon Q"),
        "s9-bosminer": ("braiins", nil),
        "bitaxe-supra": ("axeos", "Bitaxe Supra"),
        "nerdqaxe-plus-plus": ("axeos", "NerdQAxe++"),
        "nmminer": ("nmminer", "NMMiner"),
        "innosilicon-a9": ("cgminer", "Innosilicon A9"),
        "sealminer": ("cgminer", "Sealminer A2"),
    ]

    /// Models whose captures carry a MAC that bitlink does not read yet (the generic CGMiner
    /// adapter ignores Sealminer's `stats` `MAC`): nil is accepted for them, the right MAC too.
    static let macNotRead: Set<String> = ["sealminer"]

    static func expectMAC(_ reported: String?, _ miner: SimulatedMiner, sourceLocation: SourceLocation = #_sourceLocation) {
        if Self.macNotRead.contains(miner.model.name), reported == nil { return }
        #expect(reported == miner.expectedMAC?.description, "\(miner.model.name)", sourceLocation: sourceLocation)
    }

    @Test("a /24 with every family, dead, hung and malformed hosts: found, identified, reported, stored, matched")
    func wholeSubnet() throws {
        // Every family answers healthy at least once; some copies are dead, hung or malformed.
        let models = [
            "s19-pro", "s19-pro", "s19-pro", "s9-hiveon", "s9-hiveon", "s17-plus-vnish", "s19-88-mskminer",
            "m3x", "m20s", "m20s", "avalon-1566", "avalon-1566", "avalon-q", "s9-bosminer",
            "bitaxe-supra", "bitaxe-supra", "nerdqaxe-plus-plus", "nerdqaxe-plus-plus", "nmminer", "innosilicon-a9", "sealminer",
        ]
        let sim = try SimFleet(models, subnet: "127.90.1.0/24")
        defer { sim.stop() }
        try sim.setFaults([
            "s19-pro": [nil, .dead, .truncated],
            "m20s": [nil, .dead],
            "s9-hiveon": [nil, .hold],
            "bitaxe-supra": [nil, .hold],
            "avalon-1566": [nil, .garbage],
            "nerdqaxe-plus-plus": [nil, .garbage],
        ])
        let healthy = sim.miners.filter { $0.faults.isEmpty }
        let dead = sim.miners.filter { $0.faults.contains(.dead) }
        let faulty = sim.miners.filter { !$0.faults.isEmpty && !$0.faults.contains(.dead) }
        #expect(healthy.count == 14 && dead.count == 2 && faulty.count == 5)
        #expect(Set(healthy.map(\.model.name)) == Set(Self.identities.keys), "every model answers healthy once")
        #expect(Set(healthy.map(\.family)).count == 7, "every family")

        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", SimFleet.wallet, "--label", "solo"])
        let scan = try sandbox.bitlink(sim.scanArguments(["--json", "--timeout", "2s"]))
        #expect(scan.status == 1, "errors make the exit status 1\n\(scan)")

        let records = try JSONLines.objects(scan.stdout)
        let summary = try #require(records.last)
        #expect(summary.string("type") == "summary", "the summary is the last record")
        #expect(records.filter { $0.string("type") == "summary" }.count == 1)
        #expect(summary.int("targets") == 254)
        #expect(summary.int("found") == healthy.count)
        #expect(summary.int("errors") == faulty.count)
        #expect(summary.int("open_unknown") == 0)
        #expect(summary.int("stored_new") == healthy.count)
        #expect(summary.int("stored_updated") == 0)
        #expect(summary.int("linked") == healthy.count)
        #expect(summary.string("status") == "complete")

        // Every answering miner is found once and identified as the simulator runs it.
        let found = records.filter { $0.string("type") == "miner" }
        #expect(found.count == healthy.count)
        #expect(Set(found.compactMap { $0.string("address") }) == Set(healthy.map(\.address.description)))
        for miner in healthy {
            let record = try #require(found.first { $0.string("address") == miner.address.description }, "\(miner.model.name) not found")
            let expected = try #require(Self.identities[miner.model.name])
            #expect(record.string("miner_type") == miner.family.rawValue, "\(miner.model.name)")
            #expect(record.string("miner_type") == expected.family, "\(miner.model.name)")
            #expect(record.string("model") == expected.model, "\(miner.model.name)")
            Self.expectMAC(record.string("mac_address"), miner)
            #expect(record.string("stored") == "new")
            #expect(record.string("wallet") == SimFleet.wallet, "\(miner.model.name): \(record["match"] ?? "")")
        }

        // The hung and malformed hosts are reported, on stdout and stderr; dead ones are silent.
        let errors = records.filter { $0.string("type") == "error" }
        #expect(Set(errors.compactMap { $0.string("address") }) == Set(faulty.map(\.address.description)))
        for miner in faulty {
            let record = try #require(errors.first { $0.string("address") == miner.address.description })
            let error = try #require(record["error"] as? [String: Any])
            let expectedCode = miner.faults.contains(.hold) ? "timeout" : "protocol"
            #expect(error.string("code") == expectedCode, "\(miner.model.name) \(miner.faults): \(error)")
            let message = try #require(error.string("message"))
            #expect(scan.stderr.contains("bitlink: \(miner.address): \(message)\n"), "\(miner.model.name) on stderr")
        }
        for miner in dead { #expect(!scan.stdout.contains("\"\(miner.address)\""), "a dead host is no miner and no error") }
        #expect(scan.stderr.hasPrefix("bitlink: "))
        #expect(scan.stderr.contains("scanned 254 of 254 hosts in "))
        #expect(scan.stderr.hasSuffix(": 14 miners (14 new, 0 updated, 14 linked to wallets), 5 errors, 0 open but unknown\n"))

        // Stored with their ports, and linked to the wallet added beforehand.
        let stored = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(stored.count == healthy.count)
        for miner in healthy {
            let row = try #require(stored.first { $0.string("ip_address") == miner.address.description })
            #expect(row.string("miner_type") == miner.family.rawValue)
            #expect(row.string("model") == Self.identities[miner.model.name]?.model)
            Self.expectMAC(row.string("mac_address"), miner)
            #expect(row.bool("auto_discovered") == true)
            if miner.ports[.api] != nil { #expect(row.int("api_port") == 44028, "\(miner.model.name)") }
            if miner.ports[.http] != nil, miner.ports[.api] == nil { #expect(row.int("http_port") == 40080, "\(miner.model.name)") }
            let name = try #require(row.string("name"))
            let configs = try JSONLines.array(try sandbox.bitlink(["miners", "configs", name, "--json"]))
            let active = try #require(configs.first { $0.bool("active") == true }, "\(miner.model.name) has an active pool")
            #expect(active.string("pool_user") == "\(SimFleet.wallet).sim\(miner.index)")
            #expect(active.string("worker") == "sim\(miner.index)")
            #expect(active.string("wallet") == SimFleet.wallet, "\(miner.model.name): \(active)")
            #expect(active.string("linked_by") == "auto", "\(miner.model.name)")
        }

        // A rescan updates every miner and keeps every automatic link (a pool listed in
        // several failover slots, as the S19 Pro's is, must not lose it).
        let rescan = try sandbox.bitlink(
            ["scan", healthy.map(\.address.description).joined(separator: ","), "--json"] + SimFleet.portArguments)
        #expect(rescan.status == 0, "\(rescan)")
        let again = try #require(try JSONLines.objects(rescan.stdout).last)
        #expect(again.int("stored_updated") == healthy.count)
        #expect(again.int("linked") == healthy.count)
        for row in stored {
            let configs = try JSONLines.array(try sandbox.bitlink(["miners", "configs", row.string("name") ?? "?", "--json"]))
            let active = try #require(configs.first { $0.bool("active") == true })
            #expect(active.string("wallet") == SimFleet.wallet, "after a rescan: \(active)")
        }

        // Re-running matching on the stored configurations agrees with the scan.
        let relink = try sandbox.bitlink(["link-wallet", "--auto", "--json"])
        #expect(relink.status == 0, "\(relink)")
        let matches = try JSONLines.array(relink)
        for miner in healthy {
            let name = try #require(stored.first { $0.string("ip_address") == miner.address.description }?.string("name"))
            let linked = matches.filter { $0.string("miner") == name && $0.bool("linked") == true }
            #expect(linked.count == 1, "\(miner.model.name): \(matches.filter { $0.string("miner") == name })")
            #expect(linked.first?.string("wallet") == SimFleet.wallet)
            #expect(linked.first?.string("linked_by") == "auto")
        }
        #expect(try sandbox.bitlink(["link-wallet", "--auto"]).status == 0)
    }

    @Test("a miner that moved to another address is updated, not added twice")
    func movedMiner() throws {
        let sim = try SimFleet(["bitaxe-supra", "m3x", "avalon-1566", "s19-pro"], subnet: "127.90.2.0/24")
        defer { sim.stop() }
        let sandbox = Sandbox()
        let first = try sandbox.bitlink(sim.scanArguments(["--json"]))
        #expect(first.status == 0, "\(first)")
        let before = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(before.count == 4)

        // Three families that report their MAC move; the MAC-less S19 Pro stays.
        var moved: [(SimulatedMiner, IPv4Address)] = []
        for (offset, model) in ["bitaxe-supra", "m3x", "avalon-1566"].enumerated() {
            let miner = try sim.miner(model)
            #expect(miner.expectedMAC != nil, "\(model) reports its MAC")
            let target = IPv4Address(127, 90, 2, UInt8(200 + offset))
            try sim.fleet.move(miner.index, to: target)
            moved.append((miner, target))
        }

        let second = try sandbox.bitlink(sim.scanArguments(["--json"]))
        #expect(second.status == 0, "\(second)")
        let summary = try #require(try JSONLines.records(second.stdout, type: "summary").first)
        #expect(summary.int("found") == 4)
        #expect(summary.int("stored_new") == 0)
        #expect(summary.int("stored_updated") == 4)
        let records = try JSONLines.records(second.stdout, type: "miner")

        let after = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(after.count == 4, "no duplicate: \(after.map { $0.string("ip_address") ?? "?" })")
        for (miner, target) in moved {
            let old = try #require(before.first { $0.string("ip_address") == miner.address.description })
            let new = try #require(after.first { $0.string("mac_address") == miner.mac.description })
            #expect(new.int("id") == old.int("id"), "\(miner.model.name) keeps its id")
            #expect(new.string("name") == old.string("name"), "\(miner.model.name) keeps its name")
            #expect(new.string("ip_address") == target.description)
            #expect(!after.contains { $0.string("ip_address") == miner.address.description })
            let record = try #require(records.first { $0.string("address") == target.description })
            #expect(record.string("stored") == "updated")
            #expect(record.int("id") == old.int("id"))
        }

        // On a terminal the table says where each moved miner came from.
        let (miner, target) = moved[0]
        try sim.fleet.move(miner.index, to: miner.address)
        let table = try sandbox.bitlink(sim.scanArguments(), tty: true, environment: ["COLUMNS": "200"])
        #expect(table.status == 0, "\(table)")
        let row = try #require(table.lines.first { $0.hasPrefix(miner.address.description + " ") })
        #expect(row.contains("moved from \(target)"), "\(table.stdout)")
    }

    @Test("a manual link survives rescans and link-wallet --auto")
    func manualLinkSurvives() throws {
        let sim = try SimFleet(["s19-pro", "nerdqaxe-plus-plus"], subnet: "127.90.3.0/24")
        defer { sim.stop() }
        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", SimFleet.wallet, "--label", "solo"])
        try sandbox.bitlink(["wallets", "add", SimFleet.otherWallet, "--label", "farm"])
        #expect(try sandbox.bitlink(sim.scanArguments()).status == 0)
        let s19 = try sim.miner("s19-pro").address.description
        let axe = try sim.miner("nerdqaxe-plus-plus").address.description

        func activeLink(_ miner: String) throws -> [String: Any] {
            let configs = try JSONLines.array(try sandbox.bitlink(["miners", "configs", miner, "--json"]))
            return try #require(configs.first { $0.bool("active") == true })
        }
        #expect(try activeLink(s19).string("wallet") == SimFleet.wallet)
        #expect(try activeLink(s19).string("linked_by") == "auto")

        let manual = try sandbox.bitlink(["link-wallet", s19, "farm", "--json"])
        #expect(manual.status == 0, "\(manual)")
        let linked = try #require(try manual.json() as? [String: Any])
        #expect(linked.string("wallet") == SimFleet.otherWallet)
        #expect(linked.string("linked_by") == "manual")
        #expect(linked.string("pool_user") == "\(SimFleet.wallet).sim\(try sim.miner("s19-pro").index)")

        for _ in 0..<2 {
            let rescan = try sandbox.bitlink(sim.scanArguments(["--json"]))
            #expect(rescan.status == 0)
            let record = try #require(try JSONLines.records(rescan.stdout, type: "miner").first { $0.string("address") == s19 })
            #expect(record.string("wallet") == SimFleet.otherWallet, "the scan reports the manual link")
            #expect(try activeLink(s19).string("wallet") == SimFleet.otherWallet)
            #expect(try activeLink(s19).string("linked_by") == "manual")
        }

        let auto = try JSONLines.array(try sandbox.bitlink(["link-wallet", "--auto", "--json"]))
        let kept = try #require(auto.first { $0.string("pool_user")?.hasSuffix(".sim\(try sim.miner("s19-pro").index)") == true && $0.bool("linked") == true })
        #expect(kept.string("wallet") == SimFleet.otherWallet)
        #expect(kept.string("linked_by") == "manual")
        #expect(try activeLink(s19).string("wallet") == SimFleet.otherWallet)
        #expect(try activeLink(s19).string("linked_by") == "manual")
        // The other miner keeps its automatic link.
        #expect(try activeLink(axe).string("wallet") == SimFleet.wallet)
        #expect(try activeLink(axe).string("linked_by") == "auto")
    }

    @Test("--no-save stores nothing; piped output is one TSV row per miner")
    func noSaveAndPipedRows() throws {
        let sim = try SimFleet(["s19-pro", "bitaxe-supra", "m3x", "avalon-1566", "nmminer"], subnet: "127.90.4.0/24")
        defer { sim.stop() }
        let sandbox = Sandbox()

        let dry = try sandbox.bitlink(sim.scanArguments(["--no-save", "--json"]))
        #expect(dry.status == 0, "\(dry)")
        let records = try JSONLines.records(dry.stdout, type: "miner")
        #expect(records.count == 5)
        for record in records {
            #expect(record.isNull("id") && record.isNull("name") && record.isNull("stored"))
        }
        #expect(!sandbox.exists("data/bitlink.db"), "--no-save creates no database")

        try sandbox.bitlink(["wallets", "add", SimFleet.wallet])
        #expect(try sandbox.bitlink(sim.scanArguments(["--no-save"])).status == 0)
        #expect(try sandbox.bitlink(["miners", "list"]).stdout.isEmpty, "--no-save stores no miner")

        let piped = try sandbox.bitlink(sim.scanArguments())
        #expect(piped.status == 0, "\(piped)")
        let stored = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(piped.lines.count == 5)
        for miner in sim.miners {
            let row = try #require(piped.lines.first { $0.hasPrefix(miner.address.description + "\t") })
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 6, "\(row)")
            let name = try #require(stored.first { $0.string("ip_address") == miner.address.description }?.string("name"))
            #expect(fields[1] == miner.family.rawValue)
            #expect(fields[2] == (Self.identities[miner.model.name]?.model ?? ""))
            #expect(Double(fields[4]).map { $0 > 0 } == true, "hashrate in H/s: \(row)")
            #expect(fields[5] == name)
        }
        #expect(!piped.stdout.contains("\u{1B}"), "no colour on a pipe")
    }

    @Test("@file and - targets", arguments: ["file", "stdin"])
    func targetLists(_ source: String) throws {
        let subnet = source == "file" ? "127.90.5.0/24" : "127.90.6.0/24"
        let sim = try SimFleet(["s19-pro", "bitaxe-supra", "m3x"], subnet: subnet)
        defer { sim.stop() }
        let sandbox = Sandbox()
        let addresses = sim.miners.map(\.address.description)
        // One address per line, a range, and blank lines.
        let list = "\(addresses[0])\n\n\(addresses[1])-\(addresses[2].split(separator: ".").last!)\n"
        let result: RunResult
        if source == "file" {
            try list.write(toFile: sandbox.directory + "/targets.txt", atomically: true, encoding: .utf8)
            result = try sandbox.bitlink(["scan", "@\(sandbox.directory)/targets.txt", "--json"] + SimFleet.portArguments)
        } else {
            result = try sandbox.bitlink(["scan", "-", "--json"] + SimFleet.portArguments, stdin: list)
        }
        #expect(result.status == 0, "\(result)")
        let summary = try #require(try JSONLines.records(result.stdout, type: "summary").first)
        #expect(summary.int("targets") == 3)
        #expect(summary.int("found") == 3)
        #expect(Set(try JSONLines.records(result.stdout, type: "miner").compactMap { $0.string("address") }) == Set(addresses))
    }

    @Test("refusals: public targets, too many hosts, bad syntax, bad or missing lists", arguments: [
        (["8.8.8.0/24"], 64, "refusing to scan 254 public addresses (first: 8.8.8.1)"),
        (["10.0.0.0/8"], 64, "more than --max-hosts 65536"),
        (["10.0.0.0/24", "--max-hosts", "100"], 64, "refusing to scan 254 addresses, more than --max-hosts 100"),
        (["10.0.0.300"], 64, "10.0.0.300"),
        (["10.0.0.0/33"], 64, "10.0.0.0/33"),
        (["10.0.0.9-3"], 64, "10.0.0.9-3"),
        (["10.0.0.1,,x"], 64, "x"),
        (["@/nonexistent/targets.txt"], 66, "/nonexistent/targets.txt"),
    ] as [([String], Int32, String)])
    func refusals(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let sandbox = Sandbox()
        let result = try sandbox.bitlink(["scan"] + arguments + ["--json", "--timeout", "100ms"])
        #expect(result.status == status, "\(result)")
        #expect(result.stdout.isEmpty, "nothing scanned")
        #expect(result.stderr.hasPrefix("bitlink: "), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!sandbox.exists("data/bitlink.db"), "a refused scan creates no database")
    }

    @Test("a target list with a bad line exits 65 and scans nothing")
    func badLineInList() throws {
        let sandbox = Sandbox()
        let result = try sandbox.bitlink(["scan", "-", "--json"], stdin: "10.0.0.1\nnot-a-target\n")
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "bitlink: stdin line 2: invalid target 'not-a-target': 'not' is not an IPv4 address\n", "\(result.stderr)")
    }

    @Test("public targets are scanned with --allow-public (loopback stays allowed without it)")
    func allowPublicIsOnlyAboutRefusal() throws {
        let sandbox = Sandbox()
        // No network traffic: --max-hosts refuses first, proving --allow-public lifted the public check.
        let result = try sandbox.bitlink(["scan", "8.8.8.0/24", "--allow-public", "--max-hosts", "10"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("more than --max-hosts 10"), "\(result.stderr)")
        #expect(!result.stderr.contains("public address"), "\(result.stderr)")
    }

    @Test("SIGINT: exit 130, an interrupted summary, and the miners found so far are stored")
    func interrupt() throws {
        // A /22 with hung miners and a long timeout: the scan cannot finish before the signal.
        let models = Array(repeating: ["s19-pro", "bitaxe-supra", "avalon-1566", "m3x"], count: 10).flatMap { $0 }
        let sim = try SimFleet(models, subnet: "127.90.8.0/22", layout: .scattered)
        defer { sim.stop() }
        for miner in sim.miners where miner.index % 4 == 0 { try sim.fleet.setFault(miner.index, .hold) }
        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", SimFleet.wallet])

        let run = try StreamingRun(sandbox, sim.scanArguments(["--json", "--timeout", "30s"]))
        let first = run.next(timeout: 30) { $0.contains("\"type\":\"miner\"") }
        #expect(first != nil, "a miner record appears before the hung hosts time out")
        run.signal(SIGINT)
        let result = run.finish(timeout: 20)
        #expect(result.status == 130, "\(result.stderr)")

        let records = try JSONLines.objects(result.stdout)
        let summary = try #require(records.last)
        #expect(summary.string("type") == "summary")
        #expect(summary.string("status") == "interrupted")
        #expect(summary.int("targets") == 1022)
        let found = records.filter { $0.string("type") == "miner" }
        #expect(found.count >= 1)
        #expect(summary.int("found") == found.count)
        #expect(summary.int("stored_new") == found.count)
        // The hung hosts in flight were not scanned: the line says so.
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("interrupted after ") })
        let done = try #require(Int(line.dropFirst("interrupted after ".count).prefix { $0 != " " }))
        #expect(done < 1022, "\(line)")
        #expect(line.contains(" of 1022 hosts in "), "\(line)")
        // The hung hosts were cut by the signal, not reported as the miners' errors.
        #expect(!records.contains { $0.string("type") == "error" })

        let stored = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(Set(stored.compactMap { $0.string("ip_address") }) == Set(found.compactMap { $0.string("address") }))
        #expect(stored.allSatisfy { $0.bool("auto_discovered") == true })
    }
}
