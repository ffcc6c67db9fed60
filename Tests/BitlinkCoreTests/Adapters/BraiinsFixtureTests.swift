import Testing

@testable import BitlinkCore

@Suite("Braiins OS fixtures")
struct BraiinsFixtureTests {
    /// The `version` captures of the GraphQL-era directories: identity only (the model is
    /// in `devdetails`, which these captures lack).
    @Test(arguments: [
        ("braiins/BOS-22.08-plus_unknown-model", "BOSer boser-openwrt 0.1.0-11012d53"),
        ("braiins/BOS-24.09_unknown-model", "BOSer boser-buildroot 0.1.0-75912fc7"),
        ("braiins/BOS-25.03-plus_unknown-model", "BOSer boser-buildroot 0.1.0-75912fc7"),
        ("braiins/BOS-25.05.1-plus_unknown-model", "BOSer boser-buildroot 0.1.0-45f356ea"),
    ])
    func identifiesBOSer(dir: String, firmware: String) throws {
        try DirectoryReader.check(DirectoryCase(
            dir: dir, family: .braiins, model: nil, firmware: firmware, support: .partial, identityOnly: true))
    }

    struct GraphQLCase: Sendable, CustomTestStringConvertible {
        var dir: String
        var hostname: String
        var firmware: String
        var uptime: Double
        var hashrate: Double
        var expected: Double
        var power: Double
        var fans: [Double]
        var boards: Int
        var chipMax: Double
        var boardMax: Double
        var inlet: Double?
        var poolUsers: [String]
        var firstAccepted: Int
        var testDescription: String { dir }
    }

    @Test(arguments: [
        GraphQLCase(
            dir: "braiins/BOS-22.08-plus_unknown-model", hostname: "miner-60726c", firmware: "Braiins OS 22.08-plus", uptime: 1189,
            hashrate: 7_160_208.944955902e6, expected: 7_242_402.52323e6, power: 735, fans: [4080, 5580, 0, 0], boards: 3,
            chipMax: 89.25, boardMax: 75.375, inlet: nil, poolUsers: ["asic-rs.test", "asic-rs.test"], firstAccepted: 31),
        GraphQLCase(
            dir: "braiins/BOS-24.09_unknown-model", hostname: "IC078", firmware: "Braiins OS 24.09-plus", uptime: 717_641,
            hashrate: 230_700_949.2148378e6, expected: 239_313_548.0814e6, power: 3572, fans: [6414, 6414, 6354, 6324], boards: 3,
            chipMax: 71.4375, boardMax: 56.4375, inlet: nil, poolUsers: ["asic_rs.test", "asic_rs.test"], firstAccepted: 111_393),
        GraphQLCase(
            dir: "braiins/BOS-25.03-plus_unknown-model", hostname: "Antminer", firmware: "Braiins OS 25.03-plus", uptime: 96_949,
            hashrate: 251_235_330.70591792e6, expected: 259_190_439.18624e6, power: 4448, fans: [6418, 6448, 6328, 5998], boards: 3,
            chipMax: 75, boardMax: 60, inlet: 39, poolUsers: ["asic_rs.test", "asic_rs.test"], firstAccepted: 10_781),
        GraphQLCase(
            dir: "braiins/BOS-25.05.1-plus_unknown-model", hostname: "Antminer", firmware: "Braiins OS 25.05.1-plus", uptime: 693_609,
            hashrate: 205_749_605.59787723e6, expected: 216_722_441.99088e6, power: 3698, fans: [6421, 6391, 6061, 6331], boards: 3,
            chipMax: 69.5, boardMax: 54.5, inlet: 37.5, poolUsers: ["asic_rs.test", "asic_rs.test", "ICM"], firstAccepted: 92_875),
    ])
    func readsGraphQL(_ expected: GraphQLCase) throws {
        let load: (String) throws -> JSONValue = { try JSONParser.parse(Fixtures.bytes("\(expected.dir)/\($0)")) }
        let status = try BraiinsWeb.parseGraphQL(system: load("gql_system.json"), boards: load("gql_boards.json"), pools: load("gql_pools.json"))
        #expect(status.identity.family == .braiins)
        #expect(status.identity.hostname == expected.hostname)
        #expect(status.identity.firmware == expected.firmware)
        expectClose(status.uptime, expected.uptime, "uptime")
        expectClose(status.hashrate, expected.hashrate, "hashrate")
        expectClose(status.hashrateExpected, expected.expected, "nominal")
        expectClose(status.power, expected.power, "power")
        #expect(status.fans.map(\.rpm) == expected.fans.map(Optional.some))
        #expect(status.boards.count == expected.boards)
        expectClose(status.tempChipMax, expected.chipMax, "chip")
        expectClose(status.tempBoardMax, expected.boardMax, "board")
        expectClose(status.tempInlet, expected.inlet, "inlet")
        #expect(status.pools.map(\.user) == expected.poolUsers.map(Optional.some))
        #expect(status.pools.first?.accepted == expected.firstAccepted)
        #expect(status.pools.first?.active == true)
        // The tuning and events captures are valid JSON too (not needed for the status).
        #expect(try load("gql_tuning.json")["data"]?.path("bosminer", "config", "autotuning", "mode") == "POWER_TARGET")
    }

    struct RESTCase: Sendable, CustomTestStringConvertible {
        var dir: String
        var model: String
        var firmware: String
        var mac: String
        var serial: String?
        var hashrate: Double
        var power: Double
        var chipMax: Double
        var inlet: Double
        var fanRPM: [Double]
        var accepted: Int
        /// Distinct messages of the event log (at most ten are kept).
        var errors: Int
        var testDescription: String { dir }
    }

    @Test(arguments: [
        RESTCase(
            dir: "braiins/S19-XP_BOS-25.07-plus", model: "S19 XP", firmware: "Braiins OS 25.07-plus", mac: "02:EE:DA:A9:B6:4A", serial: nil,
            hashrate: 144_009.07569446342e9, power: 3137, chipMax: 70.5, inlet: 40, fanRPM: [5904, 5874, 5874, 5904], accepted: 10_460, errors: 2),
        RESTCase(
            dir: "braiins/S19-XP_BOS-25.11-plus", model: "S19 XP", firmware: "Braiins OS 25.11-plus", mac: "90:34:86:54:14:C0",
            serial: "YNAHEAUBCJCBA03GL", hashrate: 119_995.0077852381e9, power: 2472, chipMax: 71.5, inlet: 42,
            fanRPM: [5879, 5819, 5909, 5909], accepted: 5048, errors: 5),
        RESTCase(
            dir: "braiins/S21-Pro_BOS-26.04-plus", model: "S21 Pro", firmware: "Braiins OS 26.04-plus", mac: "02:8F:77:EC:E7:E0",
            serial: "THQGFKUBDJIAH0E9G", hashrate: 247_350.7543407177e9, power: 3480, chipMax: 65.375, inlet: 35.125,
            fanRPM: [5943, 5943, 5943, 5973], accepted: 848, errors: 10),
    ])
    func readsREST(_ expected: RESTCase) throws {
        let load: (String) throws -> JSONValue = { try JSONParser.parse(Fixtures.bytes("\(expected.dir)/\($0)")) }
        let status = try BraiinsWeb.parseREST(
            details: load("rest_miner_details.json"), stats: load("rest_miner_stats.json"),
            hashboards: load("rest_miner_hw_hashboards.json"), cooling: load("rest_cooling_state.json"),
            pools: load("rest_pools.json"), errors: load("rest_miner_errors.json"))
        #expect(status.identity.model == expected.model)
        #expect(status.identity.support == .full)
        #expect(status.identity.firmware == expected.firmware)
        #expect(status.identity.mac == expected.mac)
        #expect(status.identity.serial == expected.serial)
        #expect(status.identity.hostname == "Antminer")
        expectClose(status.hashrate, expected.hashrate, "last_1m")
        expectClose(status.power, expected.power, "power")
        expectClose(status.tempChipMax, expected.chipMax, "chip")
        expectClose(status.tempInlet, expected.inlet, "inlet")
        #expect(status.boards.count == 3)
        #expect(status.fans.map(\.rpm) == expected.fanRPM.map(Optional.some))
        #expect(status.pools.first?.user == "asic_rs.test")
        #expect(status.pools.first?.accepted == expected.accepted)
        #expect(status.pools.map(\.active) == [true, false])
        #expect(status.state == .mining)
        #expect(status.errors.count == expected.errors)
        // The remaining captures parse.
        for name in ["rest_actions_locate.json", "rest_configuration_miner.json", "rest_network.json", "rest_performance_tuner_state.json", "rest_version.json"] {
            #expect(throws: Never.self) { try load(name) }
        }
    }

    @Test func restS19XPDetails() throws {
        let dir = "braiins/S19-XP_BOS-25.07-plus"
        let load: (String) throws -> JSONValue = { try JSONParser.parse(Fixtures.bytes("\(dir)/\($0)")) }
        let status = try BraiinsWeb.parseREST(
            details: load("rest_miner_details.json"), stats: load("rest_miner_stats.json"),
            hashboards: load("rest_miner_hw_hashboards.json"), cooling: load("rest_cooling_state.json"))
        // Board 1: 55.5 C board, 70.5 C chip, 110 chips, last_1m 48815.80137715294 GH/s.
        #expect(status.boards[0] == BoardStatus(
            index: 1, hashrate: 48_815.80137715294e9, hashrateExpected: 47_980.850153652005e9, tempBoard: 55.5, tempChip: 70.5,
            chips: 110, serial: "NGSBYPDBCJBAG8562"))
        expectClose(status.tempOutlet, 55.5, "outlet")
        #expect(status.fans.first?.percent == 100)
        expectClose(status.uptime, 69_685, "bosminer uptime")
    }

    @Test func readsBOSminerOverTheCGMinerAPI() throws {
        // The S9 BOSminer 0.2.0 captures; its `version` is in the neighbouring directory.
        var replies = Fixtures.replies("braiins/S9_BOSminer-0.2.0_foreman")
        replies[.cgminer("version")] = .success(.bytes(Fixtures.bytes("braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman/version__2.json")))
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(adapter.family == .braiins)
        #expect(identification.firmware == "BOSminer 0.2.0-d360818")
        #expect(identification.model == nil)
        #expect(identification.support == .partial)
        let status = try adapter.parse(replies, identification: identification)
        expectClose(status.hashrate, 14_194_945.838709138e6, "MHS 1m")
        expectClose(status.hashrateAverage, 16_698_158.653278796e6, "MHS av")
        expectClose(status.tempBoardMax, 53, "board")
        #expect(status.tempChipMax == nil)  // `Chip` 0.0: no reading
        #expect(status.boards.map(\.index) == [6, 7, 8])
        #expect(status.fans.map(\.rpm) == [1560, 1560, 0, 0])
        #expect(status.pools.map(\.user) == ["antminer_1", "!non-existent-user!"])
        #expect(status.pools.map(\.status) == [.alive, .dead])
        #expect(adapter.readPlan(for: identification) == [.cgminer("summary+pools+devs+temps+fans+tunerstatus")])
    }

    @Test func identifiesThe2018BmminerBuild() throws {
        try DirectoryReader.check(DirectoryCase(
            dir: "braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman", family: .braiins, model: "S9",
            firmware: "Braiins OS bOS_am1-s9-20181127-0_c34516b0", identityOnly: true))
        let replies = Fixtures.replies("braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman")
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies))
        #expect(identification.hints["api"] == "bmminer")
        #expect(adapter.readPlan(for: identification) == [.cgminer("summary+pools+stats")])
    }

    @Test func devdetailsNamesTheModel() throws {
        var replies = Replies()
        replies.add(Probes.cgminerVersion, #"{"version":[{"STATUS":[{"STATUS":"S","Code":22,"Description":"BOSer boser-buildroot 0.1.0-75912fc7"}],"VERSION":[{"API":"3.7","BOSer":"boser-buildroot 0.1.0-75912fc7"}]}],"devdetails":[{"STATUS":[{"STATUS":"S","Code":69}],"DEVDETAILS":[{"DEVDETAILS":0,"Name":"Hashboard","ID":1,"Driver":"btm","Model":"Bitmain S19 XP"}]}],"id":1}"#)
        let identification = try #require(AdapterRegistry.standard.identify(replies)?.identification)
        #expect(identification.family == .braiins)
        #expect(identification.model == "S19 XP")
        #expect(identification.support == .full)
    }

    @Test func everyBraiinsDirectoryIsCovered() {
        // 4 GraphQL-era (version + gql), 3 REST, the S9 BOSminer captures and the 2018 build.
        #expect(Fixtures.directories(of: "braiins") == [
            "braiins/BOS-22.08-plus_unknown-model", "braiins/BOS-24.09_unknown-model", "braiins/BOS-25.03-plus_unknown-model",
            "braiins/BOS-25.05.1-plus_unknown-model", "braiins/S19-XP_BOS-25.07-plus", "braiins/S19-XP_BOS-25.11-plus",
            "braiins/S21-Pro_BOS-26.04-plus", "braiins/S9_BOSminer-0.2.0_foreman", "braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman",
        ])
    }
}
