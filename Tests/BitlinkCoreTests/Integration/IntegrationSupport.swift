import BitlinkCore
import Testing

@testable import BitlinkSim

/// Shared pieces of the integration tests: bitlink's real IO engine and `MinerReader`
/// against an in-process simulator fleet, on loopback only (127.88.0.0/16, one /24 per
/// test so suites can run in parallel).
enum Integration {
    /// The simulator's ports moved up by 20000 (24028, 20080, 24433): no root needed, and
    /// below the ephemeral range so an outgoing connection never takes one.
    static let simPorts: PortPlan = {
        do { return try PortPlan.offset(20_000) } catch { preconditionFailure("\(error)") }
    }()

    /// The same ports as bitlink sees them.
    static let ports = MinerPorts(api: simPorts.api, http: simPorts.http, whatsminerV3: simPorts.whatsminerV3)

    /// `Tests/Fixtures`, from this file's path (`Tests/BitlinkCoreTests/Integration/`).
    static var fixturesRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Fixtures"
    }

    /// A fleet of the named models, one each in the given order, on `subnet` (which must
    /// be in 127.88.0.0/16). Sim time is manual: values only move on `advance(seconds:)`.
    static func fleet(
        _ models: [String], subnet: String, faults: [Int: Set<Fault>] = [:], seed: UInt64 = 34,
        oversize: Int = 8 << 20
    ) throws -> Fleet {
        let parsed = try LoopbackSubnet(parsing: subnet)
        precondition(parsed.network.description.hasPrefix("127.88."), "integration tests use 127.88.0.0/16")
        let fleet = try Fleet.start(
            FleetConfig(
                count: models.count, mix: FleetMix(models.map { FleetMix.Entry($0, 1) }), subnet: parsed,
                layout: .sequential, seed: seed, ports: simPorts, minerFaults: faults, clock: .manual,
                fixturesRoot: fixturesRoot, keepRequestLog: true, oversizeBytes: oversize))
        return fleet
    }

    /// The fleet's miner that runs `model` (mixes are shuffled by the seed).
    static func miner(_ model: String, in fleet: Fleet) throws -> SimulatedMiner {
        try #require(fleet.miners.first { $0.model.name == model }, "no \(model) in the fleet")
    }

    /// What one read through a fresh engine produced.
    struct Run {
        var outcome: MinerReader.Outcome
        var counters: IOCounters
        var sent: [SentRequest]
        /// Wall time of `engine.run()`.
        var elapsed: Duration

        var reading: MinerReader.Reading? {
            if case .success(let reading) = outcome.result { return reading }
            return nil
        }

        var error: ReadError? {
            if case .failure(let error) = outcome.result { return error }
            return nil
        }
    }

    /// Identifies and reads `address` on a fresh engine, recording every request it sends.
    /// - Parameters:
    ///   - timing: the reader's deadlines.
    ///   - maxReplyBytes: the engine's reply cap.
    ///   - identification: when given, `read(identification:)` instead of identifying.
    ///   - whileRunning: called on the engine's thread every 20 ms while the run lasts (for
    ///     tests that move sim time as a request is pending); bounded by the run itself.
    static func read(
        _ address: IPv4Address, timing: MinerReader.Timing = .uniform(.seconds(3)),
        maxReplyBytes: Int = WireFraming.defaultReplyLimit, identification: Identification? = nil,
        whileRunning: (() -> Void)? = nil
    ) throws -> Run {
        precondition(address.isLoopback, "integration tests talk to loopback only")
        let engine = try IOEngine(configuration: IOEngine.Configuration(maxInFlight: 64, maxReplyBytes: maxReplyBytes))
        var sent: [SentRequest] = []
        engine.requestObserver = { sent.append($0) }
        let reader = MinerReader(engine: engine, timing: timing)
        var outcome: MinerReader.Outcome?
        let completion: (MinerReader.Outcome) -> Void = { outcome = $0 }
        if let identification {
            reader.read(address, ports: ports, identification: identification, completion: completion)
        } else {
            reader.identifyAndRead(address, ports: ports, completion: completion)
        }
        if let whileRunning {
            func tick() {
                guard outcome == nil else { return }
                whileRunning()
                engine.schedule(after: .milliseconds(20), tick)
            }
            engine.schedule(after: .milliseconds(20), tick)
        }
        let clock = ContinuousClock()
        let start = clock.now
        // Bounded: the reader's host deadline ends every read; this is a backstop only.
        engine.run(timeout: timing.host + .seconds(10))
        let elapsed = clock.now - start
        let finished = try #require(outcome, "the read of \(address) never completed")
        return Run(outcome: finished, counters: engine.counters, sent: sent, elapsed: elapsed)
    }

    /// `actual` within `tolerance` (a fraction) of `expected`.
    static func isNear(_ actual: Double?, _ expected: Double, within tolerance: Double) -> Bool {
        guard let actual else { return false }
        if expected == 0 { return abs(actual) <= tolerance }
        return abs(actual - expected) <= abs(expected) * tolerance
    }
}
