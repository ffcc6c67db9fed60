import Testing

@testable import BitlinkCore

@Suite("CGMiner reply envelope")
struct CGMinerReplyTests {
    @Test func readsTheClassicEnvelope() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("antminer/S19-Pro_stock-fw-CompileTime-2022-12-06/summary.json"))
        let status = try #require(reply.status)
        #expect(status.severity == .success)
        #expect(status.code == 11)
        #expect(status.message == "Summary")
        #expect(status.description == "cgminer 1.0.0")
        #expect(status.when == 1_755_615_295)
        #expect(reply.id == 1)
        #expect(reply.sections.map(\.name) == ["SUMMARY"])
        #expect(reply.first("summary")?["GHS 5s"] == .double(110_566.89))
    }

    @Test func code45IsATypedNotPermittedStatus() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("antminer/S19j-Pro_Hiveon-fw-2024-04/devdetails_ERROR-access-denied.json"))
        let status = try #require(reply.status)
        #expect(status.severity == .error)
        #expect(status.code == 45)
        #expect(status.isNotPermitted)
        #expect(!status.isInvalidCommand)
        #expect(status.message == "Access denied to 'devdetails' command")
        #expect(reply.sections.isEmpty)
    }

    @Test func code14IsAnInvalidCommandWithoutDescription() throws {
        // Avalon Q error replies have no Description.
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/Avalon-Q_fw25052801/minerstats_ERROR-invalid-command.json"))
        let status = try #require(reply.status)
        #expect(status.isInvalidCommand)
        #expect(!status.isNotPermitted)
        #expect(status.description == nil)
        #expect(status.code == 14)
    }

    @Test func readsTheShortWhatsminerStatus() throws {
        // btminer devdetails/summary STATUS has only STATUS and Msg.
        let reply = try CGMinerReply.decode(Fixtures.bytes("whatsminer/M30S+_VE40_fw-2024-09-30/devdetails.json"))
        #expect(reply.status == CGMinerStatus(severity: .success, message: "Device Details"))
        #expect(reply.section("DEVDETAILS").count == 3)
        #expect(reply.section("devdetails")[0]["Model"] == "M30S+_VE40")
    }

    @Test func readsTheWhatsminerFlatEnvelope() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("whatsminer/M31S_sleeping_foreman/status.json"))
        #expect(reply.status?.severity == .success)
        #expect(reply.status?.code == 131)
        #expect(reply.status?.description == "whatsminer v1.3")
        #expect(reply.status?.message == nil)
        #expect(reply.message?["btmineroff"] == "true")
        #expect(reply.message?["Firmware Version"] == "'20210109.22.REL'")
        #expect(reply.sections.isEmpty)

        let version = try CGMinerReply.decode(Fixtures.bytes("whatsminer/M3x_fw20210322.22_api-v1.4.0/get_version.json"))
        #expect(version.message?["fw_ver"] == "20210322.22.REL")

        // The flat error form keeps Msg as text.
        let error = try CGMinerReply.decode(Array(#"{"STATUS":"E","When":1,"Code":14,"Msg":"invalid cmd","Description":"whatsminer v1.1"}"#.utf8))
        #expect(error.status?.isInvalidCommand == true)
        #expect(error.status?.message == "invalid cmd")
        #expect(error.message == nil)
    }

    @Test func readsTheAntminerNewAPIEnvelope() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("antminer/S19-Pro+_stock-fw-2023-03-11/http_cgi-bin_stats.cgi.json"))
        // The capture's author replaced "S" with "string": the letter is unknown.
        #expect(reply.status?.severity == .unknown)
        #expect(reply.status?.when == 1_703_024_668)
        #expect(reply.first("INFO")?["type"] == "Antminer S19Pro+")
        #expect(reply.first("STATS")?["rate_unit"] == "GH/s")
        #expect(reply.first("STATS")?["chain"]?.arrayValue?.count == 3)
    }

    @Test func mergesNumberedSectionsOfOldSgminer() throws {
        let pools = try CGMinerReply.decode(Fixtures.bytes("innosilicon/A9-ZMaster_sgminer-4.4.2_foreman/pools.json"))
        #expect(pools.section("POOLS").map { $0["URL"]?.stringValue } == ["stratum+tcp://zcl.suprnova.cc:4042", "stratum+tcp://zcl.suprnova.cc:4043"])
        let stats = try CGMinerReply.decode(Fixtures.bytes("innosilicon/A9-ZMaster_sgminer-4.4.2_foreman/stats.json"))
        #expect(stats.section("STATS").count == 4)
        #expect(stats.section("STATS")[2]["Temp"] == .double(45))
    }

    @Test func aReplyWithoutStatusIsNotACGMinerReply() {
        #expect(throws: ProtocolError.self) { try CGMinerReply.decode(Fixtures.bytes("nmminer/NMMiner-ESP32_fw2.1.0_doc-example/probe.json")) }
        #expect(throws: ProtocolError.self) { try CGMinerReply.decode(Array("[1,2]".utf8)) }
        #expect(throws: ProtocolError.self) { try CGMinerReply.decode(Fixtures.bytes("antminer/S9i_bmminer-2.4.2_bad-password_foreman/http_cgi-bin_get_network_info.cgi.txt")) }
    }

    // MARK: Multi-command

    @Test func splitsAMultiCommandReplyIntoOneReplyPerCommand() throws {
        let multi = try CGMinerMultiReply.decode(
            Fixtures.bytes("avalon/A1047_foreman/pools+summary+stats.json"), commands: ["pools", "summary", "stats"])
        #expect(multi.failure == nil)
        #expect(Set(multi.members.keys) == ["pools", "summary", "stats"])
        #expect(multi["summary"]?.status?.code == 11)
        #expect(multi["pools"]?.status?.code == 7)
        #expect(multi["pools"]?.section("POOLS").count == 3)
        #expect(multi["STATS"]?.first("STATS")?["ID"] == "AVA100")
    }

    @Test func anInvalidMemberSpoilsOnlyItself() throws {
        let text = #"""
            {"version":[{"STATUS":[{"STATUS":"S","When":1,"Code":22,"Msg":"CGMiner versions","Description":"cgminer 1.0.0"}],"VERSION":[{"Type":"Antminer S19"}],"id":1}],
             "devdetails":[{"STATUS":[{"STATUS":"E","When":1,"Code":45,"Msg":"Access denied to 'devdetails' command","Description":"cgminer 1.0.0"}],"id":1}],"id":1}
            """#
        let multi = try CGMinerMultiReply.decode(Array(text.utf8), commands: ["version", "devdetails"])
        #expect(multi.failure == nil)
        #expect(multi["version"]?.isSuccess == true)
        #expect(multi["version"]?.first("VERSION")?["Type"] == "Antminer S19")
        #expect(multi["devdetails"]?.status?.isNotPermitted == true)
    }

    @Test func aSingleErrorMeansNoMultiCommandSupport() throws {
        // Whatsminer M31S answered `pools+summary+edevs` with one E status.
        let multi = try CGMinerMultiReply.decode(
            Fixtures.bytes("whatsminer/M31S_sleeping_foreman/pools+summary+edevs.json"), commands: ["pools", "summary", "edevs"])
        #expect(multi.members.isEmpty)
        #expect(multi.failure?.severity == .error)
        #expect(multi.failure?.code == 24)
        #expect(multi.failure?.message == "Missing JSON 'command'")
    }

    @Test func readsMembersGivenAsBareObjects() throws {
        // The API-README shape: members are objects, not one-element arrays.
        let text = #"{"summary":{"STATUS":[{"STATUS":"S","Code":11}],"SUMMARY":[{"MHS av":1.0}]},"pools":{"STATUS":[{"STATUS":"S","Code":7}],"POOLS":[]},"id":1}"#
        let multi = try CGMinerMultiReply.decode(Array(text.utf8), commands: ["summary", "pools"])
        #expect(multi["summary"]?.first("SUMMARY")?["MHS av"] == .double(1))
        #expect(multi["pools"]?.section("POOLS").isEmpty == true)
    }

    @Test func missingCommaInsideAMultiCommandReplyIsRepaired() throws {
        // `}{` in the STATS array of a `summary+stats+pools` reply (Antminer D3 Blissz, minera #194).
        let text = #"{"summary":[{"STATUS":[{"STATUS":"S","Code":11}],"SUMMARY":[{"GHS 5s":"16346.64"}],"id":1}],"stats":[{"STATUS":[{"STATUS":"S","Code":70}],"STATS":[{"Type":"Antminer D3 Blissz v2.06 beta"}{"STATS":0,"GHS 5s":"16346.64"}],"id":1}],"id":1}"#
        let multi = try CGMinerMultiReply.decode(Array(text.utf8), commands: ["summary", "stats"])
        #expect(multi["stats"]?.section("STATS").count == 2)
        #expect(multi["summary"]?.first("SUMMARY")?["GHS 5s"]?.doubleValue == 16_346.64)
    }

    // MARK: Text form

    @Test func readsTheTextForm() throws {
        let version = try CGMinerReply.decode(Fixtures.bytes("avalon/Mini3_fw25011701/version.txt"))
        #expect(version.status == CGMinerStatus(
            severity: .success, code: 22, message: "CGMiner versions", description: "cgminer 4.11.1", when: 1_742_265_580))
        let object = try #require(version.first("VERSION"))
        #expect(object["PROD"] == "Avalon Mini3")
        #expect(object["MODEL"] == "Mini3")
        #expect(object["MAC"] == "e0e1a93e2c7d")
        #expect(object.keys.first == "CGMiner")

        let devdetails = try CGMinerReply.decode(Fixtures.bytes("avalon/Mini3_fw25011701/devdetails.txt"))
        let device = try #require(devdetails.first("DEVDETAILS"))
        #expect(device["DEVDETAILS"] == "0")
        #expect(device["Driver"] == "avalon")
        #expect(device["Model"] == "")
        #expect(device["Device Path"] == "")
    }

    @Test func textFormEscapes() throws {
        let text = #"STATUS=S,When=1,Code=7,Msg=1 Pool(s),Description=cgminer 4.11.1|POOL=0,URL=stratum+tcp://a\,b:3333,User=x\|y\=z\\w,Status=Alive|"#
        let reply = try CGMinerReply.decode(Array(text.utf8))
        let pool = try #require(reply.first("POOLS"))
        #expect(pool["URL"] == "stratum+tcp://a,b:3333")
        #expect(pool["User"] == #"x|y=z\w"#)
        #expect(pool["POOL"] == "0")
        #expect(reply.status?.code == 7)
    }

    @Test func aCutTextReplyIsTruncatedUnlessSalvaged() throws {
        let bytes = Fixtures.bytes("avalon/Mini3_fw25011701/stats_TRUNCATED.txt")
        #expect(throws: ProtocolError.truncated(offset: bytes.count)) { try CGMinerReply.decode(bytes) }
        let reply = try CGMinerReply.decode(bytes, salvage: true)
        let stats = try #require(reply.first("STATS"))
        #expect(stats["ID"] == "AVALON0")
        #expect(stats["Elapsed"]?.doubleValue == 32_260)
        // The MM string is kept up to its last complete token: `PS[...]`, not the cut `PCOMM`.
        let mm = try #require(stats["MM ID0"]?.stringValue)
        #expect(mm.hasSuffix("PS[0 1210 2083 37 760 2085 824]"))
    }

    @Test func textReplyErrors() {
        #expect(throws: ProtocolError.empty) { try CGMinerTextReply.decode([]) }
        #expect(throws: ProtocolError.self) { try CGMinerTextReply.decode(Array("hello|".utf8)) }
        #expect(throws: ProtocolError.truncated(offset: 12)) { try CGMinerTextReply.decode(Array("STATUS=S,Whe".utf8)) }
    }
}
