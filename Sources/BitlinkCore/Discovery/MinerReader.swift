/// Identifies and reads miners on the IO engine: probes -> follow-up probes -> identify ->
/// read plan -> parse, with one end-to-end deadline per host. Used by `info`, `scan` and
/// `watch`; everything runs on the engine's thread through completions.
public final class MinerReader {
    /// Deadlines. `connect` bounds each TCP connect, `stage` each exchange, `host` the
    /// whole identification and read of one miner.
    public struct Timing: Sendable, Equatable {
        public var connect: Duration
        public var stage: Duration
        public var host: Duration

        public init(connect: Duration, stage: Duration, host: Duration) {
            self.connect = connect
            self.stage = stage
            self.host = host
        }

        /// Every stage bounded by the same per-operation timeout; the host gets three of them
        /// (probe, follow-up, read), so a hung miner costs at most that.
        public static func uniform(_ timeout: Duration) -> Timing {
            Timing(connect: timeout, stage: timeout, host: timeout * 3)
        }
    }

    /// A successful read.
    public struct Reading: Sendable, Equatable {
        public var status: MinerStatus
        public var identification: Identification
    }

    /// What happened to one host.
    public struct Outcome: Sendable {
        public var address: IPv4Address
        public var ports: MinerPorts
        public var result: Result<Reading, ReadError>
        /// Some port accepted a connection (so a failure means "open but not a known miner").
        public var answered: Bool
        /// TCP connections established for this host.
        public var connections: Int
        /// Requests sent.
        public var requests: Int
        /// Every reply gathered, for diagnostics.
        public var replies: Replies
        /// The engine was stopped (SIGINT) before the read finished.
        public var cancelled: Bool
    }

    public let engine: IOEngine
    public let registry: AdapterRegistry
    public let timing: Timing

    public init(engine: IOEngine, registry: AdapterRegistry = .standard, timing: Timing) {
        self.engine = engine
        self.registry = registry
        self.timing = timing
    }

    /// Identifies and reads the device at `address`. `completion` runs once, on the
    /// engine's thread, inside `engine.run()`.
    public func identifyAndRead(_ address: IPv4Address, ports: MinerPorts = .standard, completion: @escaping (Outcome) -> Void) {
        let host = HostRead(address: address, ports: ports, deadline: monotonicNanoseconds() &+ timing.host.clampedNanoseconds, completion: completion)
        send(Probes.all, for: host) { [self] in self.afterProbes(host, round: 0) }
    }

    /// Reads a device whose family is known (from an earlier identification), skipping the
    /// shared probes. Falls back to full identification when the family no longer answers
    /// as expected (for example after a firmware change).
    public func read(
        _ address: IPv4Address, ports: MinerPorts = .standard, identification: Identification, completion: @escaping (Outcome) -> Void
    ) {
        guard let adapter = registry.adapter(for: identification.family) else {
            identifyAndRead(address, ports: ports, completion: completion)
            return
        }
        let host = HostRead(address: address, ports: ports, deadline: monotonicNanoseconds() &+ timing.host.clampedNanoseconds, completion: completion)
        send(adapter.readPlan(for: identification), for: host) { [self] in
            switch self.parse(host, adapter, identification) {
            case .success(let reading):
                self.finish(host, .success(reading))
            case .failure(let error):
                if !host.answered {
                    // Nothing accepted a connection: say why, not that no reply parsed.
                    self.finish(host, .failure(self.unidentified(host)))
                } else if case .transport = error {
                    self.finish(host, .failure(error))
                } else {
                    // Answered, but not as this family any more: identify afresh.
                    self.send(Probes.all, for: host) { self.afterProbes(host, round: 0) }
                }
            }
        }
    }

    /// Parses the replies gathered; a device that refuses its status commands still reads
    /// as identified, with what identification learned.
    private func parse(_ host: HostRead, _ adapter: any MinerAdapter, _ identification: Identification) -> Result<Reading, ReadError> {
        do {
            let status = try adapter.parse(host.replies, identification: identification)
            return .success(Reading(status: status, identification: identification))
        } catch ReadError.statusRefused(let why) {
            return .success(Reading(status: MinerReader.identityOnly(identification, why: why), identification: identification))
        } catch let error as ReadError {
            return .failure(error)
        } catch {
            return .failure(.protocolViolation("\(error)"))
        }
    }

    /// A status that carries only what identification learned, and why nothing else.
    static func identityOnly(_ identification: Identification, why: String) -> MinerStatus {
        MinerStatus(
            identity: MinerIdentity(family: identification.family, model: identification.model, firmware: identification.firmware, support: .partial),
            errors: ["status not readable: \(why)"])
    }

    // MARK: - Steps

    private func afterProbes(_ host: HostRead, round: Int) {
        let followUps = registry.followUpProbes(host.replies).filter { host.replies[$0] == nil }
        if !followUps.isEmpty, round < 2 {
            send(followUps, for: host) { [self] in self.afterProbes(host, round: round + 1) }
            return
        }
        guard let (adapter, identification) = registry.identify(host.replies) else {
            finish(host, .failure(unidentified(host)))
            return
        }
        let plan = adapter.readPlan(for: identification).filter { host.replies[$0] == nil }
        let parse = { [self] in self.finish(host, self.parse(host, adapter, identification)) }
        if plan.isEmpty {
            parse()
        } else {
            send(plan, for: host, then: parse)
        }
    }

    /// Why nothing was identified: the most telling transport failure when no port
    /// accepted a connection (refused says the host is there), else what answered.
    private func unidentified(_ host: HostRead) -> ReadError {
        var errors: [TransportError] = []
        for (_, result) in host.replies.results {
            if case .failure(let error) = result { errors.append(error) }
        }
        guard !host.answered else {
            let error = registry.unrecognized(host.replies)
            // A port accepted the connection, so a refusal on another port is not why the
            // read failed: say what happened on the one that accepted (it hung, or dropped).
            if case .transport(.refused) = error,
                let accepted = [TransportError.timeout, .reset].first(where: errors.contains)
                    ?? errors.first(where: { $0 != .refused && $0 != .unreachable })
            {
                return .transport(accepted)
            }
            return error
        }
        for preferred in [TransportError.refused, .unreachable, .timeout] where errors.contains(preferred) {
            return .transport(preferred)
        }
        return .transport(errors.first ?? .timeout)
    }

    /// Sends requests (grouped per port, ports in parallel) and calls `then` when all are back.
    private func send(_ requests: [Request], for host: HostRead, then: @escaping () -> Void) {
        let remaining = host.deadline &- min(host.deadline, monotonicNanoseconds())
        guard remaining > 0 else {
            for request in requests where host.replies[request] == nil { host.replies[request] = .failure(.timeout) }
            then()
            return
        }
        let budget = Duration.nanoseconds(Int64(remaining))
        let exchanges = Exchange.plan(
            requests, address: host.address, ports: host.ports, connectTimeout: min(timing.connect, budget),
            timeout: min(timing.stage, budget))
        var pending = exchanges.count
        for exchange in exchanges {
            engine.submit(exchange) { outcome in
                host.connections += outcome.connections
                host.requests += outcome.exchange.requests.count
                if outcome.connected { host.answered = true }
                if outcome.cancelled { host.cancelled = true }
                for (request, result) in zip(outcome.exchange.requests, outcome.results) {
                    host.replies[request] = result
                }
                pending -= 1
                if pending == 0 { then() }
            }
        }
    }

    private func finish(_ host: HostRead, _ result: Result<Reading, ReadError>) {
        host.completion(
            Outcome(
                address: host.address, ports: host.ports, result: result, answered: host.answered, connections: host.connections,
                requests: host.requests, replies: host.replies, cancelled: host.cancelled))
    }
}

/// The state of one host's read while it is in flight.
private final class HostRead {
    let address: IPv4Address
    let ports: MinerPorts
    let deadline: UInt64
    let completion: (MinerReader.Outcome) -> Void
    var replies = Replies()
    var answered = false
    var cancelled = false
    var connections = 0
    var requests = 0

    init(address: IPv4Address, ports: MinerPorts, deadline: UInt64, completion: @escaping (MinerReader.Outcome) -> Void) {
        self.address = address
        self.ports = ports
        self.deadline = deadline
        self.completion = completion
    }
}
