import BitlinkCore
import Glibc
import Testing
@testable import BitlinkSim

/// Live values, reboots, moves, the manifest, the request log and fleet scale.
@Suite("Simulator live values and control")
struct SimulatorLiveTests {
    let ports = SimTestSupport.ports

    private func summary(_ miner: SimulatedMiner) throws -> JSONValue {
        let json = try SimTestSupport.json(SimTestClient.cgminer(miner.address, ports.api, "summary"))
        return try #require(json["SUMMARY"]?[0])
    }

    @Test("share counters and uptime rise with sim time; a reboot resets them")
    func counters() throws {
        let fleet = try SimTestSupport.fleet(["s19-pro"], subnet: "127.92.1.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        let start = try summary(miner)
        #expect(start["Elapsed"]?.intValue == 50474)
        #expect(start["Accepted"]?.intValue == 4057)
        fleet.advance(seconds: 600)
        let later = try summary(miner)
        #expect(later["Elapsed"]?.intValue == 50474 + 600)
        let accepted = try #require(later["Accepted"]?.intValue)
        #expect(accepted > 4057)
        let difficulty = try #require(later["Difficulty Accepted"]?.doubleValue)
        #expect(difficulty == 1305083904 + Double(accepted - 4057) * 65536)
        #expect((later["Rejected"]?.intValue ?? 0) >= 11)
        // Hashrate jitters around the capture's value.
        let hashrate = try #require(later["GHS 5s"]?.doubleValue)
        #expect(abs(hashrate - 110566.89) / 110566.89 <= 0.02)
        // Same sim time, same bytes.
        #expect(try summary(miner) == later)

        try fleet.reboot(0)
        let rebooted = try summary(miner)
        #expect(rebooted["Elapsed"]?.intValue == 0)
        #expect(rebooted["Accepted"]?.intValue == 0)
        fleet.advance(seconds: 300)
        let afterReboot = try summary(miner)
        #expect(afterReboot["Elapsed"]?.intValue == 300)
        #expect((afterReboot["Accepted"]?.intValue ?? 0) > 0)
        #expect((afterReboot["Accepted"]?.intValue ?? 0) < accepted)
    }

    @Test("AxeOS uptime and shares move too; temperatures stay near the capture")
    func axeosLive() throws {
        let fleet = try SimTestSupport.fleet(["nerdqaxe-plus-plus"], subnet: "127.92.2.0/24")
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        fleet.advance(seconds: 1000)
        let info = try SimTestSupport.httpJSON(SimTestClient.httpGet(miner.address, ports.http, "/api/system/info"))
        #expect((info["sharesAccepted"]?.intValue ?? 0) > 3492)
        let temp = try #require(info["temp"]?.doubleValue)
        #expect(abs(temp - 59.875) < 3)
    }

    @Test("periodic reboots (rebooting fault) restart uptime deterministically")
    func rebooting() throws {
        let fleet = try SimTestSupport.fleet(["s19-pro"], subnet: "127.92.3.0/24", faults: [0: [.rebooting]])
        defer { fleet.stop() }
        let miner = try fleet.miner(0)
        fleet.advance(seconds: MinerState.rebootPeriod * 2 + 1)
        let elapsed = try #require(try summary(miner)["Elapsed"]?.intValue)
        #expect(elapsed <= Int(MinerState.rebootPeriod))
    }

    @Test("a miner moves to another address and keeps its MAC")
    func move() throws {
        let fleet = try SimTestSupport.fleet(["m3x"], subnet: "127.92.4.0/24")
        defer { fleet.stop() }
        let before = try fleet.miner(0)
        let target = IPv4Address(127, 92, 4, 200)
        try fleet.move(0, to: target)
        let after = try fleet.miner(0)
        #expect(after.address == target)
        #expect(after.mac == before.mac)
        #expect(SimTestClient.connectFailure(before.address, ports.api, timeoutMs: 300) == .error(ECONNREFUSED))
        let summary = try #require(SimTestClient.cgminer(target, ports.api, "summary"))
        #expect(summary.text.contains("\"MAC\":\"\(before.mac)\""))
        #expect(throws: SimError.notLoopback("10.1.2.3")) { try fleet.move(0, to: IPv4Address(10, 1, 2, 3)) }
    }

    @Test("manifest lists every miner; the log records exactly what was sent")
    func manifestAndLog() throws {
        let logPath = "/tmp/bitlink-sim-test-log-\(getpid()).ndjson"
        defer { unlink(logPath) }
        let fleet = try SimTestSupport.fleet(["s19-pro", "bitaxe-supra", "m60s"], subnet: "127.92.5.0/24", logPath: logPath)
        defer { fleet.stop() }
        let manifest = fleet.manifest()
        let miners = try #require(manifest["miners"]?.arrayValue)
        #expect(miners.count == 3)
        for entry in miners {
            let index = try #require(entry["index"]?.intValue)
            let miner = try fleet.miner(index)
            #expect(entry["address"]?.stringValue == miner.address.description)
            #expect(entry["fixture_dir"]?.stringValue == miner.model.fixtureDirectory)
            #expect(entry["family"]?.stringValue == miner.family.rawValue)
            #expect(entry["mac"]?.stringValue == miner.mac.description)
        }
        let bitaxe = try #require(miners.first { $0["model_name"]?.stringValue == "bitaxe-supra" })
        #expect(bitaxe["ports"]?["api"]?.isNull == true)
        #expect(bitaxe["ports"]?["http"]?.intValue == Int(ports.http))
        #expect(bitaxe["expected_mac"]?.stringValue != nil)
        let antminer = try #require(miners.first { $0["model_name"]?.stringValue == "s19-pro" })
        #expect(antminer["expected_mac"]?.isNull == true, "stock S19 API replies carry no MAC")

        let s19 = try fleet.miner(SimTestSupport.index(of: "s19-pro", in: fleet))
        let request = "{\"command\":\"version+devdetails\"}"
        _ = SimTestClient.exchange(s19.address, ports.api, Array(request.utf8))
        let axe = try fleet.miner(SimTestSupport.index(of: "bitaxe-supra", in: fleet))
        _ = SimTestClient.httpGet(axe.address, ports.http, "/api/system/info")
        let log = fleet.requestLog
        #expect(log.count == 2)
        #expect(log[0].request == request)
        #expect(log[0].command == "version+devdetails")
        #expect(log[0].proto == "cgminer")
        #expect(log[0].address == s19.address.description)
        #expect(log[0].port == ports.api)
        #expect(log[1].command == "GET /api/system/info")
        #expect(log[1].request.hasPrefix("GET /api/system/info HTTP/1.1\r\n"))
        let lines = String(decoding: SimTestSupport.read(logPath), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(SimJSON.parse(Array(lines[0].utf8)))
        #expect(first["request"]?.stringValue == request)
        #expect(first["protocol"]?.stringValue == "cgminer")
        #expect(first["address"]?.stringValue == s19.address.description)
        #expect(first["time"]?.doubleValue != nil)
    }

    @Test("250 miners start, answer and stop cleanly")
    func scale() throws {
        let fleet = try Fleet.start(FleetConfig(
            count: 250, mix: .standard, subnet: try LoopbackSubnet(parsing: "127.92.16.0/20"), layout: .scattered,
            seed: 11, ports: ports, clock: .manual, fixturesRoot: SimTestSupport.fixturesRoot))
        let miners = fleet.miners
        #expect(miners.count == 250)
        #expect(Set(miners.map(\.address)).count == 250)
        #expect(Set(miners.map(\.mac)).count == 250)
        #expect(Set(miners.map(\.family)).count >= 7)
        var answered = 0
        for miner in miners.prefix(40) {
            if let port = miner.ports[.api], let reply = SimTestClient.cgminer(miner.address, port, "version"), !reply.bytes.isEmpty {
                answered += 1
            } else if let port = miner.ports[.http], let reply = SimTestClient.httpGet(miner.address, port, "/"), !reply.bytes.isEmpty {
                answered += 1
            }
        }
        #expect(answered == 40)
        fleet.stop()
        fleet.stop()
        let first = try #require(miners.first { $0.ports[.api] != nil })
        #expect(SimTestClient.connectFailure(first.address, ports.api, timeoutMs: 300) == .error(ECONNREFUSED))
    }
}
