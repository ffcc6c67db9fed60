import Testing

@testable import BitlinkCore

@Suite("Avalon fixtures")
struct AvalonFixtureTests {
    static let cases: [DirectoryCase] = [
        // No GHSspd in the A1047 MM string: the current rate is summary `MHS 1m`.
        DirectoryCase(
            dir: "avalon/A1047_foreman", family: .avalon, model: "Avalon 1047", firmware: "20051101_85dc6f0_0332654",
            hashrate: 28_134_393.97e6, hashrateExpected: 37_470.98e9, chipMax: 64, inlet: 18, fans: 2, boards: 2,
            uptime: 157, poolUser: "xxx", pools: 3, state: .mining),
        // A7: five MM modules per stats item, two items; per-module `Fan` and `TMax`.
        DirectoryCase(
            dir: "avalon/A7xx_foreman", family: .avalon, model: "Avalon 741", firmware: "3162860",
            hashrateExpected: 68_243.51e9, chipMax: 92, fans: 10, boards: 10, poolUser: "Yop yop", pools: 2),
        // Captured soft-off: GHSspd 0, SoftOFF[4], "Work: In Idle".
        DirectoryCase(
            dir: "avalon/Avalon-Q_fw25052801", family: .avalon, model: "Avalon Q", firmware: "25052801_14a19a2",
            hashrate: 0, hashrateExpected: 55_032.79e9, boardMax: 27, inlet: 26, fans: 4, boards: 1, uptime: 37_850,
            poolUser: "worker1", pools: 1, state: .sleeping, mac: "AA:BB:CC:DD:EE:FF"),
        DirectoryCase(
            dir: "avalon/AvalonMiner-1246-81_fw21030201", family: .avalon, model: "Avalon 1246", firmware: "21030201_4ec6bb0_09b1765",
            identityOnly: true),
        // devs Temperature -273.0 is ignored; WALLPOWER[3731].
        DirectoryCase(
            dir: "avalon/AvalonMiner-1566-194_fw24102401", family: .avalon, model: "Avalon 15-194", firmware: "24102401_25462b2_9ddf522",
            hashrate: 199_241.07e9, hashrateExpected: 201_920.42e9, chipMax: 78, inlet: 31, fans: 2, boards: 3, power: 3731,
            uptime: 975, poolUser: "pool_username.real_worker", pools: 3, state: .mining, mac: "12:34:56:78:90:12"),
        // Text form; `stats` is cut (salvaged): GHSspd comes after the cut.
        DirectoryCase(
            dir: "avalon/Mini3_fw25011701", family: .avalon, model: "Avalon Mini 3", firmware: "25011701_3f53b19",
            chipMax: 86, boardMax: 75, inlet: 39, fans: 1, uptime: 32_273, mac: "E0:E1:A9:3E:2C:7D"),
    ]

    @Test(arguments: cases)
    func readsDirectory(_ expected: DirectoryCase) throws {
        try DirectoryReader.check(expected)
    }

    @Test func readsTheEmailWrappedNano3() throws {
        // Line breaks were inserted by a mail client; joining lines with a space restores it.
        let unwrap: ([UInt8]) -> [UInt8] = { $0.map { $0 == 0x0A ? 0x20 : $0 } }
        try DirectoryReader.check(
            DirectoryCase(
                dir: "avalon/Nano3_fw24071801", family: .avalon, model: "Avalon Nano 3", firmware: "24071801_42c628d",
                hashrate: 2630.98e9, hashrateExpected: 3203.56e9, chipMax: 87, inlet: 38, fans: 1, boards: 1, uptime: 512_943,
                state: .mining),
            transform: unwrap)
    }

    @Test func everyAvalonDirectoryIsCovered() {
        let covered = Set(Self.cases.map(\.dir)).union(["avalon/Nano3_fw24071801", "avalon/A1047_web-cgi_foreman"])
        #expect(Set(Fixtures.directories(of: "avalon")) == covered)
    }

    @Test func readsTheWebCGIs() throws {
        let status = try AvalonWeb.parse(
            minerInfo: Fixtures.bytes("avalon/A1047_web-cgi_foreman/http_get_minerinfo.cgi.txt"),
            dashboard: Fixtures.bytes("avalon/A1047_web-cgi_foreman/http_updatedashboard.cgi.txt"))
        #expect(status.identity.model == "Avalon 1047")
        #expect(status.identity.mac == "B4:A2:EB:31:2F:7C")
        #expect(status.identity.firmware == "20090401_fb963dc_1236943")
        expectClose(status.hashrate, 35.43e12, "hash_5m")
        expectClose(status.hashrateAverage, 35.39e12, "av")
        expectClose(status.tempInlet, 13, "temperature")
        #expect(status.fans == [FanStatus(index: 0, percent: 25)])
        expectClose(status.uptime, 30 * 3600 + 8 * 60 + 57, "elapsed")
        #expect(status.pools == [PoolStatus(
            url: "stratum+tcp://sha256asicboost.eu.nicehash.com:3368", user: "xxx", active: true, accepted: 6203, rejected: 74)])
        #expect(status.state == .mining)
    }

    @Test func boardsFromMGHSAndMTmax() throws {
        let replies = Fixtures.replies("avalon/AvalonMiner-1566-194_fw24102401")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        // MGHS[59459.52 61407.83 63139.66] MTmax[77 78 77]
        #expect(status.boards == [
            BoardStatus(index: 0, hashrate: 59_459.52e9, tempChip: 77),
            BoardStatus(index: 1, hashrate: 61_407.83e9, tempChip: 78),
            BoardStatus(index: 2, hashrate: 63_139.66e9, tempChip: 77),
        ])
        #expect(status.fans == [FanStatus(index: 0, rpm: 4275, percent: 49), FanStatus(index: 1, rpm: 4282, percent: 49)])
        #expect(status.identity.serial == "020100008c699117")
    }

    @Test func minus273IsNoReading() throws {
        // Only `devs` (Temperature -273.0) and no stats: no chip temperature at all.
        var replies = Replies()
        replies[.cgminer("devs")] = .success(.bytes(Fixtures.bytes("avalon/AvalonMiner-1566-194_fw24102401/devs.json")))
        let status = try AvalonAdapter().parse(replies, identification: Identification(family: .avalon))
        #expect(status.tempChipMax == nil)
        expectClose(status.hashrate, 197_266_944.16e6, "MHS 1m")
    }

    @Test(arguments: [
        ("1246-81", "AvalonMiner 1246-81", "Avalon 1246", true), ("15-194", "AvalonMiner 15-194", "Avalon 15-194", true),
        ("Q", "Avalon Q", "Avalon Q", true), ("Mini3", "Avalon Mini3", "Avalon Mini 3", true),
        ("Nano3s", "Avalon Nano3s", "Avalon Nano 3S", true), ("1999-10", "AvalonMiner 1999-10", "Avalon 1999", false),
    ])
    func namesModels(model: String, prod: String, name: String, known: Bool) throws {
        let result = try #require(AvalonAdapter.model(model: model, prod: prod, moduleVersion: nil, statsID: nil))
        #expect(result.model == name)
        #expect(result.known == known)
    }

    @Test func aTextFormReadThroughAMultiCommandPlan() throws {
        // The plan is one JSON multi-command; a text-form capture of each command reads the same.
        let replies = Fixtures.replies("avalon/Mini3_fw25011701")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(adapter.readPlan(for: identification) == [.cgminer("summary+pools+stats")])
    }
}
