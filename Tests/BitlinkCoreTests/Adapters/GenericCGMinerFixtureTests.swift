import Testing

@testable import BitlinkCore

@Suite("Generic CGMiner fixtures")
struct GenericCGMinerFixtureTests {
    static let cases: [DirectoryCase] = [
        // Captures span several builds; `version` says GCMiner 0.5. Board temps: devs 30.12 vs
        // `temperature` BoardTemp up to 47.5; chips up to 51.41 (another build's capture).
        DirectoryCase(
            dir: "auradine/AT1500_FluxOS-2023", family: .cgminer, model: "AT1500", firmware: "GCMiner 0.5-devsbXXX", support: .partial,
            hashrate: 10_256_844.54901739e6, chipMax: 51.41230102539066, boardMax: 47.5, fans: 4, boards: 3, uptime: 56_696,
            poolUser: "username.suffix", pools: 3, state: .mining, mac: "1C:00:00:0E:3B:2B"),
        DirectoryCase(dir: "cheetah/Cheetah-F9_cgminer-4.10.0", family: .cgminer, model: nil, firmware: "cgminer 4.10.0", support: .partial, identityOnly: true),
        // Old sgminer: numbered sections, no summary: the chains add up (3 x 16500 MH/s).
        DirectoryCase(
            dir: "innosilicon/A9-ZMaster_sgminer-4.4.2_foreman", family: .cgminer, model: nil, firmware: "sgminer 4.4.2", support: .partial,
            hashrate: 3 * 16_500e6, chipMax: 48, fans: 1, boards: 3, pools: 2),
        DirectoryCase(
            dir: "innosilicon/A9_innominer-a9-1.1.0_foreman", family: .cgminer, model: "Innosilicon A9", firmware: "innominer a9-1.1.0",
            support: .partial, hashrate: 51_451.63e6, chipMax: 72, fans: 1, boards: 3, uptime: 48_768, poolUser: "xxx", pools: 3),
        DirectoryCase(
            dir: "sealminer/Sealminer_bdminer-4.11.1", family: .cgminer, model: "Sealminer A2", firmware: "bdminer 4.11.1", support: .partial,
            hashrate: 197_599_714.10e6, hashrateExpected: 221_663_472e6, chipMax: 70, boardMax: 70, fans: 4, boards: 3, power: 3504,
            uptime: 2481, poolUser: "Dow_Mining.SealMinerA2", pools: 1, state: .mining),
    ]

    @Test(arguments: cases)
    func readsDirectory(_ expected: DirectoryCase) throws {
        try DirectoryReader.check(expected)
    }

    @Test(arguments: [("innosilicon/T1_foreman", "Innosilicon T1", "t1_20180409_152051", "00:0A:35:00:00:00"), ("innosilicon/T2_foreman", "Innosilicon T2", "t2_20180523_071756", "A0:B0:45:21:5B:F0")])
    func readsTheInnosiliconWebOverview(dir: String, model: String, firmware: String, mac: String) throws {
        let identity = try #require(InnosiliconWeb.overview(JSONParser.parse(Fixtures.bytes("\(dir)/http_api_overview.json"))))
        #expect(identity.model == model)
        #expect(identity.firmware == firmware)
        // T2's `ethaddr` is "a0: b0:45:21:5b: f0" (spaces inside).
        #expect(identity.mac == mac)
    }

    @Test func sealminerBoards() throws {
        let replies = Fixtures.replies("sealminer/Sealminer_bdminer-4.11.1")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        // "0 MHS(Sample)": 73905832.003432, "0 Temp 0..3": 55 52 70 69, "0 Chip Count": 153.
        #expect(status.boards[0] == BoardStatus(
            index: 0, hashrate: 73_905_832.003432e6, hashrateExpected: 74_342_544e6, tempBoard: 70, chips: 153, serial: "S124600252004637"))
        #expect(status.fans.map(\.rpm) == [3723, 3723, 3753, 3723])
        // stats: "MAC":"50:d4:48:4b:86:78", so a moved SealMiner is recognised by scan.
        #expect(status.identity.mac == "50:D4:48:4B:86:78")
    }

    @Test func namesSoftware() {
        #expect(GenericCGMinerAdapter.softwareName(description: "GCMiner-2023-05.24-0ce5e7cc93a3815240fa189d0beb44b8c834936c", version: nil) == "GCMiner 2023-05.24")
        #expect(GenericCGMinerAdapter.softwareName(description: "FluxOS-2023-12.27-9bf070ee4408866329c93a70f2dfdc6248938aaa", version: nil) == "FluxOS 2023-12.27")
        #expect(GenericCGMinerAdapter.softwareName(description: "bdminer 4.11.1", version: nil) == "bdminer 4.11.1")
        let lux: JSONObject = JSONObject(["LUXminer": "2025.4.8.173527-6e8a44a", "API": "3.7", "Type": "Antminer S19k Pro"])
        #expect(GenericCGMinerAdapter.softwareName(description: nil, version: lux) == "LUXminer 2025.4.8.173527-6e8a44a")
    }

    @Test func luxOSIsGenericNotAntminer() throws {
        // LuxOS reports an Antminer Type; it is read by the generic adapter with its name.
        var replies = Replies()
        replies.add(Probes.cgminerVersion, #"{"version":[{"STATUS":[{"STATUS":"S","Code":22,"Description":"LUXminer 2025.4.8.173527-6e8a44a"}],"VERSION":[{"API":"3.7","LUXminer":"2025.4.8.173527-6e8a44a","Type":"Antminer S19k Pro"}]}],"devdetails":[{"STATUS":[{"STATUS":"S","Code":69}],"DEVDETAILS":[]}],"id":1}"#)
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(adapter.family == .cgminer)
        #expect(identification.firmware == "LUXminer 2025.4.8.173527-6e8a44a")
        #expect(identification.model == "Antminer S19k Pro")
        // LuxOS summary is GH/s.
        replies.add(.cgminer("summary+pools+devs+stats"), #"{"summary":[{"STATUS":[{"STATUS":"S","Code":11}],"SUMMARY":[{"GHS 5s":104000.5,"GHS av":103000,"Elapsed":100}]}],"id":1}"#)
        let status = try adapter.parse(replies, identification: identification)
        expectClose(status.hashrate, 104_000.5e9, "GHS 5s")
    }

    @Test func everyGenericDirectoryIsCovered() {
        let dirs = ["auradine", "cheetah", "innosilicon", "sealminer"].flatMap(Fixtures.directories(of:))
        let covered = Set(Self.cases.map(\.dir)).union(["innosilicon/T1_foreman", "innosilicon/T2_foreman"])
        #expect(Set(dirs) == covered)
    }
}
