import BitlinkCore
import BitlinkSim
import Foundation
import Testing

/// `bitlink info` end to end: the built binary against an in-process simulator fleet on
/// loopback (127.88.110.0 and up, ports 25028/21080/25433), as a table, as JSON and
/// piped; its exit codes on failures; and what it records for a stored miner.
@Suite("bitlink info end to end")
struct InfoEndToEndTests {
    /// The simulator's ports moved up by 21000: no root needed.
    static let simPorts: PortPlan = {
        do { return try PortPlan.offset(21_000) } catch { preconditionFailure("\(error)") }
    }()

    static var portArguments: [String] {
        ["--port", String(simPorts.api), "--http-port", String(simPorts.http), "--v3-port", String(simPorts.whatsminerV3)]
    }

    /// `Tests/Fixtures`, from this file's path.
    static var fixturesRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fixtures"
    }

    static func fleet(_ model: String, octet: Int, fault: Fault? = nil) throws -> Fleet {
        try Fleet.start(FleetConfig(
            count: 1, mix: FleetMix([FleetMix.Entry(model, 1)]), subnet: try LoopbackSubnet(parsing: "127.88.\(octet).0/24"),
            seed: 34, ports: simPorts, minerFaults: fault.map { [0: [$0]] } ?? [:], clock: .manual,
            fixturesRoot: fixturesRoot, keepRequestLog: false))
    }

    // MARK: The info contract (man/bitlink-info.1, JSON OUTPUT)

    static let topLevelKeys: Set<String> = [
        "miner", "miner_id", "address", "miner_type", "model", "firmware", "hostname", "mac_address", "serial", "support",
        "state", "hashrate_hs", "hashrate_avg_hs", "hashrate_expected_hs", "temp_chip_max_c", "temp_board_max_c",
        "temp_inlet_c", "temp_outlet_c", "power_w", "efficiency_jth", "uptime_s", "best_difficulty", "shares_accepted",
        "shares_rejected", "boards", "fans", "pools", "errors", "read_at",
    ]
    static let boardKeys: Set<String> = [
        "index", "hashrate_hs", "hashrate_expected_hs", "temp_board_c", "temp_chip_c", "chips", "chips_expected", "serial",
    ]
    static let fanKeys: Set<String> = ["index", "rpm", "percent"]
    static let poolKeys: Set<String> = [
        "url", "user", "worker", "status", "active", "priority", "accepted", "rejected", "stale", "difficulty_accepted",
        "last_share_at",
    ]
    /// Keys that hold arrays, left out of the piped `key<TAB>value` lines.
    static let arrayKeys: Set<String> = ["boards", "fans", "pools", "errors"]

    /// Every `.It Li key` of the man page's JSON OUTPUT section.
    static func manPageKeys() throws -> Set<String> {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let page = try String(contentsOfFile: parts.joined(separator: "/") + "/man/bitlink-info.1", encoding: .utf8)
        var keys: Set<String> = []
        var inSection = false
        for line in page.split(separator: "\n") {
            if line.hasPrefix(".Sh ") { inSection = line == ".Sh JSON OUTPUT" }
            if inSection, line.hasPrefix(".It Li ") { keys.insert(String(line.dropFirst(".It Li ".count))) }
        }
        return keys
    }

    @Test func theContractIsTheManPage() throws {
        let documented = try Self.manPageKeys()
        #expect(Self.topLevelKeys.union(Self.boardKeys).union(Self.fanKeys).union(Self.poolKeys) == documented)
    }

    // MARK: Each family

    struct Case: Sendable, CustomTestStringConvertible {
        var sim: String
        var octet: Int
        var family: MinerFamily
        var title: String
        var model: String?
        var firmware: String?
        /// H/s, read by hand from the fixture (the simulator moves it by at most 2 %).
        var hashrate: Double
        var poolUser: String
        var state: String = "mining"
        var support: String = "full"

        var testDescription: String { sim }
    }

    static let cases: [Case] = [
        Case(sim: "s19-pro", octet: 110, family: .antminer, title: "Antminer S19 Pro", model: "S19 Pro", firmware: "Bitmain 2022-12-06",
             hashrate: 110_566.89e9, poolUser: "satokierepair.H04YK"),
        Case(sim: "s9-vnish", octet: 111, family: .antminer, title: "Antminer S9", model: "S9", firmware: "VNish 3.8.6",
             hashrate: 12_795.48e9, poolUser: "antminer_1"),
        Case(sim: "m3x", octet: 112, family: .whatsminer, title: "Whatsminer (partly supported model)", model: nil,
             firmware: "20210322.22.REL", hashrate: 67_439_352.49e6, poolUser: "asic-rs.test", support: "partial"),
        // No capture of get.miner.status: the simulator's is 98.5 % of `detect-hash-rate` 61434+53890+65727 GH/s.
        Case(sim: "m60s", octet: 113, family: .whatsminer, title: "Whatsminer M60S VK40", model: "M60S VK40",
             firmware: "20251209.16.Rel2", hashrate: 0.985 * 181.051e12, poolUser: "bitlinksim.m60s"),
        Case(sim: "avalon-1566", octet: 114, family: .avalon, title: "Avalon Avalon 15-194", model: "Avalon 15-194",
             firmware: "24102401_25462b2_9ddf522", hashrate: 199_241.07e9, poolUser: "pool_username.real_worker"),
        Case(sim: "avalon-q", octet: 115, family: .avalon, title: "Avalon Avalon Q", model: "Avalon Q", firmware: "25052801_14a19a2",
             hashrate: 0, poolUser: "worker1", state: "sleeping"),
        Case(sim: "s9-bosminer", octet: 116, family: .braiins, title: "Braiins OS (partly supported model)", model: nil,
             firmware: "BOSminer 0.2.0-d360818", hashrate: 14_194_945.84e6, poolUser: "antminer_1", support: "partial"),
        // The capture's `hashRate` is 0; the simulator serves 490 MHz x 1276 cores.
        Case(sim: "bitaxe-supra", octet: 117, family: .axeos, title: "AxeOS Bitaxe Supra", model: "Bitaxe Supra",
             firmware: "AxeOS v2.4.5-3-gb5d1e36-dirty", hashrate: 490 * 1276 * 1e6, poolUser: "asic-rs.test"),
        Case(sim: "nerdqaxe-plus-plus", octet: 118, family: .axeos, title: "AxeOS NerdQAxe++", model: "NerdQAxe++",
             firmware: "NerdOS v1.1.0-beta1", hashrate: 5455.551e9, poolUser: "abc.qaxe6"),
        Case(sim: "nmminer", octet: 119, family: .nmminer, title: "NMMiner NMMiner", model: "NMMiner", firmware: "NMMiner 2.1.0",
             hashrate: 2.45e9, poolUser: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1.worker"),
        Case(sim: "sealminer", octet: 120, family: .cgminer, title: "CGMiner Sealminer A2 (partly supported model)",
             model: "Sealminer A2", firmware: "bdminer 4.11.1", hashrate: 197_599_714.10e6, poolUser: "Dow_Mining.SealMinerA2",
             support: "partial"),
    ]

    @Test(arguments: cases)
    func readsEachFamily(_ expected: Case) throws {
        let fleet = try Self.fleet(expected.sim, octet: expected.octet)
        defer { fleet.stop() }
        let address = try fleet.miner(0).address.description
        let sandbox = Sandbox()
        let arguments = ["info", address] + Self.portArguments

        // JSON: one object, every key of the contract, identity and key numbers right.
        let json = try sandbox.bitlink(arguments + ["--json"])
        #expect(json.status == 0, "\(json)")
        #expect(json.stderr.isEmpty, "\(json.stderr)")
        #expect(json.lines.count == 1, "one JSON document")
        let object = try #require(try json.json() as? [String: Any], "\(json.stdout)")
        #expect(Set(object.keys) == Self.topLevelKeys)
        #expect(object["miner_type"] as? String == expected.family.rawValue)
        #expect(object["model"] as? String == expected.model)
        #expect(object["firmware"] as? String == expected.firmware)
        #expect(object["address"] as? String == address)
        #expect(object["support"] as? String == expected.support)
        #expect(object["state"] as? String == expected.state)
        #expect(object["miner"] is NSNull && object["miner_id"] is NSNull, "not a stored miner")
        let hashrate = try #require((object["hashrate_hs"] as? NSNumber)?.doubleValue, "hashrate_hs present")
        #expect(abs(hashrate - expected.hashrate) <= expected.hashrate * 0.05 + 1, "hashrate \(hashrate) vs \(expected.hashrate)")
        #expect((object["read_at"] as? String)?.hasSuffix("Z") == true)
        #expect(object["uptime_s"] is NSNumber, "uptime present")
        let pools = try #require(object["pools"] as? [[String: Any]])
        #expect(pools.first?["user"] as? String == expected.poolUser)
        for pool in pools { #expect(Set(pool.keys) == Self.poolKeys) }
        for board in try #require(object["boards"] as? [[String: Any]]) { #expect(Set(board.keys) == Self.boardKeys) }
        for fan in try #require(object["fans"] as? [[String: Any]]) { #expect(Set(fan.keys) == Self.fanKeys) }
        #expect(object["errors"] is [Any])

        // A terminal: the report with the identity in its title and the pools table.
        let table = try sandbox.bitlink(arguments, tty: true)
        #expect(table.status == 0, "\(table)")
        #expect(table.stderr.isEmpty)
        #expect(table.lines.first == "\(address): \(expected.title)")
        let hashrateLine = try #require(table.lines.first { $0.hasPrefix("  hashrate:") })
        #expect(!hashrateLine.contains("hashrate: -"), "a hashrate is shown: \(hashrateLine)")
        #expect(table.lines.contains { $0.hasPrefix("  firmware:") && $0.hasSuffix(expected.firmware ?? "-") })
        #expect(table.lines.contains { $0.hasPrefix("POOL") && $0.contains("USER") })
        #expect(table.stdout.contains(String(expected.poolUser.prefix(20))))
        #expect(!table.stdout.contains(" \n"), "no trailing spaces")

        // Piped: `key<TAB>value` lines, one per scalar field of the contract, in key order.
        let piped = try sandbox.bitlink(arguments)
        #expect(piped.status == 0, "\(piped)")
        #expect(piped.stderr.isEmpty)
        let pairs = piped.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            $0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        }
        #expect(pairs.allSatisfy { $0.count == 2 }, "every line is key<TAB>value:\n\(piped.stdout)")
        let keys = pairs.map { $0[0] }
        #expect(keys == Self.topLevelKeys.subtracting(Self.arrayKeys).sorted())
        let values = Dictionary(pairs.map { ($0[0], $0.count > 1 ? $0[1] : "") }, uniquingKeysWith: { first, _ in first })
        #expect(values["miner_type"] == expected.family.rawValue)
        #expect(values["model"] == (expected.model ?? ""))
        #expect(values["address"] == address)
        #expect(Double(values["hashrate_hs"] ?? "").map { abs($0 - expected.hashrate) <= expected.hashrate * 0.05 + 1 } == true)

        // `info` on an address reads; it never creates a database.
        #expect(!FileManager.default.fileExists(atPath: sandbox.database))
    }

    // MARK: Failures

    @Test func nothingListeningIsUnreachable() throws {
        // Nothing in these tests binds 127.88.141.0/24: the connects are refused.
        let result = try Sandbox().bitlink(["info", "127.88.141.1"] + Self.portArguments)
        #expect(result.status == 69, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bitlink: 127.88.141.1: connection refused\n"), "\(result.stderr)")
    }

    @Test func aDeadMinerTimesOut() throws {
        let fleet = try Self.fleet("s19-pro", octet: 142, fault: .dead)
        defer { fleet.stop() }
        let address = try fleet.miner(0).address.description
        let started = Date()
        let result = try Sandbox().bitlink(["info", address, "--timeout", "1s"] + Self.portArguments, timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 75, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bitlink: \(address): timed out\n"), "\(result.stderr)")
        // --timeout bounds each stage; the host gets three (plus process start-up).
        #expect(elapsed < 3 + 10, "took \(elapsed) s")
    }

    @Test func aGarbageReplyIsABadProtocolReply() throws {
        let fleet = try Self.fleet("avalon-1566", octet: 143, fault: .garbage)
        defer { fleet.stop() }
        let address = try fleet.miner(0).address.description
        let result = try Sandbox().bitlink(["info", address, "--timeout", "2s"] + Self.portArguments)
        #expect(result.status == 76, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("bitlink: \(address): "), "\(result.stderr)")
    }

    @Test func aCutReplyIsABadProtocolReply() throws {
        let fleet = try Self.fleet("avalon-1566", octet: 144, fault: .truncated)
        defer { fleet.stop() }
        let address = try fleet.miner(0).address.description
        let result = try Sandbox().bitlink(["info", address, "--timeout", "2s"] + Self.portArguments)
        #expect(result.status == 76, "\(result)")
        #expect(result.stderr.hasPrefix("bitlink: \(address): unreadable reply: "), "\(result.stderr)")
    }

    // MARK: A stored miner

    @Test func aStoredMinerIsUpdatedAndItsPoolsRecorded() throws {
        let fleet = try Self.fleet("s9-vnish", octet: 145)
        defer { fleet.stop() }
        let address = try fleet.miner(0).address.description
        let sandbox = Sandbox()
        let added = try sandbox.bitlink(["miners", "add", address, "--name", "rig1"] + Self.portArguments)
        #expect(added.status == 0, "\(added)")
        let before = try #require(try sandbox.bitlink(["miners", "show", "rig1", "--json"]).json() as? [String: Any])
        #expect(before["last_seen"] is NSNull)
        #expect(before["miner_type"] as? String == "unknown")
        #expect(try sandbox.bitlink(["miners", "configs", "rig1", "--json"]).stdout == "[]\n")

        // By name: the stored ports are used, no port options needed.
        let info = try sandbox.bitlink(["info", "rig1", "--json"])
        #expect(info.status == 0, "\(info)")
        let object = try #require(try info.json() as? [String: Any])
        #expect(object["miner"] as? String == "rig1")
        #expect((object["miner_id"] as? NSNumber)?.intValue == 1)
        #expect(object["model"] as? String == "S9")

        let after = try #require(try sandbox.bitlink(["miners", "show", "rig1", "--json"]).json() as? [String: Any])
        #expect(after["last_seen"] is String, "last_seen updated")
        #expect(after["miner_type"] as? String == "antminer")
        #expect(after["model"] as? String == "S9")
        #expect(after["firmware"] as? String == "VNish 3.8.6")
        #expect(after["status"] as? String == "active")

        // The four pools of the capture (`pools.json`), in order, the first one active.
        let configs = try sandbox.bitlink(["miners", "configs", "rig1", "--json"])
        #expect(configs.status == 0, "\(configs)")
        let rows = try #require(try configs.json() as? [[String: Any]])
        #expect(rows.map { $0["pool_url"] as? String } == [
            "stratum+tcp://solo.antpool.com:3333", "stratum+tcp://stratum.antpool.com:3333", "stratum+tcp://cn.ss.btc.com:3333", "DevFee",
        ])
        #expect(rows.map { $0["pool_user"] as? String } == ["antminer_1", "antminer_1", "antminer.1", "DevFee"])
        #expect(rows.map { $0["active"] as? Bool } == [true, false, false, false])
        #expect(rows.allSatisfy { $0["miner"] as? String == "rig1" })

        // A second read keeps one row per pool.
        #expect(try sandbox.bitlink(["info", "rig1"]).status == 0)
        #expect((try sandbox.bitlink(["miners", "configs", "rig1", "--json"]).json() as? [[String: Any]])?.count == 4)
    }

    // MARK: The demo

    @Test func theDemoRunsEveryStep() throws {
        // Its own port offset, so it runs beside another demo or simulator on this machine.
        var environment = Sandbox().environment
        environment["BITLINK_BIN"] = Sandbox.bitlinkPath
        environment["BITLINK_SIM_FIXTURES"] = Self.fixturesRoot
        let result = try Sandbox.run(Sandbox.simPath, ["demo", "--port-offset", "23734"], environment: environment, timeout: 120)
        #expect(result.status == 0, "\(result)")
        let commandLines = result.lines.filter { $0.hasPrefix("$ bitlink ") }
        let steps = ["wallets add", "scan", "miners list", "info", "link-wallet", "shares log", "shares stats", "watch"]
        #expect(commandLines.count == steps.count, "\(commandLines)")
        for (line, step) in zip(commandLines, steps) {
            #expect(line.hasPrefix("$ bitlink \(step)"), "\(line)")
        }
        #expect(!result.stdout.contains("(not available in this build yet)"))
        #expect(result.lines.last == "demo finished: every available step succeeded")
    }
}
