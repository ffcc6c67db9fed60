import BitlinkCore
import Glibc
import Testing
@testable import BitlinkSim

/// Each family answers its probes the way its firmware does, from the captured bytes.
@Suite("Simulator protocols")
struct SimulatorProtocolTests {
    let ports = SimTestSupport.ports

    @Test("Antminer: version is the capture byte for byte plus NUL; HTTP is a digest challenge")
    func antminer() throws {
        let fleet = try SimTestSupport.fleet(["s19-pro"], subnet: "127.90.1.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(reply.end == .eof)
        #expect(reply.bytes == SimTestSupport.fixture("antminer/S19-Pro_stock-fw-CompileTime-2022-12-06/version.json") + [0])
        // The text form is read too.
        let text = try #require(SimTestClient.exchange(miner.address, ports.api, Array("version".utf8)))
        #expect(text.bytes == reply.bytes)
        let http = try #require(SimTestClient.httpGet(miner.address, ports.http, "/"))
        #expect(http.text.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(http.text.contains("WWW-Authenticate: Digest realm=\"antMiner Configuration\""))
        #expect(http.text.contains("Connection: close"))
        #expect(miner.ports[.whatsminerV3] == nil)
    }

    @Test("Hiveon answers devdetails with its captured access-denied reply")
    func hiveon() throws {
        let fleet = try SimTestSupport.fleet(["s19j-pro-hiveon"], subnet: "127.90.2.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "devdetails"))
        #expect(reply.payload == SimTestSupport.fixture("antminer/S19j-Pro_Hiveon-fw-2024-04/devdetails_ERROR-access-denied.json"))
    }

    @Test("Whatsminer v1/v2: get_version from the capture, version gets the invalid-cmd form, HTTP 307 to LuCI")
    func whatsminer() throws {
        let fleet = try SimTestSupport.fleet(["m3x"], subnet: "127.90.3.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let getVersion = try #require(SimTestClient.cgminer(miner.address, ports.api, "get_version"))
        #expect(getVersion.payload == SimTestSupport.fixture("whatsminer/M3x_fw20210322.22_api-v1.4.0/get_version.json"))
        let version = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(version.text == "{\"STATUS\":\"E\",\"When\":1750000000,\"Code\":14,\"Msg\":\"invalid cmd\",\"Description\":\"whatsminer v1.4.0\"}\u{0}")
        let summary = try #require(SimTestClient.cgminer(miner.address, ports.api, "summary"))
        #expect(summary.text.contains("\"MAC\":\"\(miner.mac)\""))
        let http = try #require(SimTestClient.httpGet(miner.address, ports.http, "/"))
        #expect(http.text.hasPrefix("HTTP/1.1 307 "))
        #expect(http.text.contains("Location: https://\(miner.address)/cgi-bin/luci\r\n"))
    }

    @Test("Whatsminer v3 on 4433: length-prefixed JSON, several requests on one connection")
    func whatsminerV3() throws {
        let fleet = try SimTestSupport.fleet(["m60s"], subnet: "127.90.4.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let fd = try #require(SimTestClient.connect(miner.address, ports.whatsminerV3))
        defer { close(fd) }
        let info = try #require(SimTestClient.v3(fd, "{\"cmd\":\"get.device.info\",\"param\":\"miner\"}"))
        let json = try #require(SimJSON.parse(info))
        #expect(json["msg"]?["miner"]?["type"]?.stringValue == "M60S_VK40")
        #expect(json["msg"]?["network"]?["mac"]?.stringValue == miner.mac.description)
        #expect(json["msg"]?["network"]?["ip"]?.stringValue == miner.address.description)
        let status = try #require(SimTestClient.v3(fd, "{\"cmd\":\"get.miner.status\",\"param\":\"summary\"}"))
        let summary = try #require(SimJSON.parse(status))
        #expect(summary["code"]?.intValue == 0)
        #expect((summary["msg"]?["summary"]?["hash-realtime"]?.doubleValue ?? 0) > 100)
        let write = try #require(SimTestClient.v3(fd, "{\"cmd\":\"set.miner.power\",\"param\":\"off\"}"))
        #expect(SimJSON.parse(write)?["code"]?.intValue != 0)
    }

    @Test("Avalon: wire capture with its own NUL, MAC rewritten in the device's style")
    func avalonWire() throws {
        let fleet = try SimTestSupport.fleet(["avalon-1246"], subnet: "127.90.5.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        var expected = String(decoding: SimTestSupport.fixture("avalon/AvalonMiner-1246-81_fw21030201/version.wire.txt"), as: UTF8.self)
        expected = expected.replacingOccurrences("b4a2eb345d4b", with: miner.mac.formatted(separator: "", uppercase: false))
        #expect(reply.text == expected)
        #expect(reply.bytes.filter { $0 == 0 }.count == 1)
        #expect(miner.ports[.http] == nil)
    }

    @Test("Avalon Mini 3: text captures answer text requests; JSON requests get the same data as JSON")
    func avalonText() throws {
        let fleet = try SimTestSupport.fleet(["avalon-mini3"], subnet: "127.90.6.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let text = try #require(SimTestClient.exchange(miner.address, ports.api, Array("version".utf8)))
        #expect(text.text.hasPrefix("STATUS=S,When=1742265580,Code=22,Msg=CGMiner versions"))
        #expect(text.text.contains("MAC=\(miner.mac.formatted(separator: "", uppercase: false))|"))
        let json = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        let parsed = try #require(SimJSON.parse(json.payload))
        #expect(parsed["VERSION"]?[0]?["PROD"]?.stringValue == "Avalon Mini3")
        #expect(parsed["STATUS"]?[0]?["Code"]?.intValue == 22)
        // The truncated stats capture stays truncated, in either form.
        let textStats = try #require(SimTestClient.exchange(miner.address, ports.api, Array("stats".utf8)))
        #expect(textStats.text.hasPrefix("STATUS=S,When=1742265634,Code=70"))
        #expect(textStats.text.hasSuffix("PCOMM\u{0}"))
        let stats = try #require(SimTestClient.cgminer(miner.address, ports.api, "stats"))
        #expect(stats.text.hasPrefix("{\"STATUS\":[{\"STATUS\":\"S\",\"When\":1742265634,\"Code\":70"))
        #expect(SimJSON.parse(stats.payload) == nil)
    }

    @Test("Avalon Nano 3: the e-mail-wrapped stats capture, unwrapped, answers JSON requests")
    func avalonNano() throws {
        let fleet = try SimTestSupport.fleet(["avalon-nano3"], subnet: "127.90.43.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let stats = try SimTestSupport.json(SimTestClient.cgminer(miner.address, ports.api, "stats"))
        #expect(stats["STATS"]?[0]?["ID"]?.stringValue == "AVANANO0")
        #expect(stats["STATS"]?[0]?["MM ID0"]?.stringValue?.hasPrefix("HashStatus[1] Ver[nano3-24071801_42c628d]") == true)
    }

    @Test("Braiins: BOSminer version from the capture, web page names Braiins OS")
    func braiins() throws {
        let fleet = try SimTestSupport.fleet(["s9-bosminer"], subnet: "127.90.7.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(reply.payload == SimTestSupport.fixture("braiins/S9_bOS-2018-bmminer_and_BOSminer-0.2.0_foreman/version__2.json"))
        let page = try #require(SimTestClient.httpGet(miner.address, ports.http, "/"))
        #expect(page.text.hasPrefix("HTTP/1.1 200 OK"))
        #expect(page.text.contains("Braiins OS"))
    }

    @Test("AxeOS: /api/system/asic byte for byte, /api/system/info live, 404 otherwise")
    func axeos() throws {
        let fleet = try SimTestSupport.fleet(["bitaxe-supra"], subnet: "127.90.8.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        #expect(miner.ports[.api] == nil)
        let asic = try #require(SimTestClient.httpGet(miner.address, ports.http, "/api/system/asic"))
        #expect(SimTestClient.body(asic.bytes) == SimTestSupport.fixture("bitaxe/Supra-BM1368_AxeOS-2025-08/api_system_asic.json"))
        #expect(asic.text.contains("Content-Length: 272\r\n"))
        let info = try #require(SimTestClient.httpGet(miner.address, ports.http, "/api/system/info"))
        let json = try #require(SimJSON.parse(SimTestClient.body(info.bytes)))
        #expect(json["ASICModel"]?.stringValue == "BM1368")
        #expect(json["macAddr"]?.stringValue == miner.mac.description)
        #expect((json["hashRate"]?.doubleValue ?? 0) > 500)
        let missing = try #require(SimTestClient.httpGet(miner.address, ports.http, "/nope"))
        #expect(missing.text.hasPrefix("HTTP/1.1 404 "))
    }

    @Test("NerdQAxe and NMMiner answer their HTTP probes")
    func homeMiners() throws {
        let fleet = try SimTestSupport.fleet(["nerdqaxe-plus-plus", "nmminer"], subnet: "127.90.9.0/24")
        defer { fleet.stop() }
        let nerd = try fleet.miner(SimTestSupport.index(of: "nerdqaxe-plus-plus", in: fleet))
        let info = try #require(SimTestClient.httpGet(nerd.address, ports.http, "/api/system/info"))
        #expect(SimJSON.parse(SimTestClient.body(info.bytes))?["deviceModel"]?.stringValue == "NerdQAxe++")
        let nm = try fleet.miner(SimTestSupport.index(of: "nmminer", in: fleet))
        let probe = try #require(SimTestClient.httpGet(nm.address, ports.http, "/probe"))
        #expect(SimJSON.parse(SimTestClient.body(probe.bytes))?["model"]?.stringValue == "NMMiner")
        let system = try #require(SimTestClient.httpGet(nm.address, ports.http, "/api/system/info"))
        #expect(SimJSON.parse(SimTestClient.body(system.bytes))?["identity"]?["hwModel"]?.stringValue == "NMMiner")
    }

    @Test("generic CGMiner firmwares answer from their captures", arguments: [
        ("auradine-at1500", "version", "auradine/AT1500_FluxOS-2023/version.json"),
        ("sealminer", "version", "sealminer/Sealminer_bdminer-4.11.1/version.json"),
        ("cheetah-f9", "devdetails", "cheetah/Cheetah-F9_cgminer-4.10.0/devdetails.json"),
        ("innosilicon-a9-zmaster", "pools", "innosilicon/A9-ZMaster_sgminer-4.4.2_foreman/pools.json"),
    ])
    func generic(_ model: String, _ command: String, _ fixture: String) throws {
        let fleet = try SimTestSupport.fleet([model], subnet: "127.90.\(10 + model.count).0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, command))
        #expect(reply.payload == SimTestSupport.fixture(fixture))
        #expect(reply.bytes.last == 0)
    }

    @Test("multi-command: each member verbatim in a one-element array, malformed members stay malformed")
    func multiCommand() throws {
        let fleet = try SimTestSupport.fleet(["s9-hiveon"], subnet: "127.90.40.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version+stats+version+nosuch"))
        let version = SimTestSupport.fixture("antminer/S9_Hiveon_foreman/version.json")
        let text = reply.text
        #expect(text.hasPrefix("{\"version\":[" + String(decoding: version, as: UTF8.self) + "],\"stats\":[{"))
        #expect(text.contains("}{"), "the stats member keeps the firmware's missing comma")
        #expect(text.contains("],\"nosuch\":[{\"STATUS\":[{\"STATUS\":\"E\",\"When\":1750000000,\"Code\":14,"))
        #expect(text.hasSuffix("],\"id\":1}\u{0}"))
        #expect(text.components("\"version\":[").count == 2, "duplicates collapsed")
    }

    @Test("a captured multi-command reply is served as the firmware sent it")
    func capturedMulti() throws {
        let fleet = try SimTestSupport.fleet(["avalon-a1047"], subnet: "127.90.41.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "pools+summary+stats"))
        #expect(reply.text.hasPrefix("{\"summary\":[{\"STATUS\":[{\"STATUS\":\"S\",\"When\":168,"))
    }

    @Test("unknown command gets Code 14, privileged ones Code 45")
    func errors() throws {
        let fleet = try SimTestSupport.fleet(["s19-pro", "avalon-q"], subnet: "127.90.42.0/24")
        defer { fleet.stop() }
        let antminer = try fleet.miner(SimTestSupport.index(of: "s19-pro", in: fleet))
        let unknown = try #require(SimTestClient.cgminer(antminer.address, ports.api, "nosuch"))
        #expect(unknown.text == "{\"STATUS\":[{\"STATUS\":\"E\",\"When\":1750000000,\"Code\":14,\"Msg\":\"Invalid command\",\"Description\":\"cgminer 1.0.0\"}],\"id\":1}\u{0}")
        let denied = try #require(SimTestClient.cgminer(antminer.address, ports.api, "restart"))
        #expect(denied.text.contains("\"Code\":45,\"Msg\":\"Access denied to 'restart' command\""))
        let badJSON = try #require(SimTestClient.exchange(antminer.address, ports.api, Array("{\"command\":}".utf8)))
        #expect(badJSON.text.contains("\"Code\":23"))
        let avalon = try fleet.miner(SimTestSupport.index(of: "avalon-q", in: fleet))
        let avalonUnknown = try #require(SimTestClient.cgminer(avalon.address, ports.api, "nosuch"))
        #expect(avalonUnknown.text == "{\"STATUS\":[{\"STATUS\":\"E\",\"When\":1750000000,\"Code\":14,\"Msg\":\"Invalid command\"}],\"id\":1}\u{0}")
        let ascset = try #require(SimTestClient.exchange(avalon.address, ports.api, Array("{\"command\":\"ascset\",\"parameter\":\"0,help\"}".utf8)))
        #expect(ascset.text.contains("\"Code\":45"))
    }
}

extension String {
    func components(_ separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
