internal import CLinuxIO
import Glibc

/// The non-blocking IO engine (DESIGN.md section 3): one reactor on the calling thread,
/// epoll, non-blocking sockets, a deadline per exchange on the monotonic clock.
///
/// Use it from one thread. `submit` exchanges, then `run()`: it drives the event loop on
/// the calling thread until nothing is pending (or `stop()` was requested, or the run's
/// own timeout passed) and calls each exchange's completion on that thread. Completions
/// may submit more exchanges, which is how callers chain a multi-step flow:
///
/// ```swift
/// let engine = try IOEngine()
/// engine.submit(Exchange(address: ip, request: Probes.cgminerVersion)) { probe in
///     guard probe.connected else { return }
///     engine.submit(contentsOf: Exchange.plan(plan, address: ip)) { read in ... }
/// }
/// engine.run()
/// ```
///
/// Nothing here blocks except `epoll_wait`, which sleeps until the nearest deadline, timer
/// or connect-rate token. Per in-flight exchange the engine keeps one small object and the
/// reply bytes received so far; reply buffers are released as soon as the exchange ends,
/// and `submit(contentsOf:)` pulls exchanges lazily so a /16 scan never materializes its
/// targets.
public final class IOEngine {
    /// Limits of an engine.
    public struct Configuration: Sendable {
        /// The most exchanges (each holding at most one socket) in flight at once; more
        /// wait in a queue. `IOEngine.init` lowers it to fit the open-file limit.
        public var maxInFlight: Int
        /// New exchanges started per second (a token bucket), or nil for no limit.
        public var connectRate: Double?
        /// How many exchanges may start back to back when tokens have accumulated.
        public var connectBurst: Int
        /// The cap on one reply; a larger one fails with `.tooLarge`.
        public var maxReplyBytes: Int

        /// - Parameters:
        ///   - maxInFlight: the concurrency bound (`--concurrency`).
        ///   - connectRate: new exchanges per second (`--rate`), nil for unlimited.
        ///   - connectBurst: the bucket size; by default 20 ms worth of `connectRate`.
        ///   - maxReplyBytes: the reply cap, 4 MiB by default.
        public init(
            maxInFlight: Int = 1024, connectRate: Double? = nil, connectBurst: Int? = nil,
            maxReplyBytes: Int = WireFraming.defaultReplyLimit
        ) {
            self.maxInFlight = max(1, maxInFlight)
            self.connectRate = connectRate.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
            self.connectBurst = max(1, connectBurst ?? Int(((connectRate ?? 50) * 0.02).rounded(.up)))
            self.maxReplyBytes = max(1, maxReplyBytes)
        }
    }

    /// Called once per exchange, on the thread running `run()`.
    public typealias Completion = (ExchangeOutcome) -> Void

    /// The limits in force (`maxInFlight` possibly lowered to fit the open-file limit).
    public let configuration: Configuration
    /// Running totals since the engine was created.
    public private(set) var counters = IOCounters()
    /// Sees every request's exact bytes just before they are written.
    public var requestObserver: ((SentRequest) -> Void)?
    /// Stops the engine from another thread or a signal handler.
    public let stopHandle: StopHandle

    /// Exchanges started and not yet completed.
    public var inFlight: Int { active }
    /// Exchanges submitted and not yet started (not counting unread sequence elements).
    public var queued: Int { queue.count }

    private enum Phase: UInt8 {
        case connecting
        case sending
        case receiving
        case closed
    }

    /// The state of one in-flight exchange.
    private final class Connection {
        let exchange: Exchange
        let completion: Completion
        let started: UInt64
        let deadline: UInt64
        let slot: Int
        let generation: UInt32
        var fd: Int32 = -1
        var phase = Phase.closed
        var index = 0
        var results: [ReplyResult] = []
        var outgoing: [UInt8] = []
        var sentCount = 0
        /// Bytes of the next v3 reply that arrived with the previous one.
        var carried: [UInt8] = []
        var decoder: WireFraming.ReplyDecoder?
        var everConnected = false
        var connections = 0
        /// An edge-triggered readiness event arrived while not receiving; read when receiving starts.
        var readPending = false
        /// The peer closed or the socket errored: keep reading to end of stream.
        var hangupSeen = false
        var peerClosed = false

        init(exchange: Exchange, completion: @escaping Completion, started: UInt64, slot: Int, generation: UInt32) {
            self.exchange = exchange
            self.completion = completion
            self.started = started
            self.deadline = started &+ exchange.timeout.clampedNanoseconds
            self.slot = slot
            self.generation = generation
        }

        var token: UInt64 { UInt64(generation) << 32 | UInt64(slot) }
    }

    private struct Pending {
        var exchange: Exchange
        var completion: Completion
    }

    private struct Source {
        var next: () -> Exchange?
        var completion: Completion
    }

    private static let stopToken = UInt64.max
    private static let receiveBufferSize = 64 << 10

    private let poller: Poller
    private let stopNotifier: EventNotifier
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    private var slots: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private var active = 0
    private var deadlines = DeadlineHeap()
    private var queue = RingQueue<Pending>()
    private var sources: [Source] = []
    private var timers = TimerHeap()
    private var tokens: Double
    private var tokensUpdated: UInt64
    private var now: UInt64
    private var stopRequested = false
    private var running = false
    /// socket() hit EMFILE/ENFILE: start nothing new until an exchange frees a descriptor.
    private var descriptorStarved = false

    /// Creates an engine: one epoll instance, one eventfd for `stop()`, one 64 KiB
    /// receive buffer shared by all connections.
    /// - Parameter configuration: the limits; `maxInFlight` is lowered to what the current
    ///   soft `RLIMIT_NOFILE` allows (raise it first with `ResourceLimits.raiseOpenFileLimit`).
    /// - Throws: `SocketError` when the epoll or eventfd descriptor cannot be created.
    public init(configuration: Configuration = Configuration()) throws(SocketError) {
        var effective = configuration
        let allowed = ResourceLimits.maxInFlight(forOpenFileLimit: ResourceLimits.openFileLimit().soft)
        effective.maxInFlight = min(effective.maxInFlight, allowed)
        self.configuration = effective
        poller = try Poller(eventCapacity: 1024)
        stopNotifier = try EventNotifier()
        stopHandle = StopHandle(notifier: stopNotifier)
        try poller.register(stopNotifier.fileDescriptor, events: .readable, token: Self.stopToken)
        receiveBuffer = .allocate(byteCount: Self.receiveBufferSize, alignment: 16)
        now = monotonicNanoseconds()
        tokens = Double(effective.connectBurst)
        tokensUpdated = now
    }

    deinit {
        for case let connection? in slots where connection.fd >= 0 {
            TCPSocket.close(connection.fd)
        }
        receiveBuffer.deallocate()
    }

    // MARK: - Submitting

    /// Queues one exchange. It starts during `run()`, when a slot (and a rate token) is free.
    /// - Parameters:
    ///   - exchange: what to do.
    ///   - completion: called exactly once, from `run()`, with the outcome.
    public func submit(_ exchange: Exchange, completion: @escaping Completion) {
        counters.exchangesSubmitted += 1
        queue.append(Pending(exchange: exchange, completion: completion))
    }

    /// Queues a sequence of exchanges that is read lazily, one element each time a slot is
    /// free, after everything submitted individually. A scan of a /16 passes a lazy
    /// sequence over its targets and keeps only `maxInFlight` exchanges in memory.
    ///
    /// After `stop()`, elements not yet read are never read (and get no completion).
    /// - Parameters:
    ///   - exchanges: the exchanges.
    ///   - completion: called once per exchange, from `run()`.
    public func submit<S: Sequence>(contentsOf exchanges: S, completion: @escaping Completion) where S.Element == Exchange {
        var iterator = exchanges.makeIterator()
        sources.append(Source(next: { iterator.next() }, completion: completion))
    }

    /// Runs `action` on the engine's thread after `delay` (for `watch` intervals, progress
    /// lines). Pending timers keep `run()` going; `stop()` drops them without running them.
    /// - Parameters:
    ///   - delay: how long from now.
    ///   - action: what to run.
    public func schedule(after delay: Duration, _ action: @escaping () -> Void) {
        timers.push(deadline: monotonicNanoseconds() &+ delay.clampedNanoseconds, action: action)
    }

    /// Requests a stop, as `stopHandle.requestStop()` does (the loop sees it when it next
    /// waits, at once if it is waiting).
    public func stop() { stopHandle.requestStop() }

    // MARK: - Running

    /// Runs the event loop on the calling thread until nothing is pending (no exchange in
    /// flight, queued or left in a submitted sequence, and no timer), until a stop is
    /// requested, or until `timeout` passes. On a stop or timeout every exchange still
    /// in flight or queued completes with `cancelled` set and its unfinished requests
    /// `.timeout`; unread sequence elements and timers are dropped.
    ///
    /// Completions that submit during the cancellation are cancelled too; they should not
    /// keep resubmitting on a cancelled outcome.
    /// - Parameter timeout: an end for this run (a scan round's deadline), or nil.
    public func run(timeout: Duration? = nil) {
        precondition(!running, "IOEngine.run() called from inside a completion")
        running = true
        defer { running = false }
        now = monotonicNanoseconds()
        let runDeadline = timeout.map { now &+ $0.clampedNanoseconds }
        if stopNotifier.drain() > 0 { stopRequested = true }

        while true {
            if stopRequested || runDeadline.map({ now >= $0 }) == true {
                cancelEverything()
                return
            }
            startPending()
            if active == 0 && queue.isEmpty && sources.isEmpty && timers.isEmpty { return }
            do {
                try poller.wait(timeoutMilliseconds: waitMilliseconds(until: runDeadline)) { event in
                    handle(event)
                }
            } catch {
                // epoll_wait fails only with EBADF, EFAULT or EINVAL: a bug, not a condition.
                preconditionFailure("IOEngine: \(error)")
            }
            now = monotonicNanoseconds()
            expireDeadlines()
            fireTimers()
        }
    }

    // MARK: - Loop internals

    private func waitMilliseconds(until runDeadline: UInt64?) -> Int32 {
        var next = deadlines.first?.deadline
        func consider(_ candidate: UInt64?) {
            guard let candidate else { return }
            next = min(next ?? candidate, candidate)
        }
        consider(timers.firstDeadline)
        consider(runDeadline)
        if let rate = configuration.connectRate, active < configuration.maxInFlight, !descriptorStarved,
            !queue.isEmpty || !sources.isEmpty, tokens < 1
        {
            consider(now &+ UInt64(((1 - tokens) / rate * 1e9).rounded(.up)))
        }
        guard let next else { return -1 }
        if next <= now { return 0 }
        // Round up: waking a little late is harmless, waking early spins.
        let milliseconds = (next - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }

    private func startPending() {
        guard !stopRequested else { return }
        while active < configuration.maxInFlight {
            if descriptorStarved && active > 0 { return }
            if let rate = configuration.connectRate {
                let elapsed = Double(now &- tokensUpdated) / 1e9
                tokens = min(Double(configuration.connectBurst), tokens + elapsed * rate)
                tokensUpdated = now
                if tokens < 1 { return }
            }
            guard let pending = nextPending() else { return }
            if configuration.connectRate != nil { tokens -= 1 }
            start(pending)
        }
    }

    private func nextPending() -> Pending? {
        if let pending = queue.popFirst() { return pending }
        while let source = sources.first {
            if let exchange = source.next() {
                counters.exchangesSubmitted += 1
                return Pending(exchange: exchange, completion: source.completion)
            }
            sources.removeFirst()
        }
        return nil
    }

    private func start(_ pending: Pending) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = slots.count
            slots.append(nil)
            generations.append(0)
        }
        let connection = Connection(
            exchange: pending.exchange, completion: pending.completion, started: now, slot: slot,
            generation: generations[slot])
        connection.results.reserveCapacity(pending.exchange.requests.count)
        slots[slot] = connection
        active += 1
        if active > counters.peakInFlight { counters.peakInFlight = active }
        if pending.exchange.requests.isEmpty {
            finish(connection)
            return
        }
        openConnection(connection)
    }

    private func openConnection(_ connection: Connection) {
        let fd: Int32
        do {
            fd = try TCPSocket.makeStream()
        } catch {
            if (error.errno == EMFILE || error.errno == ENFILE) && connection.connections == 0 && active > 1 {
                // Out of descriptors: put the exchange back and wait for one to be freed.
                descriptorStarved = true
                release(connection)
                queue.prepend(Pending(exchange: connection.exchange, completion: connection.completion))
                return
            }
            finish(connection, failing: TransportError(errno: error.errno))
            return
        }
        counters.connectionsAttempted += 1
        connection.connections += 1
        connection.fd = fd
        connection.phase = .connecting
        connection.readPending = false
        connection.hangupSeen = false
        connection.peerClosed = false

        let status = TCPSocket.connect(fd, to: connection.exchange.address, port: connection.exchange.port)
        if case .failed(let code) = status {
            finish(connection, failing: TransportError(errno: code))
            return
        }
        do {
            // Edge-triggered: one registration per connection, no EPOLL_CTL_MOD when the
            // phase changes; the handlers read and write until EAGAIN.
            try poller.register(fd, events: [.readable, .writable, .peerClosed, .edgeTriggered], token: connection.token)
        } catch {
            finish(connection, failing: TransportError(errno: error.errno))
            return
        }
        if status == .connected {
            connected(connection)
        } else {
            let connectDeadline = now &+ connection.exchange.connectTimeout.clampedNanoseconds
            deadlines.set(slot: connection.slot, deadline: min(connectDeadline, connection.deadline))
        }
    }

    private func connected(_ connection: Connection) {
        counters.connectionsEstablished += 1
        connection.everConnected = true
        deadlines.set(slot: connection.slot, deadline: connection.deadline)
        startRequest(connection)
    }

    private func startRequest(_ connection: Connection) {
        let exchange = connection.exchange
        let request = exchange.requests[connection.index]
        let bytes = WireFraming.encode(request.kind, address: exchange.address, port: exchange.port)
        if let requestObserver {
            requestObserver(SentRequest(address: exchange.address, port: exchange.port, request: request, bytes: bytes))
        }
        connection.outgoing = bytes
        connection.sentCount = 0
        connection.decoder = WireFraming.ReplyDecoder(for: request.kind, limit: configuration.maxReplyBytes)
        connection.phase = .sending
        flushOutgoing(connection)
    }

    private func flushOutgoing(_ connection: Connection) {
        while connection.sentCount < connection.outgoing.count {
            let status = connection.outgoing.withUnsafeBytes {
                TCPSocket.send(connection.fd, UnsafeRawBufferPointer(rebasing: $0[connection.sentCount...]))
            }
            switch status {
            case .transferred(let count):
                connection.sentCount += count
                counters.bytesSent += count
            case .wouldBlock:
                return  // the next EPOLLOUT edge continues
            case .failed(let code):
                requestFinished(connection, .failure(TransportError(errno: code)))
                return
            case .endOfStream:
                return
            }
        }
        connection.outgoing = []
        connection.phase = .receiving
        if !connection.carried.isEmpty {
            let carried = connection.carried
            connection.carried = []
            let status = carried.withUnsafeBytes { connection.decoder!.feed($0) }
            if case .complete(let result) = status {
                requestFinished(connection, result)
                return
            }
        }
        if connection.readPending { readAvailable(connection) }
    }

    private func readAvailable(_ connection: Connection) {
        connection.readPending = false
        let buffer = receiveBuffer
        while true {
            switch TCPSocket.receive(connection.fd, into: buffer) {
            case .transferred(let count):
                counters.bytesReceived += count
                let status = connection.decoder!.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if case .complete(let result) = status {
                    requestFinished(connection, result)
                    return
                }
                // A short read drained the socket; with edge triggering the next arrival
                // raises a new event, unless the peer already hung up (then read to EOF).
                if count < buffer.count && !connection.hangupSeen { return }
            case .endOfStream:
                connection.peerClosed = true
                requestFinished(connection, connection.decoder!.finish())
                return
            case .wouldBlock:
                return
            case .failed(let code):
                requestFinished(connection, .failure(TransportError(errno: code)))
                return
            }
        }
    }

    private func requestFinished(_ connection: Connection, _ result: ReplyResult) {
        connection.results.append(result)
        connection.index += 1
        let requests = connection.exchange.requests
        guard connection.index < requests.count else {
            finish(connection)
            return
        }
        if case .success = result, !connection.peerClosed,
            case .whatsminerV3 = requests[connection.index - 1].kind,
            case .whatsminerV3 = requests[connection.index].kind
        {
            // Same connection for the next v3 request, with any bytes already read.
            connection.carried = connection.decoder!.takeLeftover()
            startRequest(connection)
            return
        }
        closeSocket(connection)
        if monotonicNanoseconds() >= connection.deadline {
            finish(connection, failing: .timeout)
            return
        }
        openConnection(connection)
    }

    private func handle(_ event: Poller.Event) {
        if event.token == Self.stopToken {
            if stopNotifier.drain() > 0 { stopRequested = true }
            return
        }
        let slot = Int(truncatingIfNeeded: event.token & 0xFFFF_FFFF)
        // A stale event for a connection that ended earlier in this batch: its slot was
        // freed (and possibly reused with a new generation).
        guard slot < slots.count, let connection = slots[slot],
            connection.generation == UInt32(truncatingIfNeeded: event.token >> 32)
        else { return }
        let events = event.events
        let hangup = !events.isDisjoint(with: [.hangup, .error, .peerClosed])
        if hangup { connection.hangupSeen = true }
        let readable = events.contains(.readable) || hangup

        switch connection.phase {
        case .connecting:
            let code = TCPSocket.pendingError(connection.fd)
            if code != 0 {
                finish(connection, failing: TransportError(errno: code))
                return
            }
            guard events.contains(.writable) || hangup else { return }
            if readable { connection.readPending = true }
            connected(connection)
        case .sending:
            if readable { connection.readPending = true }
            if events.contains(.writable) || hangup { flushOutgoing(connection) }
        case .receiving:
            if readable { readAvailable(connection) }
        case .closed:
            break
        }
    }

    private func expireDeadlines() {
        while let (deadline, slot) = deadlines.first, deadline <= now {
            deadlines.popFirst()
            guard let connection = slots[slot] else { continue }
            finish(connection, failing: .timeout)
        }
    }

    private func fireTimers() {
        while !stopRequested, let timer = timers.popDue(now: now) {
            timer.action()
        }
    }

    private func cancelEverything() {
        if stopNotifier.drain() > 0 { stopRequested = true }
        sources.removeAll()
        timers.removeAll()
        // Completions may submit more; those are cancelled too, until nothing is left.
        repeat {
            for case let connection? in slots {
                finish(connection, failing: .timeout, cancelled: true)
            }
            while let pending = queue.popFirst() {
                counters.exchangesCompleted += 1
                let outcome = ExchangeOutcome(
                    exchange: pending.exchange,
                    results: Array(repeating: .failure(.timeout), count: pending.exchange.requests.count),
                    connected: false, connections: 0, elapsed: .zero, cancelled: true)
                pending.completion(outcome)
            }
            sources.removeAll()
            timers.removeAll()
        } while active > 0 || !queue.isEmpty
    }

    private func closeSocket(_ connection: Connection) {
        if connection.fd >= 0 {
            // close() also drops the descriptor from the epoll set (no dup exists).
            TCPSocket.close(connection.fd)
            connection.fd = -1
        }
        connection.phase = .closed
        connection.decoder = nil
        connection.outgoing = []
        connection.carried = []
    }

    /// Frees the slot of a connection without completing it.
    private func release(_ connection: Connection) {
        closeSocket(connection)
        deadlines.remove(slot: connection.slot)
        slots[connection.slot] = nil
        generations[connection.slot] &+= 1
        freeSlots.append(connection.slot)
        active -= 1
    }

    /// Completes an exchange: requests without a result get `error`, the socket closes, the
    /// slot is freed, then the completion runs.
    private func finish(_ connection: Connection, failing error: TransportError? = nil, cancelled: Bool = false) {
        guard slots[connection.slot] === connection else { return }
        if let error {
            while connection.results.count < connection.exchange.requests.count {
                connection.results.append(.failure(error))
            }
        }
        release(connection)
        descriptorStarved = false
        counters.exchangesCompleted += 1
        let elapsed = monotonicNanoseconds() &- connection.started
        let outcome = ExchangeOutcome(
            exchange: connection.exchange, results: connection.results, connected: connection.everConnected,
            connections: connection.connections, elapsed: .fromNanoseconds(elapsed), cancelled: cancelled)
        connection.results = []
        connection.completion(outcome)
    }
}
