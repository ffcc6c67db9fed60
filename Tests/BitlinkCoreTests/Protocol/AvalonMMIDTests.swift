import Testing

@testable import BitlinkCore

@Suite("Avalon MM ID strings and JSONP")
struct AvalonMMIDTests {
    @Test func readsTokensWithSpacesListsAndPercentages() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/AvalonMiner-1566-194_fw24102401/stats.json"))
        let text = try #require(reply.first("STATS")?["MM ID0"]?.stringValue)
        let mm = AvalonMMID.parse(text)
        #expect(!mm.isTruncated)
        #expect(mm["Ver"] == "15-194-24102401_25462b2_9ddf522")
        #expect(mm["SYSTEMSTATU"] == "Work: In Work, Hash Board: 3 ")
        #expect(mm.number("GHSspd") == 199_241.07)
        #expect(mm.number("GHSmm") == 201_920.42)
        #expect(mm.number("WALLPOWER") == 3731)
        #expect(mm.number("FanR") == 49)
        #expect(mm.number("DH") == 1.299)
        #expect(mm.numbers("MGHS") == [59_459.52, 61_407.83, 63_139.66])
        #expect(mm.numbers("MTmax") == [77, 78, 77])
        #expect(mm.numbers("PVT_T0").count == 160)
        #expect(mm["FACOPTS0"] == "")
        #expect(mm["ATAOPTS0"] == "--avalon10-freq 240:258:279:300 --avalon10-voltage-level 1180 --hash-asic 160")
        #expect(mm.number("WORKMODE") == 1)
        #expect(mm["SYSTEMSTATU:"] == nil)
    }

    @Test func readsKeysWithSpaces() {
        let mm = AvalonMMID.parse("MPO[800] CALIALL[7] ADJ[1] Nonce Mask[25]")
        #expect(mm.fields.map(\.key) == ["MPO", "CALIALL", "ADJ", "Nonce Mask"])
        #expect(mm.number("Nonce Mask") == 25)
    }

    @Test func unwrapsTheAvalonQSummaryGroup() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/Avalon-Q_fw25052801/stats.json"))
        let stats = try #require(reply.first("STATS"))
        let summary = AvalonMMID.parse(try #require(stats["MM ID0:Summary"]?.stringValue))
        #expect(!summary.isTruncated)
        #expect(summary["Ver"] == "Q-25052801_14a19a2")
        #expect(summary["SYSTEMSTATU"] == "Work: In Idle, Hash Board: 1")
        #expect(summary.number("GHSspd") == 0)
        #expect(summary.number("GHSmm") == 55_032.79)
        #expect(summary.number("SoftOFF") == 4)
        #expect(summary.number("ITemp") == 26)
        #expect(summary.number("HBOTemp") == 27)
        #expect(summary.number("Nonce Mask") == 25)
        #expect(summary.numbers("PS") == [0, 1222, 4, 0, 0, 2245, 146])

        let groups = AvalonMMID.groups(in: try #require(stats["HBinfo"]?.stringValue))
        #expect(groups.count == 1)
        #expect(groups[0].name == "HB0")
        #expect(groups[0].fields.numbers("PVT_T0").count == 160)
        #expect(groups[0].fields.numbers("PVT_T0").max() == 71)
        #expect(groups[0].fields.numbers("MW0").first == 526)
    }

    @Test func readsSeveralGroups() {
        let groups = AvalonMMID.groups(in: "'HB0':{PVT_T0[1 2] MW0[3]} 'HB1':{PVT_T1[4 5]}")
        #expect(groups.map(\.name) == ["HB0", "HB1"])
        #expect(groups[1].fields.numbers("PVT_T1") == [4, 5])
        #expect(AvalonMMID.parse("'HB0':{A[1]} 'HB1':{B[2]}").fields.map(\.key) == ["A", "B"])
    }

    @Test func keepsCompleteTokensOfACutString() throws {
        // The Mini 3 capture is cut inside `PCOMM_E[...`.
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/Mini3_fw25011701/stats_TRUNCATED.txt"), salvage: true)
        let mm = AvalonMMID.parse(try #require(reply.first("STATS")?["MM ID0"]?.stringValue))
        #expect(mm.number("TMax") == 86)
        #expect(mm.number("OTemp") == 63)
        #expect(mm.numbers("PS") == [0, 1210, 2083, 37, 760, 2085, 824])

        let cut = AvalonMMID.parse("Ver[1] GHSspd[2630.98] PCOMM_E[0 1")
        #expect(cut.isTruncated)
        #expect(cut.fields.map(\.key) == ["Ver", "GHSspd"])
        #expect(AvalonMMID.parse("Ver[1] PCOMM").isTruncated)
        #expect(AvalonMMID.parse("'STATS':{Ver[1] GHS").isTruncated)
    }

    @Test func readsTheOldMultiModuleForm() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/A7xx_foreman/stats.json"))
        let first = try #require(reply.first("STATS"))
        let module = AvalonMMID.parse(try #require(first["MM ID1"]?.stringValue))
        #expect(module.number("GHSmm") == 6836.48)
        #expect(module.number("Fan") == 2550)
        #expect(module.number("TMax") == 89)
        #expect(module.numbers("MW") == [1289, 1298, 1302, 1245])
    }

    // MARK: JSONP

    @Test func unwrapsJSONPWithSloppyJSONInside() throws {
        let (callback, value) = try JSONP.parse(Fixtures.bytes("avalon/A1047_web-cgi_foreman/http_get_minerinfo.cgi.txt"))
        #expect(callback == "minerinfoCallback")
        #expect(value["hwtype"] == "AvalonMiner 1047")
        #expect(value["mac"] == "b4:a2:eb:31:2f:7c")
        #expect(value["sys_status"] == "1")

        let dashboard = try JSONP.parse(Fixtures.bytes("avalon/A1047_web-cgi_foreman/http_updatedashboard.cgi.txt"))
        #expect(dashboard.callback == "DashboardCallback")
        #expect(dashboard.value["version"] == "20051101_85dc6f0_0332654")
    }

    @Test func jsonpErrors() {
        #expect(throws: ProtocolError.empty) { try JSONP.unwrap(Array("  ".utf8)) }
        #expect(throws: ProtocolError.self) { try JSONP.unwrap(Array("{\"a\":1}".utf8)) }
        #expect(throws: ProtocolError.truncated(offset: 10)) { try JSONP.unwrap(Array("cb({\"a\":1}".utf8)) }
        #expect(throws: ProtocolError.self) { try JSONP.unwrap(Array("cb({}) <b>".utf8)) }
        #expect(throws: ProtocolError.self) { try JSONP.unwrap(Array("<html>".utf8)) }
    }
}
