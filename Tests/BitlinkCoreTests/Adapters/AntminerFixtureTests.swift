import Foundation
import Testing

@testable import BitlinkCore

@Suite("Antminer fixtures")
struct AntminerFixtureTests {
    static let cases: [DirectoryCase] = [
        DirectoryCase(dir: "antminer/B3_foreman", family: .antminer, model: "B3", firmware: "Bitmain 2018-04-11", support: .partial, identityOnly: true),
        // D3 (X11): the `GHS` fields are MH/s on these models (Foreman's per-type multiplier).
        DirectoryCase(
            dir: "antminer/D3-Blissz_foreman", family: .antminer, model: "D3", firmware: "Blissz v2.06 beta", support: .partial,
            hashrate: 16_346.64e6, chipMax: 69, boardMax: 48, fans: 2, boards: 3, uptime: 54_422, poolUser: "Dash.default", pools: 4),
        DirectoryCase(dir: "antminer/D3-template_mac-test_foreman", family: .antminer, model: "D3", firmware: "Bitmain 2017-08-25", support: .partial, identityOnly: true),
        DirectoryCase(
            dir: "antminer/E3_foreman", family: .antminer, model: "E3", firmware: "Bitmain 2017-08-25", support: .partial,
            hashrate: 197.30e6, chipMax: 68, boardMax: 50, fans: 2, boards: 9, poolUser: "#0x65CdB0EE9Ba1D9eFe2566965F8B089c2B9ffCE63.00B4C08382A1"),
        DirectoryCase(
            dir: "antminer/L3+_foreman", family: .antminer, model: "L3+", firmware: "Bitmain 2017-08-25", support: .partial,
            hashrate: 504.56e6, chipMax: 56, boardMax: 46, fans: 2, boards: 4, poolUser: "obmllc.l3_1", mac: "C4:F3:12:B3:9F:FC"),
        DirectoryCase(
            dir: "antminer/S17+_foreman", family: .antminer, model: "S17+", firmware: "Bitmain 2019-12-16",
            poolUser: "xxx", pools: 3),
        DirectoryCase(
            dir: "antminer/S17+_sleeping_foreman", family: .antminer, model: "S17+", firmware: "Bitmain 2020-06-02",
            hashrate: 0, fans: 0, boards: 0, uptime: 279, state: .sleeping),
        // VNish 2.0.3: `version` has no Type; `stats` says `Antminer S17+ (vnish 2.0.3)`.
        DirectoryCase(
            dir: "antminer/S17+_vnish-2.0.3_asicdip_foreman", family: .antminer, model: "S17+", firmware: "VNish 2.0.3",
            hashrate: 77_458.73e9, hashrateExpected: 79_968e9, chipMax: 81, boardMax: 66, fans: 4, boards: 3, power: 2991,
            poolUser: "xxx.S17", pools: 3, state: .mining),
        DirectoryCase(dir: "antminer/S17_foreman", family: .antminer, model: "S17", firmware: "Bitmain 2017-08-25", identityOnly: true),
        DirectoryCase(
            dir: "antminer/S19-88_MSKminer-2.6.0.39", family: .antminer, model: "S19 (88)", firmware: "MSKminer 2.6.0.39",
            hashrate: 99_989.59e9, hashrateExpected: 99_674.88e9, chipMax: 59, boardMax: 47, fans: 4, boards: 3, power: 3358,
            uptime: 1926, poolUser: "pool_username.real_worker"),
        DirectoryCase(
            dir: "antminer/S19-Pro+_stock-fw-2023-03-11", family: .antminer, model: "S19 Pro+", firmware: "Bitmain 2023-03-11",
            hashrate: 121_056.23e9, hashrateExpected: 120_000e9, chipMax: 66, boardMax: 61, fans: 4, boards: 3, uptime: 17_065,
            state: .mining),
        DirectoryCase(
            dir: "antminer/S19-Pro_foreman", family: .antminer, model: "S19 Pro", firmware: "Bitmain 2017-08-25",
            poolUser: "xxx", pools: 3),
        DirectoryCase(
            dir: "antminer/S19-Pro_really-cold_foreman", family: .antminer, model: "S19 Pro", firmware: "Bitmain 2020-10-21",
            hashrate: 110_786.79e9, chipMax: 27, boardMax: 22, fans: 4, boards: 3, uptime: 82_852, state: .mining),
        DirectoryCase(
            dir: "antminer/S19-Pro_stock-fw-CompileTime-2022-12-06", family: .antminer, model: "S19 Pro", firmware: "Bitmain 2022-12-06",
            hashrate: 110_566.89e9, hashrateExpected: 110_000e9, chipMax: 78, boardMax: 73, fans: 4, boards: 3, uptime: 50_474,
            poolUser: "satokierepair.H04YK", pools: 3, state: .mining),
        // Asleep: every chip `x`, 0 GH/s, and the web config says `bitmain-work-mode` "1".
        DirectoryCase(
            dir: "antminer/S19_foreman", family: .antminer, model: "S19", firmware: "Bitmain 2020-12-11",
            hashrate: 0, hashrateExpected: 63_919e9, chipMax: 40, boardMax: 40, fans: 4, boards: 2, poolUser: "aaa.226x94",
            state: .sleeping, mac: "70:B3:F5:7C:B1:EA"),
        DirectoryCase(dir: "antminer/S19j-Pro_Hiveon-fw-2024-04", family: .antminer, model: "S19j Pro", firmware: "Hiveon", identityOnly: true),
        DirectoryCase(dir: "antminer/S21_stock-FR-1.12-251009", family: .antminer, model: "S21", firmware: "Bitmain FR-1.12(251009-S21)", identityOnly: true),
        DirectoryCase(
            dir: "antminer/S9-Pro_MSKminer-v5.1_foreman", family: .antminer, model: "S9 Pro", firmware: "MSKminer 5.1", support: .partial,
            hashrate: 9039.731e9, chipMax: 52, boardMax: 37, fans: 1, boards: 3, power: 967.5, poolUser: "antminer_1", pools: 4),
        DirectoryCase(
            dir: "antminer/S9_Hiveon_foreman", family: .antminer, model: "S9", firmware: "Hiveon",
            hashrate: 11_813.91e9, hashrateExpected: 11_850.30e9, chipMax: 77, boardMax: 62, fans: 2, boards: 3, power: 1089,
            uptime: 136, poolUser: "Dash.default"),
        DirectoryCase(
            dir: "antminer/S9_asicseer_foreman", family: .antminer, model: "S9", firmware: "asicseer 1.1.9",
            hashrate: 13_402.14e9, chipMax: 87, boardMax: 57, fans: 2, boards: 3, poolUser: "asicseer.dcc9a2"),
        DirectoryCase(
            dir: "antminer/S9_foreman", family: .antminer, model: "S9", firmware: "Bitmain 2017-11-17",
            poolUser: "CosmosCapitalFund.COSMOSxCNKxS17Px00001", pools: 3),
        DirectoryCase(
            dir: "antminer/S9_vnish-3.8.6_NiceHash_foreman", family: .antminer, model: "S9", firmware: "VNish 3.8.6",
            hashrate: 12_795.48e9, chipMax: 80, boardMax: 65, fans: 2, boards: 3, power: 1485, poolUser: "antminer_1", pools: 4),
        DirectoryCase(dir: "antminer/S9i_bmminer-2.4.2_bad-password_foreman", family: .antminer, model: "S9i", firmware: "Bitmain 2018-11-07", identityOnly: true),
        DirectoryCase(
            dir: "antminer/T17+_sleeping_foreman", family: .antminer, model: "T17+", firmware: "Bitmain 2020-06-02",
            hashrate: 0, fans: 0, boards: 0, uptime: 8105, poolUser: "aaa.bbb", state: .sleeping),
        // Z11 (Equihash): `GHS` fields are kSol/s.
        DirectoryCase(
            dir: "antminer/Z11_chipless_foreman", family: .antminer, model: "Z11", firmware: "Chipless v3.0 Auto Paid", support: .partial,
            hashrate: 145_474.39e3, chipMax: 60, boardMax: 38, fans: 2, boards: 3),
        DirectoryCase(
            dir: "antminer/Z11_foreman", family: .antminer, model: "Z11", firmware: "Bitmain 2019-03-12", support: .partial,
            hashrate: 141.54e3, chipMax: 90, boardMax: 63, fans: 2, boards: 3, poolUser: "x.001"),
        DirectoryCase(dir: "antminer/Z9-Mini_foreman", family: .antminer, model: "Z9 Mini", firmware: "Bitmain 2018-05-26", support: .partial, identityOnly: true),
        DirectoryCase(dir: "antminer/Z9_foreman", family: .antminer, model: "Z9", firmware: "Bitmain 2018-05-26", support: .partial, identityOnly: true),
    ]

    @Test(arguments: cases)
    func readsDirectory(_ expected: DirectoryCase) throws {
        try DirectoryReader.check(expected)
    }

    /// Directories that hold only the web config (digest auth): read through the adapter
    /// with the family known, as a caller with credentials would.
    @Test(arguments: [
        ("antminer/L3+_custom-fan_foreman", "antminer_1" as String?),
        ("antminer/S19-Pro_missing-fan-ctrl_foreman", "xxx"),
        ("antminer/S19-Pro_new_foreman", nil),
    ])
    func readsTheWebConfig(dir: String, user: String?) throws {
        let replies = Fixtures.replies(dir)
        let status = try AntminerAdapter().parse(replies, identification: Identification(family: .antminer))
        if let user {
            #expect(status.pools.first?.user == user)
            #expect(status.pools.count == 3)
        } else {
            // `S19-Pro_new`: three empty pool slots.
            #expect(status.pools.isEmpty)
        }
        #expect(status.state != .sleeping)
    }

    @Test func everyAntminerDirectoryIsCovered() {
        let covered = Set(Self.cases.map(\.dir)).union([
            "antminer/L3+_custom-fan_foreman", "antminer/S19-Pro_missing-fan-ctrl_foreman", "antminer/S19-Pro_new_foreman",
        ])
        #expect(Set(Fixtures.directories(of: "antminer")) == covered)
    }

    @Test func boardsCarryPerChainReadings() throws {
        let replies = Fixtures.replies("antminer/S19-Pro_stock-fw-CompileTime-2022-12-06")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        // chain_rate1 "37603.30", chain_acn1 114, temp_pcb1 "73-45-64-65", temp_chip1 "78-50-69-70".
        #expect(status.boards[0] == BoardStatus(index: 0, hashrate: 37_603.30e9, tempBoard: 73, tempChip: 78, chips: 114))
        expectClose(status.boards[1].hashrate, 35_536.22e9, "chain 2")
        expectClose(status.boards[2].hashrate, 37_427.38e9, "chain 3")
        #expect(status.fans.map(\.rpm) == [6000, 5880, 5040, 5040])
        #expect(status.pools.first?.accepted == 4057)
        #expect(status.pools.first?.rejected == 11)
        #expect(status.pools.first?.url == "stratum+tcp://btc.global.luxor.tech:700")
        #expect(status.pools.first?.active == true)
        #expect(status.pools.first?.worker == "H04YK")
        expectClose(status.bestDifficulty, 12_904_207_043, "best share")
    }

    @Test func sparseFansAndDashListsWithNegativeReadings() throws {
        // S9: fan5/fan6 only (fan_num 2); S19 really cold: `temp_pcb1` "2--1-20-22".
        #expect(Readings.dashList("2--1-20-22") == [2, -1, 20, 22])
        #expect(Readings.dashList("-8--11-10-12") == [-8, -11, 10, 12])
        #expect(Readings.dashList("0-0-0-0") == [0, 0, 0, 0])
        #expect(Readings.dashList("52-75") == [52, 75])
        let replies = Fixtures.replies("antminer/S9_Hiveon_foreman")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.fans.map(\.rpm) == [3360, 4440])
    }

    @Test func vnishDevFeePoolsAreKeptAsReported() throws {
        let replies = Fixtures.replies("antminer/S9_vnish-3.8.6_NiceHash_foreman")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.pools.map(\.url).last == "DevFee")
        #expect(status.pools.map(\.status) == [.alive, .alive, .dead, .alive])
    }

    @Test func deniedProbeIsNotAStatusRefusal() throws {
        // Hiveon denies `devdetails` (Code 45), one of the shared probes; that says nothing
        // about the status commands, so with no status reply there is simply nothing to read.
        let replies = Fixtures.replies("antminer/S19j-Pro_Hiveon-fw-2024-04")
        #expect(throws: ReadError.protocolViolation("no Antminer reply to read")) {
            try AntminerAdapter().parse(replies, identification: Identification(family: .antminer))
        }
    }

    @Test func deniedStatusCommandIsNotPermitted() throws {
        // The same Code 45 reply, as firmware with an API allow-list sends it for `summary`.
        let denied = Fixtures.text("antminer/S19j-Pro_Hiveon-fw-2024-04/devdetails_ERROR-access-denied.json")
            .replacingOccurrences(of: "devdetails", with: "summary")
        let replies = Replies([Request.cgminer("summary"): .success(.bytes(Array(denied.utf8)))])
        #expect(throws: ReadError.notPermitted("summary: Access denied to 'summary' command")) {
            try AntminerAdapter().parse(replies, identification: Identification(family: .antminer))
        }
    }

    @Test func invalidCommandIsARefusedStatusNotGarbage() throws {
        let invalid = #"{"STATUS":[{"STATUS":"E","When":1,"Code":14,"Msg":"Invalid command","Description":"bmminer 1.0.0"}],"id":1}"#
        let replies = Replies([Request.cgminer("summary"): .success(.bytes(Array(invalid.utf8)))])
        #expect(throws: ReadError.statusRefused("summary: Invalid command")) {
            try AntminerAdapter().parse(replies, identification: Identification(family: .antminer))
        }
        let garbage = Replies([Request.cgminer("summary"): .success(.bytes(Array("{\"STATUS\":[{\"STAT".utf8)))])
        #expect(throws: ReadError.self) { try AntminerAdapter().parse(garbage, identification: Identification(family: .antminer)) }
        do {
            _ = try AntminerAdapter().parse(garbage, identification: Identification(family: .antminer))
        } catch {
            guard case ReadError.protocolViolation = error else {
                Issue.record("garbage must be a protocol violation, got \(error)")
                return
            }
        }
    }

    @Test(arguments: [
        ("Antminer S19 Pro", "S19 Pro", true), ("Antminer S19 XP (Vnish 1.2.0-rc1)", "S19 XP", true),
        ("Antminer S19JPRO Hiveon", "S19j Pro", true), ("S19-88 v.2.6.0.39 ", "S19 (88)", true),
        ("Antminer S9\nV1.3.58", "S9", true), ("Antminer S19Pro+", "S19 Pro+", true), ("Antminer S9 HIVEON", "S9", true),
        ("Antminer S21 Hydro", "S21 Hydro", true), ("Antminer S99", "S99", false), ("Antminer L3+", "L3+", false),
    ])
    func normalisesModelNames(type: String, model: String, known: Bool) {
        let name = AntminerModels.normalize(type)
        #expect(name.model == model)
        #expect(name.known == known)
    }

    @Test func unknownModelOfAKnownFamilyIsPartialNotAnError() throws {
        var replies = Replies()
        replies.add(Probes.cgminerVersion, #"{"version":[{"STATUS":[{"STATUS":"S","Code":22,"Description":"cgminer 1.0.0"}],"VERSION":[{"BMMiner":"1.0.0","CompileTime":"Tue Dec  6 16:12:30 CST 2022","Type":"Antminer S99 Ultra"}]}],"devdetails":[{"STATUS":[{"STATUS":"E","Code":45,"Msg":"Access denied to 'devdetails' command"}]}],"id":1}"#)
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(adapter.family == .antminer)
        #expect(identification.model == "S99 Ultra")
        #expect(identification.support == .partial)
        replies.add(.cgminer("summary+pools+stats"), #"{"summary":[{"STATUS":[{"STATUS":"S","Code":11}],"SUMMARY":[{"GHS 5s":"200000.5","GHS av":199000}]}],"pools":[{"STATUS":[{"STATUS":"S","Code":7}],"POOLS":[{"URL":"stratum+tcp://p:3333","User":"w.1","Status":"Alive","Stratum Active":true}]}],"stats":[{"STATUS":[{"STATUS":"E","Code":14,"Msg":"Invalid command"}]}],"id":1}"#)
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.identity.support == .partial)
        expectClose(status.hashrate, 200_000.5e9, "hashrate")
        #expect(status.pools.first?.user == "w.1")
    }
}
