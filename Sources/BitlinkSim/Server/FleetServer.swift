import BitlinkCore
import Dispatch
import Glibc
import Synchronization

/// The simulator's server engine: one thread, one epoll set (the IO engine's `Poller`),
/// every listener and connection of the fleet non-blocking on it. Public calls reach it as jobs run on
/// that thread, so miner state needs no locks.
final class FleetServer: @unchecked Sendable {
    let clock: SimClock
    let seed: UInt64
    let ports: PortPlan
    let log: RequestLog
    let oversizeBytes: Int
    private(set) var miners: [MinerState] = []
    private var listeners: [Int32: Listener] = [:]
    private var connections: [Int32: Connection] = [:]
    private var dripping: Set<Int32> = []
    private let poller: Poller
    private let notifier: EventNotifier
    private let jobs = Mutex<[@Sendable (FleetServer) -> Void]>([])
    private var running = true
    private var thread: pthread_t?
    private let stopped = Mutex<Bool>(false)
    /// Tick period of the loop: drips and flapping are checked at least this often.
    private let tickMilliseconds: Int32 = 100

    init(clock: SimClock, seed: UInt64, ports: PortPlan, log: RequestLog, oversizeBytes: Int) throws {
        self.clock = clock
        self.seed = seed
        self.ports = ports
        self.log = log
        self.oversizeBytes = oversizeBytes
        do {
            poller = try Poller(eventCapacity: 1024)
            notifier = try EventNotifier()
        } catch {
            throw SimError.socket(call: error.operation, address: "-", errno: error.errno)
        }
        watch(notifier.fileDescriptor, events: .readable)
    }

    // MARK: - Setup (before the thread starts, or inside jobs)

    func add(_ miner: MinerState) throws {
        miners.append(miner)
        try openListeners(miner)
    }

    func openListeners(_ miner: MinerState) throws {
        for service in miner.services {
            let port = ports.port(for: service)
            let fd = try SimSocket.listen(miner.address, port, backlog: 4096)
            let listener = Listener(fd: fd, miner: miner, service: service, port: port)
            miner.listeners.append(listener)
            listeners[fd] = listener
            watch(fd, events: .readable)
        }
        miner.blocked = false
        if miner.shouldBeBlocked(at: clock.now) { setBlocked(miner, true) }
    }

    /// Closes a miner's listeners and connections (for a move or the stop).
    func closeMiner(_ miner: MinerState) {
        for fd in miner.connections { closeConnection(fd) }
        for listener in miner.listeners {
            for filler in listener.fillers { close(filler) }
            unwatch(listener.fd)
            listeners[listener.fd] = nil
            close(listener.fd)
        }
        miner.listeners = []
        miner.blocked = false
    }

    /// Makes a miner unreachable (SYNs dropped) or reachable again.
    ///
    /// Unreachable: `listen(fd, 0)` shrinks the accept queue to one slot, which a
    /// connection from the simulator fills and nobody accepts; Linux then drops every
    /// further SYN (tcp_conn_request: accept queue full), so a client's connect times out.
    func setBlocked(_ miner: MinerState, _ blocked: Bool) {
        guard miner.blocked != blocked else { return }
        miner.blocked = blocked
        for listener in miner.listeners {
            if blocked {
                unwatch(listener.fd)
                listen(listener.fd, 0)
                // Connections already queued would take the slot: accept and drop them.
                while true {
                    let fd = SimSocket.acceptNonBlocking(listener.fd)
                    if fd < 0 { break }
                    close(fd)
                }
                if let filler = try? SimSocket.connectNonBlocking(miner.address, listener.port) {
                    _ = SimSocket.waitWritable(filler, milliseconds: 200)
                    listener.fillers.append(filler)
                }
            } else {
                for filler in listener.fillers { close(filler) }
                listener.fillers = []
                listen(listener.fd, 4096)
                watch(listener.fd, events: .readable)
            }
        }
    }

    // MARK: - Thread and jobs

    func start() {
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let server = Unmanaged<FleetServer>.fromOpaque(raw!).takeRetainedValue()
            server.loop()
            return nil
        }, box.toOpaque())
        precondition(result == 0, "cannot start the simulator thread")
        thread = handle
    }

    /// Runs `body` on the server thread and returns its result.
    func sync<T: Sendable>(_ body: @escaping @Sendable (FleetServer) -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        jobs.withLock {
            $0.append { server in
                let value = body(server)
                result.withLock { $0 = value }
                done.signal()
            }
        }
        wake()
        done.wait()
        return result.withLock { $0! }
    }

    private func wake() { notifier.notify() }

    /// Stops the thread and closes every socket. Idempotent.
    func stop() {
        let first = stopped.withLock { old -> Bool in
            defer { old = true }
            return !old
        }
        guard first else { return }
        sync { server in
            for miner in server.miners { server.closeMiner(miner) }
            server.running = false
        }
        if let thread { pthread_join(thread, nil) }
        log.close()
    }

    private func loop() {
        while running {
            _ = try? poller.wait(timeoutMilliseconds: tickMilliseconds) { event in
                // After a stop job, the rest of the batch refers to closed descriptors.
                guard running else { return }
                let fd = Int32(truncatingIfNeeded: event.token)
                if fd == notifier.fileDescriptor {
                    notifier.drain()
                    runJobs()
                } else if let listener = listeners[fd] {
                    acceptAll(listener)
                } else if let connection = connections[fd] {
                    handle(connection, flags: event.events)
                }
            }
            if running { tick() }
        }
    }

    private func runJobs() {
        let pending = jobs.withLock { jobs -> [@Sendable (FleetServer) -> Void] in
            defer { jobs.removeAll() }
            return jobs
        }
        for job in pending { job(self) }
    }

    /// Applies sim time: flapping transitions and drip bytes.
    func tick() {
        let now = clock.now
        for miner in miners where miner.faults.contains(.flapping) || miner.faults.contains(.dead) || miner.blocked {
            let blocked = miner.shouldBeBlocked(at: now)
            if blocked != miner.blocked { setBlocked(miner, blocked) }
        }
        for fd in dripping {
            guard let connection = connections[fd], case .dripping(let start) = connection.state else {
                dripping.remove(fd)
                continue
            }
            let due = min(connection.output.count, Int((now - start).rounded(.down)))
            if due > connection.sent { sendDrip(connection, upTo: due) }
        }
    }

    // MARK: - Epoll helpers

    // The token is the descriptor itself: one lookup in `listeners` or `connections`.
    private func watch(_ fd: Int32, events: Poller.Events) {
        try? poller.register(fd, events: events, token: UInt64(UInt32(bitPattern: fd)))
    }

    private func modify(_ fd: Int32, events: Poller.Events) {
        try? poller.reregister(fd, events: events, token: UInt64(UInt32(bitPattern: fd)))
    }

    private func unwatch(_ fd: Int32) {
        try? poller.deregister(fd)
    }

    // MARK: - Connections

    private func acceptAll(_ listener: Listener) {
        guard !listener.miner.blocked else { return }
        while true {
            let fd = SimSocket.acceptNonBlocking(listener.fd)
            if fd < 0 { return }
            let connection = Connection(fd: fd, miner: listener.miner, service: listener.service, port: listener.port)
            connections[fd] = connection
            listener.miner.connections.insert(fd)
            watch(fd, events: [.readable, .peerClosed])
        }
    }

    private func closeConnection(_ fd: Int32, reset: Bool = false) {
        guard let connection = connections.removeValue(forKey: fd) else { return }
        connection.miner.connections.remove(fd)
        dripping.remove(fd)
        unwatch(fd)
        if reset { SimSocket.closeWithReset(fd) } else { close(fd) }
    }

    private func handle(_ connection: Connection, flags: Poller.Events) {
        if !flags.isDisjoint(with: [.readable, .peerClosed, .hangup]) {
            readAvailable(connection)
            guard connections[connection.fd] != nil else { return }
        }
        if flags.contains(.error) {
            closeConnection(connection.fd)
            return
        }
        if flags.contains(.writable), case .writing = connection.state {
            flush(connection)
        }
    }

    private func readAvailable(_ connection: Connection) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        var sawEOF = false
        while true {
            let count = read(connection.fd, &buffer, buffer.count)
            if count > 0 {
                if case .reading = connection.state { connection.input.append(contentsOf: buffer[0..<count]) }
                if connection.input.count > 1 << 20 {
                    closeConnection(connection.fd)
                    return
                }
                continue
            }
            if count == 0 { sawEOF = true }
            else if errno == EINTR { continue }
            else if errno != EAGAIN && errno != EWOULDBLOCK { sawEOF = true }
            break
        }
        if case .reading = connection.state { processInput(connection, eof: sawEOF) }
        guard connections[connection.fd] != nil else { return }
        if sawEOF {
            switch connection.state {
            case .reading, .holding: closeConnection(connection.fd)
            case .writing, .dripping:
                // The peer half-closed; keep sending what it asked for.
                modify(connection.fd, events: connection.watchingWrite ? .writable : [])
            }
        }
    }

    /// Answers every complete request in the input.
    private func processInput(_ connection: Connection, eof: Bool) {
        switch connection.service {
        case .api:
            guard !connection.input.isEmpty else { return }
            let isJSON = connection.input.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{")
            // cgminer answers what its first recv() returned; a JSON request is waited for
            // until its braces balance (or EOF) so a split segment is not misread.
            if isJSON, !eof, !CGMinerRequest.isCompleteJSON(connection.input) { return }
            let raw = connection.input
            connection.input = []
            answerAPI(connection, raw: raw)
        case .http:
            guard let end = HTTPResponder.headEnd(connection.input) else {
                if eof, !connection.input.isEmpty { answerHTTP(connection, head: connection.input) }
                return
            }
            let head = Array(connection.input[0..<end])
            connection.input = []
            answerHTTP(connection, head: head)
        case .whatsminerV3:
            switch WhatsminerV3Responder.frame(connection.input) {
            case .incomplete: return
            case .invalid: closeConnection(connection.fd)
            case .complete(let payload, let consumed):
                connection.input.removeFirst(consumed)
                answerV3(connection, payload: payload)
            }
        }
    }

    private func record(_ connection: Connection, request: [UInt8], command: String) {
        let now = clock.now
        log.append(RequestLogEntry(
            time: clock.epoch + now, simTime: now, miner: connection.miner.index,
            address: connection.miner.address.description, port: connection.port,
            proto: connection.service.rawValue, request: String(decoding: request, as: UTF8.self), command: command))
    }

    private var when: Int { Int(clock.unixNow) }

    private func answerAPI(_ connection: Connection, raw: [UInt8]) {
        var trimmed = raw[...]
        while let last = trimmed.last, last == 0 || last == 0x0A || last == 0x0D { trimmed.removeLast() }
        let command: String
        switch CGMinerRequest.parse(raw) {
        case .success(let request): command = request.command
        case .failure: command = ""
        }
        record(connection, request: Array(trimmed), command: command)
        let miner = connection.miner
        if miner.connectionFault == .oversized {
            startOversized(connection, head: FaultShaping.oversizedAPIHead(description: miner.model.apiDescription, when: when),
                           tail: FaultShaping.oversizedTail + [0])
            return
        }
        let responder = CGMinerResponder(fixtures: miner.activeFixtures, snapshot: miner.snapshot(seed: seed, now: clock.now), when: when)
        var (reply, addNUL) = responder.reply(to: raw)
        if addNUL { reply.append(0) }
        send(connection, reply: reply, keepsConnection: false)
    }

    private func answerHTTP(_ connection: Connection, head: [UInt8]) {
        let parsed = HTTPResponder.parseHead(head)
        let headText = head.prefix { $0 != 0x0D && $0 != 0x0A }
        let words = headText.split(separator: 0x20).prefix(2).map { String(decoding: $0, as: UTF8.self) }
        record(connection, request: head, command: words.joined(separator: " "))
        let miner = connection.miner
        if miner.connectionFault == .oversized {
            let header = HTTPResponder.header(200, "OK", [("Content-Type", "application/json")],
                                              length: oversizeBytes + 9 + FaultShaping.oversizedTail.count)
            startOversized(connection, head: header + Array("{\"pad\":\"".utf8) + [], tail: Array("\"}".utf8) + Array(repeating: UInt8(ascii: " "), count: FaultShaping.oversizedTail.count - 1))
            return
        }
        let responder = HTTPResponder(fixtures: miner.activeFixtures, snapshot: miner.snapshot(seed: seed, now: clock.now),
                                      address: miner.address.description)
        var response = responder.response(to: parsed)
        if miner.connectionFault == .keepOpen, let end = HTTPResponder.headEnd(response) {
            // The socket stays open after the body, so the head must not promise a close.
            let head = String(decoding: response[0..<end], as: UTF8.self)
            response = Array(head.replacingOccurrences("Connection: close", with: "Connection: keep-alive").utf8) + response[end...]
        }
        if miner.connectionFault == .garbage, let end = HTTPResponder.headEnd(response) {
            // Keep a valid head so the garbage reaches the body parser.
            let body = FaultShaping.garbage(seed: seed, miner: miner.index)
            let headText = String(decoding: response[0..<end], as: UTF8.self)
            let lines = headText.split(separator: "\r\n").filter { !$0.hasPrefix("Content-Length") }
            response = Array((lines.joined(separator: "\r\n") + "\r\nContent-Length: \(body.count)\r\n\r\n").utf8) + body
            send(connection, reply: response, keepsConnection: false, shaped: true)
            return
        }
        send(connection, reply: response, keepsConnection: false)
    }

    private func answerV3(_ connection: Connection, payload: [UInt8]) {
        record(connection, request: payload, command: WhatsminerV3Responder.command(in: payload) ?? "")
        let miner = connection.miner
        if miner.connectionFault == .oversized {
            let length = UInt32(clamping: oversizeBytes + 9 + 2)
            let prefix: [UInt8] = [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24 & 0xFF)]
            startOversized(connection, head: prefix + Array("{\"pad\":\"".utf8), tail: Array("\"}".utf8))
            return
        }
        let responder = WhatsminerV3Responder(fixtures: miner.activeFixtures, snapshot: miner.snapshot(seed: seed, now: clock.now), when: when)
        if miner.connectionFault == .garbage {
            send(connection, reply: WhatsminerV3Responder.framed(FaultShaping.garbage(seed: seed, miner: miner.index)),
                 keepsConnection: false, shaped: true)
            return
        }
        send(connection, reply: WhatsminerV3Responder.framed(responder.reply(to: payload)), keepsConnection: true)
    }

    /// Sends a reply, shaped by the miner's connection fault.
    private func send(_ connection: Connection, reply: [UInt8], keepsConnection: Bool, shaped: Bool = false) {
        let fault = shaped ? nil : connection.miner.connectionFault
        connection.after = keepsConnection ? .readNext : .close
        switch fault {
        case .hold:
            // Read the request, answer nothing, keep the socket until the peer gives up.
            connection.state = .holding
            return
        case .drip:
            connection.output = reply
            connection.sent = 0
            connection.state = .dripping(start: clock.now)
            dripping.insert(connection.fd)
            return
        case .reset:
            connection.output = FaultShaping.firstHalf(reply)
            connection.after = .reset
        case .truncated:
            connection.output = FaultShaping.truncated(reply)
            connection.after = .close
        case .garbage:
            connection.output = FaultShaping.garbage(seed: seed, miner: connection.miner.index) + [0]
            connection.after = .close
        case .keepOpen:
            connection.output = reply
            connection.after = .keepOpen
        default:
            connection.output = reply
        }
        connection.sent = 0
        connection.state = .writing
        flush(connection)
    }

    private func startOversized(_ connection: Connection, head: [UInt8], tail: [UInt8]) {
        connection.output = head
        connection.sent = 0
        connection.streamRemaining = oversizeBytes
        connection.streamTail = tail
        connection.after = .close
        connection.state = .writing
        flush(connection)
    }

    /// Writes as much as the socket takes; refills streamed replies chunk by chunk so an
    /// oversized reply never sits in memory whole.
    private func flush(_ connection: Connection) {
        while true {
            if connection.sent == connection.output.count {
                if connection.streamRemaining > 0 {
                    let count = min(connection.streamRemaining, FaultShaping.paddingChunk.count)
                    connection.output = count == FaultShaping.paddingChunk.count ? FaultShaping.paddingChunk : Array(FaultShaping.paddingChunk.prefix(count))
                    connection.streamRemaining -= count
                    connection.sent = 0
                } else if !connection.streamTail.isEmpty {
                    connection.output = connection.streamTail
                    connection.streamTail = []
                    connection.sent = 0
                } else {
                    finishWrite(connection)
                    return
                }
            }
            let written = connection.output.withUnsafeBytes { raw in
                Glibc.send(connection.fd, raw.baseAddress! + connection.sent, connection.output.count - connection.sent, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                connection.sent += written
                continue
            }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                if !connection.watchingWrite {
                    connection.watchingWrite = true
                    modify(connection.fd, events: [.readable, .peerClosed, .writable])
                }
                return
            }
            closeConnection(connection.fd)
            return
        }
    }

    private func sendDrip(_ connection: Connection, upTo due: Int) {
        while connection.sent < due {
            let written = connection.output.withUnsafeBytes { raw in
                Glibc.send(connection.fd, raw.baseAddress! + connection.sent, due - connection.sent, Int32(MSG_NOSIGNAL))
            }
            if written > 0 { connection.sent += written; continue }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN || errno == EWOULDBLOCK { return }
            closeConnection(connection.fd)
            return
        }
        if connection.sent == connection.output.count {
            dripping.remove(connection.fd)
            finishWrite(connection)
        }
    }

    private func finishWrite(_ connection: Connection) {
        connection.output = []
        connection.sent = 0
        if connection.watchingWrite {
            connection.watchingWrite = false
            modify(connection.fd, events: [.readable, .peerClosed])
        }
        switch connection.after {
        case .close: closeConnection(connection.fd)
        case .reset: closeConnection(connection.fd, reset: true)
        case .keepOpen: connection.state = .holding
        case .readNext:
            connection.state = .reading
            if !connection.input.isEmpty { processInput(connection, eof: false) }
        }
    }
}
