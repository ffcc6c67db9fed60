import BitlinkCore
import Glibc

/// A running fleet of simulated miners on loopback addresses.
///
/// Start one with `Fleet.start(_:)`; every call is safe from any thread (it runs on the
/// fleet's server thread). Sim time is driven by hand with `advance(seconds:)` unless
/// the config asks for the wall clock.
public final class Fleet: @unchecked Sendable {
    /// The config the fleet was started with.
    public let config: FleetConfig
    /// The fleet's sim clock.
    public let clock: SimClock
    /// Where the captures come from.
    public let fixtures: FixtureLibrary
    private let server: FleetServer

    private init(config: FleetConfig, clock: SimClock, fixtures: FixtureLibrary, server: FleetServer) {
        self.config = config
        self.clock = clock
        self.fixtures = fixtures
        self.server = server
    }

    deinit { server.stop() }

    /// Binds every miner's ports and starts serving.
    /// - Throws: `SimError` for a non-loopback subnet, a subnet too small, unknown models,
    ///   missing fixtures, too few file descriptors, or a port that cannot be bound.
    public static func start(_ config: FleetConfig) throws -> Fleet {
        // Checked first: nothing is bound or sent anywhere outside 127.0.0.0/8.
        guard config.subnet.network.isLoopback, config.subnet.prefixLength >= 8 else {
            throw SimError.notLoopback(config.subnet.description)
        }
        guard config.count >= 0 else {
            throw SimError.invalidValue(what: "count", value: String(config.count), why: "must be >= 0")
        }
        let library = try FixtureLibrary(root: config.fixturesRoot)
        let models = try config.mix.models(count: config.count, seed: config.seed)
        let addresses = try FleetLayout.addresses(count: config.count, subnet: config.subnet,
                                                  layout: config.layout, seed: config.seed)
        let faults = FleetLayout.faults(count: config.count, allocations: config.faults,
                                        explicit: config.minerFaults, seed: config.seed)

        var loaded: [String: ModelFixtures] = [:]
        for model in models where loaded[model.name] == nil { loaded[model.name] = try library.load(model) }
        var sleeping: [String: ModelFixtures] = [:]
        for model in models where sleeping[model.name] == nil {
            if let name = model.sleepingVariant, let variant = ModelCatalog.model(named: name) {
                sleeping[model.name] = loaded[model.name]!.overlaid(by: try library.load(variant))
            }
        }

        // Each service is a listener; a blocked (dead) one also holds a filler connection.
        var needed = 64
        for (index, model) in models.enumerated() {
            let services = (model.hasAPI ? 1 : 0) + (model.http != .none ? 1 : 0) + (model.hasWhatsminerV3 ? 1 : 0)
            let blocks = faults[index].contains(.dead) || faults[index].contains(.flapping)
            needed += services * (blocks ? 2 : 1)
        }
        let limit = SimSocket.raiseFileLimit()
        guard needed + 256 <= limit else {
            throw SimError.invalidValue(what: "count", value: String(config.count),
                                        why: "needs about \(needed) file descriptors, the limit is \(limit)")
        }

        let clock = SimClock(mode: config.clock)
        let log = try RequestLog(path: config.logPath, keepInMemory: config.keepRequestLog)
        let server = try FleetServer(clock: clock, seed: config.seed, ports: config.ports, log: log,
                                     oversizeBytes: config.oversizeBytes)
        do {
            for index in 0..<config.count {
                let model = models[index]
                let miner = MinerState(
                    index: index, model: model, fixtures: loaded[model.name]!, address: addresses[index],
                    seed: config.seed, poolUser: config.poolUser.map { "\($0).sim\(index)" }, faults: faults[index])
                miner.sleepingFixtures = sleeping[model.name]
                if faults[index].contains(.sleeping) { miner.sleepSince = 0 }
                try server.add(miner)
            }
        } catch {
            for miner in server.miners { server.closeMiner(miner) }
            throw error
        }
        server.start()
        return Fleet(config: config, clock: clock, fixtures: library, server: server)
    }

    /// Every miner, by index.
    public var miners: [SimulatedMiner] {
        server.sync { server in server.miners.map { Fleet.view($0, ports: server.ports) } }
    }

    /// One miner.
    public func miner(_ index: Int) throws -> SimulatedMiner {
        let miners = self.miners
        guard miners.indices.contains(index) else { throw SimError.noSuchMiner(index) }
        return miners[index]
    }

    /// Moves a miner to another loopback address (it keeps its MAC and counters), as a
    /// DHCP lease change would.
    public func move(_ index: Int, to address: IPv4Address) throws {
        try IPv4Address.requireLoopback(address)
        let result: SimError? = server.sync { server in
            guard server.miners.indices.contains(index) else { return SimError.noSuchMiner(index) }
            let miner = server.miners[index]
            if miner.address == address { return nil }
            if server.miners.contains(where: { $0.address == address }) { return SimError.addressInUse(address.description) }
            let old = miner.address
            server.closeMiner(miner)
            miner.address = address
            do {
                try server.openListeners(miner)
                return nil
            } catch let error as SimError {
                server.closeMiner(miner)
                miner.address = old
                try? server.openListeners(miner)
                return error
            } catch {
                return SimError.stopped
            }
        }
        if let result { throw result }
    }

    /// Reboots a miner now: share counters and uptime restart from zero.
    public func reboot(_ index: Int) throws {
        let found = server.sync { server -> Bool in
            guard server.miners.indices.contains(index) else { return false }
            server.miners[index].reboot(at: server.clock.now)
            return true
        }
        guard found else { throw SimError.noSuchMiner(index) }
    }

    /// Replaces a miner's faults (an empty set heals it). Takes effect for new connections.
    public func setFaults(_ index: Int, _ faults: Set<Fault>) throws {
        let found = server.sync { server -> Bool in
            guard server.miners.indices.contains(index) else { return false }
            let miner = server.miners[index]
            miner.setFaults(faults, at: server.clock.now)
            server.tick()
            return true
        }
        guard found else { throw SimError.noSuchMiner(index) }
    }

    /// Gives a miner exactly this fault, or none.
    public func setFault(_ index: Int, _ fault: Fault?) throws {
        try setFaults(index, fault.map { [$0] } ?? [])
    }

    /// Moves sim time forward and applies it (flapping transitions, drip bytes) before returning.
    public func advance(seconds: Double) {
        server.sync { server in
            server.clock.advance(seconds: seconds)
            server.tick()
        }
    }

    /// Current sim time in seconds.
    public var simTime: Double { clock.now }

    /// Every request received so far (when the config keeps the log in memory).
    public var requestLog: [RequestLogEntry] {
        server.sync { $0.log.entries }
    }

    /// Forgets the in-memory request log.
    public func clearRequestLog() {
        server.sync { $0.log.clear() }
    }

    /// The manifest: every miner's address, ports, family, model, fixture directory,
    /// faults and expected MAC.
    public func manifest() -> JSONValue {
        FleetManifest.json(config: config, miners: miners)
    }

    /// Writes the manifest as pretty JSON.
    public func writeManifest(to path: String) throws {
        try FleetManifest.write(manifest(), to: path)
    }

    /// Closes every socket and stops the server thread. Idempotent.
    public func stop() { server.stop() }

    static func view(_ miner: MinerState, ports: PortPlan) -> SimulatedMiner {
        var open: [ServicePort: UInt16] = [:]
        for service in miner.services { open[service] = ports.port(for: service) }
        return SimulatedMiner(index: miner.index, address: miner.address, model: miner.model, ports: open,
                              faults: miner.faults, mac: miner.mac, reportsMAC: miner.fixtures.reportsMAC,
                              poolUser: miner.poolUser)
    }
}
