import BitlinkCore
import Foundation
import Glibc
import Testing
@testable import BitlinkSim

/// A simulator fleet for the end-to-end tests: in-process on its own loopback subnet, with
/// explicit high ports (no root), a manual clock and faults per miner.
///
/// Every test passes its own subnet (`127.90.N.0/24`, N distinct per test) so that tests
/// running in parallel never reach each other's miners.
struct SimFleet {
    /// Ports every simulated miner listens on, and what `bitlink scan` is told to probe.
    static let ports = PortPlan(api: 44028, http: 40080, whatsminerV3: 44433)

    /// `scan` options that reach the simulator's ports.
    static let portArguments = ["--port", "44028", "--http-port", "40080", "--v3-port", "44433"]

    /// A valid mainnet address (BIP 173 test vector) the fleet can mine for.
    static let wallet = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    /// A second valid address (P2PKH).
    static let otherWallet = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"

    static var fixturesRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Support/SimFleet.swift, EndToEndTests
        return parts.joined(separator: "/") + "/Fixtures"
    }

    let fleet: Fleet
    let subnet: String

    /// Starts one miner per entry of `models` (sim model names; repeat a name for several),
    /// each mining for `<poolUser>.sim<index>` when a pool user is given.
    init(_ models: [String], subnet: String, poolUser: String? = SimFleet.wallet, seed: UInt64 = 5, layout: FleetConfig.Layout = .sequential) throws {
        self.subnet = subnet
        fleet = try Fleet.start(FleetConfig(
            count: models.count, mix: FleetMix(models.map { FleetMix.Entry($0, 1) }),
            subnet: try LoopbackSubnet(parsing: subnet), layout: layout, seed: seed, ports: SimFleet.ports, clock: .manual,
            fixturesRoot: SimFleet.fixturesRoot, poolUser: poolUser))
    }

    func stop() { fleet.stop() }

    var miners: [SimulatedMiner] { fleet.miners }

    /// The miners running `model`, by index.
    func miners(_ model: String) -> [SimulatedMiner] { fleet.miners.filter { $0.model.name == model } }

    /// The one miner running `model`.
    func miner(_ model: String) throws -> SimulatedMiner {
        let found = miners(model)
        try #require(found.count == 1, "expected one \(model), found \(found.count)")
        return found[0]
    }

    /// Gives each listed model's miners these faults, in fleet order: `["s19-pro": [.dead, nil]]`
    /// makes the first S19 Pro dead and leaves the second healthy.
    func setFaults(_ plan: [String: [Fault?]]) throws {
        for (model, faults) in plan {
            let targets = miners(model)
            try #require(targets.count >= faults.count, "not enough \(model) miners for \(faults)")
            for (miner, fault) in zip(targets, faults) { try fleet.setFault(miner.index, fault) }
        }
    }

    /// Whether a flapping miner's listeners are up at sim time `time` (30 s up, 30 s down,
    /// phase from the seed and index, as `MinerState` computes it).
    func flapUp(_ index: Int, at time: Double) -> Bool {
        let half = MinerState.flapHalfPeriod
        let phase = 2 * half * SimRandom.unit(fleet.config.seed, UInt64(index), 0xF1A9)
        return Int(((time + phase) / half).rounded(.down)) % 2 == 0
    }

    /// Sim seconds to advance from now so that the flapping miner `index` is `offset`
    /// seconds into an up phase.
    func secondsToUpPhase(_ index: Int, offset: Double) -> Double {
        let half = MinerState.flapHalfPeriod
        let phase = 2 * half * SimRandom.unit(fleet.config.seed, UInt64(index), 0xF1A9)
        let now = fleet.simTime
        // Position in the 60 s cycle, where [0, 30) is up.
        let position = (now + phase).truncatingRemainder(dividingBy: 2 * half)
        var wait = offset - position
        while wait < 0 { wait += 2 * half }
        return wait
    }

    /// `bitlink scan` over the whole subnet on the simulator's ports.
    func scanArguments(_ extra: [String] = []) -> [String] {
        ["scan", subnet] + SimFleet.portArguments + extra
    }
}

/// NDJSON and JSON helpers.
enum JSONLines {
    /// Each non-empty line parsed as a JSON object (a line that does not parse fails the test).
    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(value as? [String: Any], "not an object: \(line)")
        }
    }

    static func records(_ text: String, type: String) throws -> [[String: Any]] {
        try objects(text).filter { $0["type"] as? String == type }
    }

    static func array(_ result: RunResult) throws -> [[String: Any]] {
        try #require(try result.json() as? [[String: Any]], "not a JSON array: \(result)")
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func double(_ key: String) -> Double? { (self[key] as? NSNumber)?.doubleValue }
    func bool(_ key: String) -> Bool? { (self[key] as? NSNumber)?.boolValue }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
    func strings(_ key: String) -> [String] { (self[key] as? [Any])?.compactMap { $0 as? String } ?? [] }
}

/// Reads a simulated miner's own counters straight from its API (not through bitlink), so
/// tests compare bitlink's share log against what the device says.
enum SimProbe {
    /// One CGMiner API command on loopback, the reply parsed as JSON (NUL stripped).
    static func cgminer(_ address: IPv4Address, port: UInt16 = SimFleet.ports.api, _ command: String) throws -> [String: Any] {
        precondition(address.isLoopback, "tests only talk to loopback")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = address.value.bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0, "connect to \(address):\(port) failed")
        let request = Array("{\"command\":\"\(command)\"}".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, request.count, Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.last == 0 { break }
        }
        while bytes.last == 0 { bytes.removeLast() }
        let value = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(value as? [String: Any])
    }

    /// The pool counters of a CGMiner-API miner: accepted, rejected and accepted difficulty
    /// summed over its pools.
    static func poolCounters(_ address: IPv4Address) throws -> (accepted: Int, rejected: Int, difficulty: Double) {
        let reply = try cgminer(address, "pools")
        let pools = try #require(reply["POOLS"] as? [[String: Any]])
        var result = (accepted: 0, rejected: 0, difficulty: 0.0)
        for pool in pools {
            result.accepted += pool.int("Accepted") ?? 0
            result.rejected += pool.int("Rejected") ?? 0
            result.difficulty += pool.double("Difficulty Accepted") ?? 0
        }
        return result
    }
}
