/// One unit of work for the `IOEngine`: requests to one address and port, run in order,
/// under one deadline.
///
/// Requests run one after another. Whatsminer v3 requests that follow each other share
/// one TCP connection (write one, read its framed reply, write the next), so a v3 read
/// costs one connection. A CGMiner or HTTP request ends its connection (the miner closes
/// after replying, HTTP is sent with `Connection: close`), so each one after the first
/// opens a new connection to the same port. A connection that cannot be established
/// (refused, unreachable, connect timeout) fails the remaining requests with that error.
///
/// Both timeouts start when the engine starts the exchange, not when it is submitted, so
/// time spent queued behind `maxInFlight` or the connect rate does not count.
public struct Exchange: Sendable {
    /// The miner.
    public var address: IPv4Address
    /// The TCP port every request goes to.
    public var port: UInt16
    /// The requests, run in order. Their `Request.Port` is informational here: `port` wins.
    public var requests: [Request]
    /// The most time one TCP connect may take (bounded by `timeout`).
    public var connectTimeout: Duration
    /// The most time the whole exchange may take, connects included.
    public var timeout: Duration

    /// - Parameters:
    ///   - address: the miner.
    ///   - port: the TCP port.
    ///   - requests: the requests, run in order on this port.
    ///   - connectTimeout: the most one connect may take; 3 s by default, like pyasic's probes.
    ///   - timeout: the end-to-end deadline of the exchange; 10 s by default.
    public init(
        address: IPv4Address, port: UInt16, requests: [Request],
        connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10)
    ) {
        self.address = address
        self.port = port
        self.requests = requests
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// One request to one miner, on the port its `Request.Port` resolves to.
    public init(
        address: IPv4Address, request: Request, ports: MinerPorts = .standard,
        connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10)
    ) {
        self.init(
            address: address, port: ports.resolve(request.port), requests: [request],
            connectTimeout: connectTimeout, timeout: timeout)
    }

    /// Splits a read plan into one exchange per port (in order of first use), so the
    /// engine runs the ports in parallel and the requests on one port in sequence.
    /// - Parameters:
    ///   - requests: the plan, for example an adapter's `readPlan(for:)`.
    ///   - address: the miner.
    ///   - ports: the miner's ports.
    ///   - connectTimeout: per connect.
    ///   - timeout: per exchange.
    /// - Returns: the exchanges; merge their outcomes' `replies` for the adapter.
    public static func plan(
        _ requests: [Request], address: IPv4Address, ports: MinerPorts = .standard,
        connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10)
    ) -> [Exchange] {
        var exchanges: [Exchange] = []
        for request in requests {
            let port = ports.resolve(request.port)
            if let index = exchanges.firstIndex(where: { $0.port == port }) {
                exchanges[index].requests.append(request)
            } else {
                exchanges.append(
                    Exchange(address: address, port: port, requests: [request], connectTimeout: connectTimeout, timeout: timeout))
            }
        }
        return exchanges
    }
}

/// What happened to one `Exchange`.
public struct ExchangeOutcome: Sendable {
    /// The exchange as submitted.
    public var exchange: Exchange
    /// One result per request, in the order of `exchange.requests`.
    public var results: [ReplyResult]
    /// Whether at least one TCP connection was established: the host is up and something
    /// listens on the port, whatever the replies were.
    public var connected: Bool
    /// How many TCP connections the exchange opened (attempts, successful or not).
    public var connections: Int
    /// From the start of the exchange (not its submission) to its completion.
    public var elapsed: Duration
    /// True when `IOEngine.stop()` or the end of `run(timeout:)` ended the exchange; the
    /// requests it did not finish are `.timeout`.
    public var cancelled: Bool

    /// - Parameters: see the properties.
    public init(exchange: Exchange, results: [ReplyResult], connected: Bool, connections: Int, elapsed: Duration, cancelled: Bool) {
        self.exchange = exchange
        self.results = results
        self.connected = connected
        self.connections = connections
        self.elapsed = elapsed
        self.cancelled = cancelled
    }

    /// The results keyed by request, for adapters (a repeated request keeps its last result).
    public var replies: Replies {
        var replies = Replies()
        for (request, result) in zip(exchange.requests, results) { replies[request] = result }
        return replies
    }

    /// The first failure, if any request failed.
    public var firstError: TransportError? {
        for result in results { if case .failure(let error) = result { return error } }
        return nil
    }

    /// True when every request got a reply.
    public var succeeded: Bool { firstError == nil }
}

/// Running totals of an `IOEngine`, for progress lines and benchmarks (for example
/// connections per miner).
public struct IOCounters: Sendable, Equatable {
    /// Exchanges handed to `submit` (or pulled from a submitted sequence).
    public var exchangesSubmitted = 0
    /// Exchanges whose completion has run.
    public var exchangesCompleted = 0
    /// TCP connects started (`socket` + `connect`).
    public var connectionsAttempted = 0
    /// TCP connects that completed the handshake.
    public var connectionsEstablished = 0
    /// Request bytes written.
    public var bytesSent = 0
    /// Reply bytes read (the cap stops reading, so this stays bounded per exchange).
    public var bytesReceived = 0
    /// The most exchanges in flight at once.
    public var peakInFlight = 0

    /// All zero.
    public init() {}
}

/// One request as the engine puts it on the wire, shown to `IOEngine.requestObserver`
/// (tests use it to check that bitlink only ever sends read-only commands).
public struct SentRequest: Sendable {
    /// The miner.
    public var address: IPv4Address
    /// The TCP port.
    public var port: UInt16
    /// The request.
    public var request: Request
    /// The exact bytes written.
    public var bytes: [UInt8]
}

/// Asks an `IOEngine` to stop, from any thread or from a signal handler.
///
/// The engine wakes at once, completes every in-flight and queued exchange with a
/// cancelled outcome, and `run()` returns. A stop is sticky: later runs of the same engine
/// cancel whatever is submitted to them.
public struct StopHandle: Sendable {
    let notifier: EventNotifier

    /// Requests the stop (one `write(2)` to an eventfd: async-signal-safe).
    public func requestStop() { notifier.notify() }

    /// The eventfd behind the handle, for a C signal handler that can only reach a global
    /// integer: pass it to `StopHandle.requestStop(fileDescriptor:)`. It stays open as long
    /// as the engine or a copy of this handle exists.
    public var fileDescriptor: Int32 { notifier.fileDescriptor }

    /// Requests a stop through the descriptor of `fileDescriptor` (async-signal-safe).
    public static func requestStop(fileDescriptor: Int32) {
        EventNotifier.notify(fileDescriptor: fileDescriptor)
    }
}
