import BitlinkCore
import Glibc
import Testing
@testable import BitlinkSim

/// Every fault mode, observed from a raw client. Sim time is driven by hand; the only
/// waits are short bounded timeouts that prove something does NOT arrive.
@Suite("Simulator faults")
struct SimulatorFaultTests {
    let ports = SimTestSupport.ports
    let versionBytes = SimTestSupport.fixture("antminer/S19-Pro_stock-fw-CompileTime-2022-12-06/version.json") + [0]

    private func fleet(_ subnet: String, _ fault: Fault, model: String = "s19-pro", oversize: Int = 64 << 20) throws -> (Fleet, SimulatedMiner) {
        let fleet = try SimTestSupport.fleet([model], subnet: subnet, faults: [0: [fault]], oversize: oversize)
        return (fleet, try fleet.miner(0))
    }

    @Test("dead: a SYN is never answered, connect times out (not refused)")
    func dead() throws {
        let (fleet, miner) = try fleet("127.91.1.0/24", .dead)
        defer { fleet.stop() }
        #expect(SimTestClient.connectFailure(miner.address, ports.api, timeoutMs: 300) == .timeout)
        #expect(SimTestClient.connectFailure(miner.address, ports.http, timeoutMs: 300) == .timeout)
        // A port the miner does not have is refused: the host itself is there on loopback.
        #expect(SimTestClient.connectFailure(miner.address, ports.whatsminerV3, timeoutMs: 300) == .error(ECONNREFUSED))
        try fleet.setFault(0, nil)
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(reply.bytes == versionBytes)
    }

    @Test("hold: accepts and reads the request, never answers")
    func hold() throws {
        let (fleet, miner) = try fleet("127.91.2.0/24", .hold)
        defer { fleet.stop() }
        let fd = try #require(SimTestClient.connect(miner.address, ports.api))
        defer { close(fd) }
        SimTestClient.send(fd, Array("{\"command\":\"version\"}".utf8))
        let result = SimTestClient.read(fd, timeoutMs: 300)
        #expect(result.bytes.isEmpty)
        #expect(result.end == .timeout)
        #expect(fleet.requestLog.map(\.command) == ["version"])
    }

    @Test("drip: one byte per sim second")
    func drip() throws {
        let (fleet, miner) = try fleet("127.91.3.0/24", .drip)
        defer { fleet.stop() }
        let fd = try #require(SimTestClient.connect(miner.address, ports.api))
        defer { close(fd) }
        SimTestClient.send(fd, Array("{\"command\":\"version\"}".utf8))
        #expect(SimTestClient.read(fd, timeoutMs: 200).bytes.isEmpty)
        fleet.advance(seconds: 3)
        let first = SimTestClient.read(fd, timeoutMs: 2000, stopAt: { $0.count >= 3 })
        #expect(first.bytes == Array(versionBytes.prefix(3)))
        fleet.advance(seconds: 1)
        let fourth = SimTestClient.read(fd, timeoutMs: 2000, stopAt: { $0.count >= 1 })
        #expect(fourth.bytes == [versionBytes[3]])
        fleet.advance(seconds: Double(versionBytes.count))
        let rest = SimTestClient.read(fd, timeoutMs: 2000)
        #expect(rest.bytes == Array(versionBytes.dropFirst(4)))
        #expect(rest.end == .eof)
    }

    @Test("reset: half the reply, then a reset")
    func reset() throws {
        let (fleet, miner) = try fleet("127.91.4.0/24", .reset)
        defer { fleet.stop() }
        let result = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(result.end == .reset)
        #expect(result.bytes.count <= versionBytes.count / 2)
        #expect(Array(versionBytes.prefix(result.bytes.count)) == result.bytes)
    }

    @Test("truncated (malformed): a cut reply without NUL")
    func truncated() throws {
        let (fleet, miner) = try fleet("127.91.5.0/24", .truncated)
        defer { fleet.stop() }
        let result = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(result.end == .eof)
        #expect(!result.bytes.isEmpty && result.bytes.count < versionBytes.count - 1)
        #expect(Array(versionBytes.prefix(result.bytes.count)) == result.bytes)
        #expect(SimJSON.parse(result.payload) == nil)
    }

    @Test("garbage (malformed): bytes that are not JSON, then NUL; HTTP keeps a valid head")
    func garbage() throws {
        let (fleet, miner) = try fleet("127.91.6.0/24", .garbage)
        defer { fleet.stop() }
        let result = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(result.bytes.last == 0)
        #expect(SimJSON.parse(result.payload) == nil)
        #expect(result.payload != Array(versionBytes.dropLast()))
        let http = try #require(SimTestClient.httpGet(miner.address, ports.http, "/"))
        #expect(http.text.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(SimJSON.parse(SimTestClient.body(http.bytes)) == nil)
    }

    @Test("oversized: a reply far beyond any cap, streamed")
    func oversized() throws {
        let size = 6 << 20
        let (fleet, miner) = try fleet("127.91.7.0/24", .oversized, oversize: size)
        defer { fleet.stop() }
        let result = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(result.end == .eof)
        #expect(result.bytes.count > size)
        #expect(result.bytes.last == 0)
        // A client that stops reading early just closes; the simulator copes.
        let fd = try #require(SimTestClient.connect(miner.address, ports.http))
        SimTestClient.send(fd, Array("GET /api/system/info HTTP/1.1\r\n\r\n".utf8))
        let head = SimTestClient.read(fd, limit: 1 << 20)
        #expect(String(decoding: head.bytes.prefix(15), as: UTF8.self) == "HTTP/1.1 200 OK")
        close(fd)
    }

    @Test("keep-open: the reply and its NUL, then the socket stays open")
    func keepOpen() throws {
        let (fleet, miner) = try fleet("127.91.8.0/24", .keepOpen)
        defer { fleet.stop() }
        let fd = try #require(SimTestClient.connect(miner.address, ports.api))
        defer { close(fd) }
        SimTestClient.send(fd, Array("{\"command\":\"version\"}".utf8))
        let reply = SimTestClient.read(fd, timeoutMs: 2000, stopAt: { $0.last == 0 })
        #expect(reply.bytes == versionBytes)
        let after = SimTestClient.read(fd, timeoutMs: 300)
        #expect(after.bytes.isEmpty)
        #expect(after.end == .timeout, "no EOF: the miner keeps the connection open")
        let http = try #require(SimTestClient.connect(miner.address, ports.http))
        defer { close(http) }
        SimTestClient.send(http, Array("GET / HTTP/1.1\r\n\r\n".utf8))
        let page = SimTestClient.read(http, timeoutMs: 300)
        #expect(page.text.hasPrefix("HTTP/1.1 401 "))
        #expect(page.text.contains("Connection: keep-alive"))
        #expect(page.end == .timeout)
    }

    @Test("flapping: up and down in turn as sim time passes")
    func flapping() throws {
        let (fleet, miner) = try fleet("127.91.9.0/24", .flapping)
        defer { fleet.stop() }
        var states: [Bool] = []
        for _ in 0..<4 {
            states.append(SimTestClient.connectFailure(miner.address, ports.api, timeoutMs: 250) == nil)
            fleet.advance(seconds: MinerState.flapHalfPeriod)
        }
        #expect(states[0] != states[1] && states[1] != states[2] && states[2] != states[3])
        // When up it answers normally.
        // The loop left sim time one phase after states[3].
        if states[3] { fleet.advance(seconds: MinerState.flapHalfPeriod) }
        let reply = try #require(SimTestClient.cgminer(miner.address, ports.api, "version"))
        #expect(reply.bytes == versionBytes)
    }

    @Test("sleeping: reachable, hashrate zero, the family's sleep marker set")
    func sleeping() throws {
        let fleet = try SimTestSupport.fleet(["s19-pro", "m3x", "nerdqaxe-plus-plus"], subnet: "127.91.10.0/24")
        defer { fleet.stop() }
        for miner in fleet.miners { try fleet.setFault(miner.index, .sleeping) }
        let antminer = try fleet.miner(SimTestSupport.index(of: "s19-pro", in: fleet))
        let stats = try SimTestSupport.json(SimTestClient.cgminer(antminer.address, ports.api, "stats"), repair: true)
        #expect(stats["STATS"]?[1]?["GHS 5s"]?.doubleValue == 0)
        #expect(stats["STATS"]?[1]?["Mode"]?.intValue == 254)
        let whatsminer = try fleet.miner(SimTestSupport.index(of: "m3x", in: fleet))
        let status = try #require(SimTestClient.cgminer(whatsminer.address, ports.api, "status"))
        #expect(status.text.contains("\"btmineroff\":\"true\""))
        let summary = try SimTestSupport.json(SimTestClient.cgminer(whatsminer.address, ports.api, "summary"))
        #expect(summary["SUMMARY"]?[0]?["MHS 5s"]?.doubleValue == 0)
        let nerd = try fleet.miner(SimTestSupport.index(of: "nerdqaxe-plus-plus", in: fleet))
        let info = try SimTestSupport.httpJSON(SimTestClient.httpGet(nerd.address, ports.http, "/api/system/info"))
        #expect(info["hashRate"]?.doubleValue == 0)
        #expect(info["shutdown"]?.boolValue == true)
        // The sleeping captures are served as sleeping models, and answer for their awake
        // twin when it is put to sleep.
        let twin = try SimTestSupport.fleet(["s17-plus"], subnet: "127.91.15.0/24")
        defer { twin.stop() }
        let s17 = try twin.miner(0)
        #expect(try #require(SimTestClient.cgminer(s17.address, ports.api, "stats")).text.contains("\"Code\":14"))
        try twin.setFault(0, .sleeping)
        let asleep = try #require(SimTestClient.cgminer(s17.address, ports.api, "stats"))
        #expect(asleep.text.contains("\"Mode\":254"))
        #expect(asleep.text.contains("\"Type\":\"Antminer S17+\""))
        let sleeper = try SimTestSupport.fleet(["t17-plus-sleeping"], subnet: "127.91.11.0/24")
        defer { sleeper.stop() }
        let t17 = try sleeper.miner(0)
        let t17stats = try #require(SimTestClient.cgminer(t17.address, ports.api, "stats"))
        #expect(t17stats.text.contains("\"Mode\":254"))
    }

    @Test("overheating: chip and board temperatures over 90 C")
    func overheating() throws {
        let (fleet, miner) = try fleet("127.91.12.0/24", .overheating)
        defer { fleet.stop() }
        let stats = try SimTestSupport.json(SimTestClient.cgminer(miner.address, ports.api, "stats"))
        let unit = try #require(stats["STATS"]?[1])
        for key in ["temp1", "temp2_1", "temp2_2", "temp_max"] {
            #expect((unit[key]?.doubleValue ?? 0) > 90, "\(key)")
        }
        let chip = try #require(unit["temp_chip1"]?.stringValue)
        #expect(chip.split(separator: "-").allSatisfy { (Double($0) ?? 0) > 90 })
        #expect(unit["temp_chip4"]?.stringValue == "0-0-0-0", "empty slots stay empty")
    }

    @Test("fan failure: one fan at 0 RPM, the others turning")
    func fan() throws {
        let (fleet, miner) = try fleet("127.91.13.0/24", .fanFailure)
        defer { fleet.stop() }
        let stats = try SimTestSupport.json(SimTestClient.cgminer(miner.address, ports.api, "stats"))
        let unit = try #require(stats["STATS"]?[1])
        #expect(unit["fan1"]?.intValue == 0)
        #expect((unit["fan2"]?.intValue ?? 0) > 5000)
        #expect((unit["fan4"]?.intValue ?? 0) > 4000)
    }

    @Test("faults allocated as a fraction of the fleet")
    func fractions() throws {
        let fleet = try Fleet.start(FleetConfig(
            count: 20, mix: .standard, subnet: try LoopbackSubnet(parsing: "127.91.14.0/24"), seed: 5,
            ports: ports, faults: try FaultAllocation.parseList("dead=0.1,hold=0.25"), clock: .manual,
            fixturesRoot: SimTestSupport.fixturesRoot))
        defer { fleet.stop() }
        let miners = fleet.miners
        #expect(miners.filter { $0.faults.contains(.dead) }.count == 2)
        #expect(miners.filter { $0.faults.contains(.hold) }.count == 5)
        let dead = try #require(miners.first { $0.faults.contains(.dead) })
        let port = try #require(dead.ports.values.first)
        #expect(SimTestClient.connectFailure(dead.address, port, timeoutMs: 250) == .timeout)
    }
}

/// The `}{` repair clients apply to Antminer stats (protocols.md section 1), for reading
/// values in tests; the simulator itself never repairs anything.
enum FixtureRepair {
    static func cgminer(_ bytes: [UInt8]) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences("}{", with: "},{").utf8)
    }
}
