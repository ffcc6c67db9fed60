import Testing

@testable import BitlinkCore

@Suite("AxeOS, NerdQAxe and NMMiner fixtures")
struct HomeMinerFixtureTests {
    static let cases: [DirectoryCase] = [
        // AxeOS v2.4.5 (edited capture: hashRate 0, 4 s uptime). Expected = 490 MHz x 1276 cores x 1 chip.
        DirectoryCase(
            dir: "bitaxe/Supra-BM1368-board401_AxeOS-v2.4.5", family: .axeos, model: "Bitaxe Supra", firmware: "AxeOS v2.4.5-3-gb5d1e36-dirty",
            hashrate: 0, hashrateExpected: 490 * 1276 * 1e6, chipMax: 27, fans: 1, power: 2.65000009536743, uptime: 4,
            poolUser: "asic-rs.test", pools: 2, state: .unknown, mac: "AA:BB:CC:DD:EE:FF"),
        DirectoryCase(dir: "bitaxe/Supra-BM1368_AxeOS-2025-08", family: .axeos, model: "Bitaxe Supra", firmware: nil, identityOnly: true),
        DirectoryCase(
            dir: "nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1", family: .axeos, model: "NerdQAxe++", firmware: "NerdOS v1.1.0-beta1",
            hashrate: 5455.551e9, hashrateExpected: 680 * 2040 * 4 * 1e6, chipMax: 59.875, boardMax: 55.9375, fans: 2, power: 103,
            uptime: 43_173, poolUser: "abc.qaxe6", pools: 2, state: .mining, mac: "AC:A7:04:FB:77:D0"),
        DirectoryCase(
            dir: "nmminer/NMMiner-ESP32_fw2.1.0_doc-example", family: .nmminer, model: "NMMiner", firmware: "NMMiner 2.1.0",
            hashrate: 2.45e9, boardMax: 42.5, uptime: 5025, poolUser: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1.worker", pools: 1,
            state: .mining),
    ]

    @Test(arguments: cases)
    func readsDirectory(_ expected: DirectoryCase) throws {
        try DirectoryReader.check(expected)
    }

    @Test func axeOSPoolsAndSuffixedBestDifficulty() throws {
        let replies = Fixtures.replies("bitaxe/Supra-BM1368-board401_AxeOS-v2.4.5")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        // `stratumURL` is a host: the URL is rebuilt with scheme and port.
        #expect(status.pools == [
            PoolStatus(url: "stratum+tcp://btc.example.pool:3333", user: "asic-rs.test", active: true, priority: 0, accepted: 0, rejected: 0),
            PoolStatus(url: "stratum+tcp://btc2.example.pool:3333", user: "asic-rs.test", active: false, priority: 1),
        ])
        // `bestDiff` "483k" (string with suffix in v2.4.x); `bestSessionDiff` "0".
        expectClose(status.bestDifficulty, 483_000, "best")
        #expect(status.fans == [FanStatus(index: 0, rpm: 3517, percent: 35)])
        #expect(status.tempBoardMax == nil)  // vrTemp 0: no reading
        #expect(status.identity.hostname == "bitaxe")
    }

    @Test func nerdQAxePoolsCarryPerPoolShares() throws {
        let replies = Fixtures.replies("nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.pools.map(\.url) == ["stratum+tcp://172.17.1.6:2018", "stratum+tcp://solo.ckpool.org:3333"])
        #expect(status.pools[0].accepted == 3492)
        #expect(status.pools[0].rejected == 3)
        #expect(status.pools[0].status == .alive)
        #expect(status.pools.map(\.active) == [true, false])
        #expect(status.fans == [FanStatus(index: 0, rpm: 1796, percent: 54), FanStatus(index: 1, rpm: 1557, percent: 40)])
        expectClose(status.bestDifficulty, 14_137_811, "bestSessionDiff")
        expectClose(status.hashrateAverage, 5509.091e9, "1h")
        #expect(status.sharesAccepted == 3492)
    }

    @Test func axeOS215PoolList() throws {
        // AxeOS 2.15 moves pools into `pools[]` with `primaryPoolIndex` (ESP-Miner openapi).
        var replies = Replies()
        replies[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 200, body: Array(#"""
            {"ASICModel":"BM1370","boardVersion":"601","asicCount":1,"hashRate":1180.5,"version":"v2.15.0",
             "pools":[{"id":0,"stratumURL":"public-pool.io","stratumPort":21496,"stratumUser":"bc1qexample.primary"},
                      {"id":2,"stratumURL":"solo.ckpool.org","stratumPort":3333,"stratumUser":"bc1qexample.backup"}],
             "primaryPoolIndex":2,"secondaryPoolIndex":0,"isUsingFallbackStratum":0,"sharesAccepted":10,"sharesRejected":1}
            """#.utf8))))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(identification.model == "Bitaxe Gamma")
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.pools.map(\.active) == [false, true])
        #expect(status.activePool?.user == "bc1qexample.backup")
        #expect(status.activePool?.url == "stratum+tcp://solo.ckpool.org:3333")
        #expect(status.activePool?.accepted == 10)
    }

    @Test(arguments: [
        ("BM1397", 1, "", "Bitaxe Max"), ("BM1366", 1, "204", "Bitaxe Ultra"), ("BM1366", 6, "302", "Bitaxe Hex"),
        ("BM1368", 1, "401", "Bitaxe Supra"), ("BM1370", 1, "601", "Bitaxe Gamma"), ("BM1370", 2, "800", "Bitaxe GT"),
    ])
    func namesBitaxeModels(chip: String, count: Int, board: String, model: String) throws {
        var info = JSONObject()
        info["ASICModel"] = .string(chip)
        info["asicCount"] = .int(Int64(count))
        info["boardVersion"] = .string(board)
        #expect(AxeOSAdapter.model(info: info, asic: nil)?.model == model)
    }

    @Test func unknownChipIsPartial() throws {
        var replies = Replies()
        replies[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 200, body: Array(#"{"ASICModel":"BM1999","hashRate":10,"stratumURL":"p"}"#.utf8))))
        let identification = try #require(AdapterRegistry.standard.identify(replies)?.identification)
        #expect(identification.family == .axeos)
        #expect(identification.support == .partial)
        #expect(identification.model == "AxeOS BM1999")
    }

    @Test func axeOSRefusesPublicAddresses() {
        var replies = Replies()
        replies[Probes.httpSystemInfo] = .success(.http(HTTPResponse(status: 401, reason: "Unauthorized", body: Array("Unauthorized".utf8))))
        #expect(throws: ReadError.notPermitted("HTTP 401 from /api/system/info")) {
            try AxeOSAdapter().parse(replies, identification: Identification(family: .axeos))
        }
    }

    @Test func nmminerProbeAlone() throws {
        var replies = Replies()
        replies[NMMinerAdapter.probe] = .success(.http(HTTPResponse(status: 200, body: Fixtures.bytes("nmminer/NMMiner-ESP32_fw2.1.0_doc-example/probe.json"))))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(adapter.family == .nmminer)
        let status = try adapter.parse(replies, identification: identification)
        expectClose(status.hashrate, 2_450_000_000, "hr")
        expectClose(status.bestDifficulty, 45_200_000_000, "sbd")
        #expect(status.identity.hostname == "NMMiner-ABCD")
        // `/alive` is a LAN scan list, not a status.
        #expect(try JSONParser.parse(Fixtures.bytes("nmminer/NMMiner-ESP32_fw2.1.0_doc-example/alive.json"))["ips"]?.arrayValue?.count == 3)
    }

    @Test func suffixedNumbers() {
        #expect(Units.suffixed("483k") == 483_000)
        #expect(Units.suffixed("45.20K") == 45_200)
        #expect(Units.suffixed("1.23M") == 1_230_000)
        #expect(Units.suffixed("92.67T") == 92.67e12)
        #expect(Units.suffixed(.int(14_137_811)) == 14_137_811)
        #expect(Units.suffixed("abc") == nil)
    }
}
