import BitlinkCore
import Testing

@testable import BitlinkSim

/// One simulated model and what bitlink must read from it. The numbers are read by hand
/// from the fixture files the simulator serves (never computed by the code under test);
/// the simulator moves them by at most 2 % (hashrate), 1 % (fans) and 2 C (temperatures).
struct FamilyCase: Sendable, CustomTestStringConvertible {
    /// The simulator's model name.
    var sim: String
    /// Where the numbers come from, under `Tests/Fixtures`.
    var fixture: String
    var family: MinerFamily
    var model: String?
    var firmware: String?
    var support: SupportLevel = .full
    /// H/s.
    var hashrate: Double
    var hashrateExpected: Double? = nil
    var chipMax: Double? = nil
    var boardMax: Double? = nil
    var inlet: Double? = nil
    /// RPM, in the device's order.
    var fans: [Double] = []
    /// A single fan reported by duty only (percent).
    var fanDuty: Double? = nil
    var power: Double? = nil
    var poolUser: String?
    var state: MiningState = .mining
    /// The device reports its MAC in what bitlink reads (the simulator rewrites it per miner).
    var readsMAC = false

    var testDescription: String { sim }
}

@Suite("Integration: each family read from the simulator")
struct IntegrationFamilyReadTests {
    static let cases: [FamilyCase] = [
        // Antminer stock: stats `GHS 5s` 110566.89, `total_rateideal` 110000, `temp_chip1`
        // "78-50-69-70", `temp_pcb1` "73-45-64-65", fan1..4 6000/5880/5040/5040.
        FamilyCase(
            sim: "s19-pro", fixture: "antminer/S19-Pro_stock-fw-CompileTime-2022-12-06", family: .antminer, model: "S19 Pro",
            firmware: "Bitmain 2022-12-06", hashrate: 110_566.89e9, hashrateExpected: 110_000e9, chipMax: 78, boardMax: 73,
            fans: [6000, 5880, 5040, 5040], poolUser: "satokierepair.H04YK"),
        // VNish 2.0.3 on an S17+: `Type` "Antminer S17+ (vnish 2.0.3)", `GHS 5s` "77458.73",
        // `temp2_1` 81, `temp1` 66, fans 6120/6120/5160/5160.
        FamilyCase(
            sim: "s17-plus-vnish", fixture: "antminer/S17+_vnish-2.0.3_asicdip_foreman", family: .antminer, model: "S17+",
            firmware: "VNish 2.0.3", hashrate: 77_458.73e9, chipMax: 81, boardMax: 66, fans: [6120, 6120, 5160, 5160],
            poolUser: "xxx.S17"),
        // Hiveon on an S9: `Type` "Antminer S9 Hiveon", `GHS 5s` "11813.91", `temp2_6` 77,
        // `temp6` 62, fan5/fan6 3360/4440.
        FamilyCase(
            sim: "s9-hiveon", fixture: "antminer/S9_Hiveon_foreman", family: .antminer, model: "S9", firmware: "Hiveon",
            hashrate: 11_813.91e9, chipMax: 77, boardMax: 62, fans: [3360, 4440], poolUser: "Dash.default"),
        // MSKminer: `Type` "S19-88 v.2.6.0.39 ", `GHS 5s` 99989.59, `temp2_1` 59, `temp3` 47,
        // fans 5010/5160/5070/5040.
        FamilyCase(
            sim: "s19-88-mskminer", fixture: "antminer/S19-88_MSKminer-2.6.0.39", family: .antminer, model: "S19 (88)",
            firmware: "MSKminer 2.6.0.39", hashrate: 99_989.59e9, chipMax: 59, boardMax: 47, fans: [5010, 5160, 5070, 5040],
            poolUser: "pool_username.real_worker"),
        // Whatsminer API v1/v2: summary `MHS 1m` 67439352.49, `Factory GHS` 68796, `Chip Temp Max`
        // 92.5, `Temperature` 71.5, fans in/out 6480/6510, `Power` 3417, `Firmware Version`
        // "'20210322.22.REL'". No devdetails in the capture, so no model.
        FamilyCase(
            sim: "m3x", fixture: "whatsminer/M3x_fw20210322.22_api-v1.4.0", family: .whatsminer, model: nil,
            firmware: "20210322.22.REL", support: .partial, hashrate: 67_439_352.49e6, hashrateExpected: 68_796e9,
            chipMax: 92.5, boardMax: 71.5, fans: [6480, 6510], power: 3417, poolUser: "asic-rs.test", readsMAC: true),
        // Whatsminer API v3 (M60S): `get.device.info` `miner.type` "M60S_VK40", `system.fwversion`
        // "20251209.16.Rel2", `detect-hash-rate` "61434:53890:65727" GH/s. There is no capture of
        // `get.miner.status`: the simulator synthesizes it (realtime = 98.5 % of the detected
        // 181.051 TH/s, chip max 78, fans 6120/6090, pool user `bitlinksim.m60s`).
        FamilyCase(
            sim: "m60s", fixture: "whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2", family: .whatsminer, model: "M60S VK40",
            firmware: "20251209.16.Rel2", hashrate: 0.985 * 181.051e12, hashrateExpected: 181.051e12, chipMax: 78,
            fans: [6120, 6090], poolUser: "bitlinksim.m60s", readsMAC: true),
        // Avalon A1566: `MM ID0` GHSspd[199241.07] GHSmm[201920.42] TMax[78] ITemp[31] Fan1[4275]
        // Fan2[4282] WALLPOWER[3731]; version PROD "AvalonMiner 15-194", MAC "123456789012".
        FamilyCase(
            sim: "avalon-1566", fixture: "avalon/AvalonMiner-1566-194_fw24102401", family: .avalon, model: "Avalon 15-194",
            firmware: "24102401_25462b2_9ddf522", hashrate: 199_241.07e9, hashrateExpected: 201_920.42e9, chipMax: 78,
            inlet: 31, fans: [4275, 4282], power: 3731, poolUser: "pool_username.real_worker", readsMAC: true),
        // Avalon Q, captured soft-off: `MM ID0:Summary` GHSspd[0.00] GHSmm[55032.79]
        // SoftOFF[4] "Work: In Idle", Fan1-4 [0], ITemp[26].
        FamilyCase(
            sim: "avalon-q", fixture: "avalon/Avalon-Q_fw25052801", family: .avalon, model: "Avalon Q",
            firmware: "25052801_14a19a2", hashrate: 0, hashrateExpected: 55_032.79e9, boardMax: 27, inlet: 26,
            fans: [0, 0, 0, 0], poolUser: "worker1", state: .sleeping, readsMAC: true),
        // Braiins OS (BOSminer 0.2.0, S9): summary `MHS 1m` 14194945.84, temps `Board` 53,
        // fans `RPM` 1560/1560/0/0. `devdetails` is not captured, so no model.
        FamilyCase(
            sim: "s9-bosminer", fixture: "braiins/S9_BOSminer-0.2.0_foreman", family: .braiins, model: nil,
            firmware: "BOSminer 0.2.0-d360818", support: .partial, hashrate: 14_194_945.84e6, boardMax: 53,
            fans: [1560, 1560, 0, 0], poolUser: "antminer_1"),
        // Bitaxe Supra (AxeOS v2.4.5): the capture says `hashRate` 0 (an edited capture); the
        // simulator serves the expected rate instead, `frequency` 490 MHz x `smallCoreCount` 1276
        // x 1 ASIC. `temp` 27, `fanrpm` 3517, `power` 2.65.
        FamilyCase(
            sim: "bitaxe-supra", fixture: "bitaxe/Supra-BM1368-board401_AxeOS-v2.4.5", family: .axeos, model: "Bitaxe Supra",
            firmware: "AxeOS v2.4.5-3-gb5d1e36-dirty", hashrate: 490 * 1276 * 1e6, hashrateExpected: 490 * 1276 * 1e6,
            chipMax: 27, fans: [3517], power: 2.65, poolUser: "asic-rs.test", readsMAC: true),
        // NerdQAxe++: `hashRate` 5455.551 GH/s, expected 680 MHz x 2040 cores x 4 ASICs, `temp`
        // 59.875, `vrTemp` 55.9375, `fans[].rpm` 1796/1557, `power` 103.
        FamilyCase(
            sim: "nerdqaxe-plus-plus", fixture: "nerdqaxe/NerdQAxe++-BM1370x4_NerdOS-v1.1.0-beta1", family: .axeos,
            model: "NerdQAxe++", firmware: "NerdOS v1.1.0-beta1", hashrate: 5455.551e9, hashrateExpected: 680 * 2040 * 4 * 1e6,
            chipMax: 59.875, boardMax: 55.9375, fans: [1796, 1557], power: 103, poolUser: "abc.qaxe6", readsMAC: true),
        // NMMiner: `/api/system/info` `miner.hashRate` 2.45 GH/s, `temps.vcore` 42.5,
        // `stratum.user` "18dK8E...worker", `identity.fwVersion` "2.1.0".
        FamilyCase(
            sim: "nmminer", fixture: "nmminer/NMMiner-ESP32_fw2.1.0_doc-example", family: .nmminer, model: "NMMiner",
            firmware: "NMMiner 2.1.0", hashrate: 2.45e9, boardMax: 42.5, poolUser: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1.worker"),
        // Generic CGMiner, Auradine AT1500: summary `MHS 1m` 10256844.55, devs `Temperature`
        // up to 30.12, version Description "GCMiner-0.5-devsbXXX".
        FamilyCase(
            sim: "auradine-at1500", fixture: "auradine/AT1500_FluxOS-2023", family: .cgminer, model: nil,
            firmware: "GCMiner 0.5-devsbXXX", support: .partial, hashrate: 10_256_844.55e6, boardMax: 30.12,
            poolUser: "username.suffix"),
        // Generic CGMiner, Sealminer A2 (bdminer): summary `MHS 1m` 197599714.10, stats `Temp` 70,
        // fans "0 Speed".."3 Speed" 3723/3723/3753/3723, `PSU Input Power` 3504, `Model` "A2".
        FamilyCase(
            sim: "sealminer", fixture: "sealminer/Sealminer_bdminer-4.11.1", family: .cgminer, model: "Sealminer A2",
            firmware: "bdminer 4.11.1", support: .partial, hashrate: 197_599_714.10e6, chipMax: 70,
            fans: [3723, 3723, 3753, 3723], power: 3504, poolUser: "Dow_Mining.SealMinerA2"),
        // Generic CGMiner, Innosilicon A9 (innominer): summary `MHS 1m` 51451.63 (Sol/s as MH),
        // stats `Temp max` 72, `Fan duty` 35 (percent, no RPM).
        FamilyCase(
            sim: "innosilicon-a9", fixture: "innosilicon/A9_innominer-a9-1.1.0_foreman", family: .cgminer,
            model: "Innosilicon A9", firmware: "innominer a9-1.1.0", support: .partial, hashrate: 51_451.63e6, chipMax: 72,
            fanDuty: 35, poolUser: "xxx"),
    ]

    @Test(arguments: cases.enumerated().map { $0 })
    func identifiesAndReads(_ index: Int, _ expected: FamilyCase) throws {
        let fleet = try Integration.fleet([expected.sim], subnet: "127.88.\(10 + index).0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        #expect(miner.family == expected.family, "the simulator runs the family the case names")

        let run = try Integration.read(miner.address)
        let reading = try #require(run.reading, "\(expected.sim): \(String(describing: run.error))")
        let status = reading.status
        #expect(reading.identification.family == expected.family)
        #expect(status.identity.family == expected.family)
        #expect(status.identity.model == expected.model)
        #expect(status.identity.firmware == expected.firmware)
        #expect(status.identity.support == expected.support)
        #expect(status.state == expected.state)
        #expect(status.errors.allSatisfy { !$0.hasPrefix("status not readable") }, "\(status.errors)")

        #expect(Integration.isNear(status.hashrate, expected.hashrate, within: 0.05),
                "hashrate \(String(describing: status.hashrate)) vs \(expected.hashrate)")
        if let rated = expected.hashrateExpected {
            #expect(Integration.isNear(status.hashrateExpected, rated, within: 0.05),
                    "expected hashrate \(String(describing: status.hashrateExpected)) vs \(rated)")
        }
        Self.expectTemperature(status.tempChipMax, expected.chipMax, "chip max")
        Self.expectTemperature(status.tempBoardMax, expected.boardMax, "board max")
        Self.expectTemperature(status.tempInlet, expected.inlet, "inlet")
        if let power = expected.power {
            #expect(Integration.isNear(status.power, power, within: 0.01), "power \(String(describing: status.power))")
        }
        if let duty = expected.fanDuty {
            #expect(status.fans.map(\.percent) == [duty], "fans \(status.fans)")
        } else {
            #expect(status.fans.count == expected.fans.count, "fans \(status.fans)")
            for (fan, rpm) in zip(status.fans, expected.fans) {
                #expect(Integration.isNear(fan.rpm, rpm, within: 0.02), "fan \(fan.index): \(String(describing: fan.rpm)) vs \(rpm)")
            }
        }
        #expect(status.pools.first?.user == expected.poolUser)
        if expected.readsMAC {
            #expect(status.identity.mac == miner.expectedMAC?.description, "the simulator's MAC for this miner")
        }
        #expect(run.outcome.connections <= 3)
    }

    /// Captures that hold only the identification replies (`version`, `devdetails`): the
    /// miner is identified and its status reads as "not readable", partly supported, never
    /// an error.
    @Test(arguments: [
        // `version` Type "Antminer S19JPRO Hiveon"; `devdetails` is denied (Code 45).
        (41, "s19j-pro-hiveon", MinerFamily.antminer, "S19j Pro" as String?, "Hiveon" as String?),
        // version PROD "AvalonMiner 1246-81", VERSION "21030201_4ec6bb0_09b1765".
        (42, "avalon-1246", .avalon, "Avalon 1246", "21030201_4ec6bb0_09b1765"),
        // BOSer 24.09: Description "BOSer boser-buildroot 0.1.0-75912fc7", no devdetails.
        (43, "boser-24.09", .braiins, nil, "BOSer boser-buildroot 0.1.0-75912fc7"),
        // devdetails Model "M30S+_VE40"; summary and the rest not captured.
        (44, "m30s-plus", .whatsminer, "M30S+ VE40", nil),
    ])
    func identifiesCapturesWithoutStatus(_ octet: Int, _ sim: String, _ family: MinerFamily, _ model: String?, _ firmware: String?) throws {
        let fleet = try Integration.fleet([sim], subnet: "127.88.\(octet).0/24")
        defer { fleet.stop() }
        let run = try Integration.read(try fleet.miner(0).address)
        let reading = try #require(run.reading, "\(sim): \(String(describing: run.error))")
        #expect(reading.status.identity.family == family)
        #expect(reading.status.identity.model == model)
        #expect(reading.status.identity.firmware == firmware)
        #expect(reading.status.identity.support == .partial)
        #expect(reading.status.hashrate == nil)
        #expect(reading.status.errors.contains { $0.hasPrefix("status not readable") }, "\(reading.status.errors)")
    }

    static func expectTemperature(
        _ actual: Double?, _ expected: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let expected else { return }
        guard let actual else {
            Issue.record("\(what): nil, expected about \(expected)", sourceLocation: sourceLocation)
            return
        }
        #expect(abs(actual - expected) <= 3, "\(what): \(actual) vs \(expected)", sourceLocation: sourceLocation)
    }
}
