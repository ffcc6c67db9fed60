import BitlinkCore
import Glibc

/// `bitlink-sim bench` (hidden; run by bench/sim): starts a large fleet in this process
/// and serves one identification round to an in-process client, then prints start-up
/// time, round time and peak RSS.
enum BenchCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var args = SimArguments(arguments)
        let count = try args.int("count") ?? 5000
        let offset = try args.int("port-offset") ?? 20000
        let concurrency = try args.int("concurrency") ?? 1000
        let subnet = try LoopbackSubnet(parsing: try args.value("subnet") ?? "127.78.0.0/16")
        let mix = try args.value("mix").map(FleetMix.parse) ?? .standard
        let fixtures = try args.value("fixtures")
        _ = try args.finish()
        SignalWaiter.block()

        let config = FleetConfig(count: count, mix: mix, subnet: subnet, seed: 42, ports: try PortPlan.offset(offset),
                                 clock: .wall, fixturesRoot: fixtures, keepRequestLog: false)
        let rssBefore = peakRSSKilobytes()
        let startClock = SimClock.monotonic()
        let fleet = try Fleet.start(config)
        let startup = SimClock.monotonic() - startClock
        defer { fleet.stop() }

        // The identification probes: version+devdetails on the API port, /api/system/info on HTTP.
        let miners = fleet.miners
        var targets: [BenchClient.Target] = []
        for miner in miners {
            if let port = miner.ports[.api] {
                targets.append(.init(address: miner.address, port: port, request: Array("{\"command\":\"version+devdetails\"}".utf8)))
            }
            if let port = miner.ports[.http] {
                targets.append(.init(address: miner.address, port: port,
                                     request: Array("GET /api/system/info HTTP/1.1\r\nHost: \(miner.address)\r\nConnection: close\r\n\r\n".utf8)))
            }
        }
        let listeners = miners.reduce(0) { $0 + $1.ports.count }
        let round = BenchClient.run(targets, concurrency: concurrency, timeout: 10)
        let second = BenchClient.run(targets, concurrency: concurrency, timeout: 10)
        let peak = peakRSSKilobytes()

        var families: [String: Int] = [:]
        for miner in miners { families[miner.family.rawValue, default: 0] += 1 }
        print("bitlink-sim bench: \(count) miners, \(listeners) listeners on \(subnet), ports +\(offset), concurrency \(concurrency)")
        print("  families:    " + families.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  start-up:    \(SimCommand.formatMilliseconds(startup))")
        print("  round 1:     \(targets.count) exchanges in \(SimCommand.formatMilliseconds(round.seconds)) (ok \(round.ok), failed \(round.failed), \(round.bytes / 1024) KiB received)")
        print("  round 2:     \(targets.count) exchanges in \(SimCommand.formatMilliseconds(second.seconds)) (ok \(second.ok), failed \(second.failed))")
        print("  peak RSS:    \(peak / 1024) MB (before the fleet: \(rssBefore / 1024) MB; client in the same process)")
        return round.failed == 0 && second.failed == 0 ? 0 : 1
    }

    /// VmHWM from /proc/self/status, in KiB.
    static func peakRSSKilobytes() -> Int {
        guard let bytes = try? FixtureFiles.read("/proc/self/status") else { return 0 }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
