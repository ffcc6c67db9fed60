import Testing

@testable import BitlinkCore

@Suite("Whatsminer fixtures")
struct WhatsminerFixtureTests {
    static let cases: [DirectoryCase] = [
        // No devdetails in the capture: the model is unknown, the family is not.
        DirectoryCase(
            dir: "whatsminer/M20S_luci-era-fw_foreman", family: .whatsminer, model: nil, firmware: "20200917.22.REL", support: .partial,
            hashrate: 67_266_447.69e6, hashrateExpected: 67_051e9, chipMax: 87.7, boardMax: 72, inlet: 28.5, fans: 2, boards: 3,
            power: 3491, uptime: 66_295, poolUser: "002m20s", pools: 2, state: .mining, mac: "C4:11:04:01:3C:75"),
        DirectoryCase(dir: "whatsminer/M20S_new-fw_foreman", family: .whatsminer, model: "M20S", firmware: "20200917.22.REL", identityOnly: true),
        DirectoryCase(
            dir: "whatsminer/M20S_old-fw_foreman", family: .whatsminer, model: nil, firmware: nil, support: .partial,
            hashrate: 65_463_822.08e6, boardMax: 75, fans: 2, uptime: 97_139),
        DirectoryCase(dir: "whatsminer/M21_foreman", family: .whatsminer, model: "M21", firmware: "20190605.16.1", identityOnly: true),
        // Liquid-cooled: both fan readings 0, so no fans are listed.
        DirectoryCase(
            dir: "whatsminer/M30-hydro-or-immersion_2022", family: .whatsminer, model: nil, firmware: nil, support: .partial,
            hashrate: 61_117_321.6e6, hashrateExpected: 55_525e9, chipMax: 101.25, boardMax: 55.69, inlet: 54.44, fans: 0,
            power: 2631, uptime: 42_709),
        DirectoryCase(dir: "whatsminer/M30S+_VE40_fw-2024-09-30", family: .whatsminer, model: "M30S+ VE40", firmware: nil, identityOnly: true),
        DirectoryCase(dir: "whatsminer/M30S_foreman", family: .whatsminer, model: "M30S V50", firmware: "20201223.14.REL", identityOnly: true),
        // `status` says btmineroff "true" but the summary (another session) hashes: a hashrate wins.
        DirectoryCase(
            dir: "whatsminer/M31S_sleeping_foreman", family: .whatsminer, model: nil, firmware: "20200512.13.REL", support: .partial,
            hashrate: 85_163_473.24e6, hashrateExpected: 86_472e9, chipMax: 99.79, boardMax: 80, inlet: 11, fans: 2, boards: 3,
            power: 3230, poolUser: "xxx", pools: 3, state: .mining, mac: "C6:02:14:00:1F:B3"),
        DirectoryCase(
            dir: "whatsminer/M3x_fw20210322.22_api-v1.4.0", family: .whatsminer, model: nil, firmware: "20210322.22.REL", support: .partial,
            hashrate: 67_439_352.49e6, hashrateExpected: 68_796e9, chipMax: 92.5, boardMax: 71.5, fans: 2, boards: 3, power: 3417,
            uptime: 10_154, poolUser: "asic-rs.test", pools: 3, state: .mining, mac: "C4:08:28:00:A4:19"),
        DirectoryCase(
            dir: "whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2", family: .whatsminer, model: "M60S VK40", firmware: "20251209.16.Rel2",
            boards: 3, state: .mining, mac: "CE:02:01:00:8C:36", skip: ["get.device.info_with-errors.json"]),
    ]

    @Test(arguments: cases)
    func readsDirectory(_ expected: DirectoryCase) throws {
        try DirectoryReader.check(expected)
    }

    @Test func everyWhatsminerDirectoryIsCovered() {
        let covered = Set(Self.cases.map(\.dir)).union(["whatsminer/api-v2-token_foreman", "whatsminer/encrypted-api-v2_foreman"])
        #expect(Set(Fixtures.directories(of: "whatsminer")) == covered)
    }

    @Test func boardsFromEdevs() throws {
        let replies = Fixtures.replies("whatsminer/M31S_sleeping_foreman")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        // ASC 0: Temperature 80.00, MHS 1m 29648873.76, Chip Temp Max 99.79, 156 chips, PCB SN.
        #expect(status.boards[0] == BoardStatus(
            index: 0, hashrate: 29_648_873.76e6, tempBoard: 80, tempChip: 99.79, chips: 156, serial: "H5M1ES9C200507X10110"))
        #expect(status.errors == ["error code 205"])
        // The capture answered the multi-command with one E status: plans fall back to singles.
        #expect(identification.hints["multi"] == "0")
        #expect(identification.hints["read"] == nil)
        #expect(adapter.readPlan(for: identification) == [.cgminer("summary"), .cgminer("pools"), .cgminer("edevs")])
    }

    @Test func flatEnvelopeReads() throws {
        let dir = "whatsminer/M3x_fw20210322.22_api-v1.4.0"
        let psu = try CGMinerReply.decode(Fixtures.bytes("\(dir)/get_psu.json"))
        #expect(psu.status?.code == 131)
        #expect(psu.message?["model"] == "P21-12-3600-E")
        #expect(psu.message?["sw_version"] == "102220.009")
        // `get_version` alone names the firmware, `status` alone reads too.
        for name in ["get_version", "get_psu", "status"] {
            var replies = Replies()
            replies[.cgminer(name)] = .success(.bytes(Fixtures.bytes("\(dir)/\(name).json")))
            let status = try WhatsminerAdapter().parse(replies, identification: Identification(family: .whatsminer))
            #expect(status.identity.family == .whatsminer, "\(name)")
        }
        var version = Replies()
        version[.cgminer("get_version")] = .success(.bytes(Fixtures.bytes("\(dir)/get_version.json")))
        #expect(try WhatsminerAdapter().parse(version, identification: Identification(family: .whatsminer)).identity.firmware == "20210322.22.REL")
        // Never `version` for btminer.
        for identification in [Identification(family: .whatsminer), Identification(family: .whatsminer, hints: ["multi": "0"])] {
            #expect(!WhatsminerAdapter().readPlan(for: identification).contains(Probes.cgminerVersionSingle))
        }
    }

    @Test func btmineroffWithoutHashrateIsSleeping() throws {
        // `status` alone (M31S capture): btminer is stopped.
        var replies = Replies()
        replies[.cgminer("status")] = .success(.bytes(Fixtures.bytes("whatsminer/M31S_sleeping_foreman/status.json")))
        let status = try WhatsminerAdapter().parse(replies, identification: Identification(family: .whatsminer))
        #expect(status.state == .sleeping)
        #expect(status.identity.firmware == "20210109.22.REL")
        // Zero hashrate in a summary that has `Power Mode` reads as sleeping too.
        var zero = Replies()
        zero.add(.cgminer("summary"), #"{"STATUS":[{"STATUS":"S","Msg":"Summary"}],"SUMMARY":[{"Elapsed":600,"MHS av":0.0,"MHS 1m":0.0,"Power Mode":"Normal","Factory GHS":86472}],"id":1}"#)
        #expect(try WhatsminerAdapter().parse(zero, identification: Identification(family: .whatsminer)).state == .sleeping)
    }

    @Test func apiV3DeviceInfoWithErrors() throws {
        var replies = Replies()
        replies[WhatsminerAdapter.v3DeviceInfo] = .success(.bytes(
            Fixtures.bytes("whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2/get.device.info_with-errors.json")))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(identification.hints["api"] == "v3")
        let status = try adapter.parse(replies, identification: identification)
        #expect(status.errors == ["error code 218", "error code 541"])
        #expect(status.identity.serial == "BTM3CS40HD24083100000000000000000")
        #expect(status.identity.hostname == "WhatsMiner")
        #expect(status.boards.map(\.serial) == ["BKM3CSE1404807K42757", "BKM3CSE1404812K43675", "BKM3CSE1404807K42762"])
    }

    /// No `get.miner.status` capture exists (the asic-rs ones look synthetic and were not
    /// copied): this reply is built from the field names of protocols.md section 3.2.
    @Test func apiV3StatusInTerahash() throws {
        var replies = Replies()
        replies[WhatsminerAdapter.v3DeviceInfo] = .success(.bytes(Fixtures.bytes("whatsminer/M60S-VK40_fw20251209.16_api-v3.0.2/get.device.info.json")))
        replies.add(WhatsminerAdapter.v3Summary, #"{"code":0,"desc":"get.miner.status","msg":{"summary":{"elapsed":50000,"hash-realtime":171.259,"hash-average":170.5,"factory-hash":181.051,"power-realtime":3156,"power-limit":3600,"environment-temperature":28.5,"fan-speed-in":4800,"fan-speed-out":4850,"chip-temp-max":82.5}},"when":1}"#)
        replies.add(WhatsminerAdapter.v3Pools, #"{"code":0,"desc":"get.miner.status","msg":{"pools":[{"id":1,"url":"stratum+tcp://p.example:3333","account":"acct.w1","status":"alive","stratum-active":true},{"id":2,"url":"stratum+tcp://q.example:3333","account":"acct.w1","status":"dead","stratum-active":false}]},"when":1}"#)
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        let status = try adapter.parse(replies, identification: identification)
        expectClose(status.hashrate, 171.259e12, "hashrate")
        expectClose(status.hashrateExpected, 181.051e12, "expected")
        expectClose(status.power, 3156, "power")
        expectClose(status.uptime, 50_000, "uptime")
        expectClose(status.tempInlet, 28.5, "inlet")
        #expect(status.fans.map(\.rpm) == [4800, 4850])
        #expect(status.pools.map(\.user) == ["acct.w1", "acct.w1"])
        #expect(status.pools.map(\.active) == [true, false])
        #expect(status.pools.map(\.status) == [.alive, .dead])
    }

    @Test func tokenHandshakeAndEncryptedRepliesAreNotReads() throws {
        // get_token: flat envelope, Code 134, Msg {time, salt, newsalt}.
        let token = try CGMinerReply.decode(Fixtures.bytes("whatsminer/api-v2-token_foreman/get_token.json"))
        #expect(token.status?.code == 134)
        #expect(token.message?["salt"] == "BQ5hoXV9")
        #expect(token.status?.description == "whatsminer v1.1")
        // Encrypted replies are `{"enc":"<base64>"}`: JSON, but not a CGMiner envelope.
        for path in ["whatsminer/api-v2-token_foreman/enc.json", "whatsminer/encrypted-api-v2_foreman/enc.json"] {
            let value = try JSONParser.parse(Fixtures.bytes(path))
            #expect(value["enc"]?.stringValue?.isEmpty == false)
            #expect(throws: ProtocolError.self) { try CGMinerReply.decode(Fixtures.bytes(path)) }
        }
        // A bare `get_token` reply names btminer by its Description.
        var replies = Replies()
        replies[.cgminer("get_token")] = .success(.bytes(Fixtures.bytes("whatsminer/api-v2-token_foreman/get_token.json")))
        #expect(AdapterRegistry.standard.identify(replies)?.identification.family == .whatsminer)
    }

    @Test(arguments: [("M30S+_VE40", "M30S+ VE40"), ("M60S_VK40", "M60S VK40"), ("WhatsMiner M30S_V50", "M30S V50"), ("WhatsMiner M20S", "M20S")])
    func normalisesModels(raw: String, model: String) {
        #expect(WhatsminerAdapter.normalize(raw) == model)
    }

    @Test func errorCodeShapes() {
        // API 2.0.4 sends a list shaped like a dict (pyasic repair 10).
        #expect(WhatsminerAdapter.errorCodes(["329", "2022-01-17 11:28:11"]) == ["error code 329"])
        #expect(WhatsminerAdapter.errorCodes([["111": "2022-01-17 11:28:11"], ["329": "x"]]) == ["error code 111", "error code 329"])
    }
}
