import Glibc
import Synchronization
import Testing

@testable import BitlinkCore

/// Runs one exchange on a fresh engine and returns its outcome, the engine's counters and
/// how long `run()` took.
private func runOne(
    _ exchange: Exchange, configuration: IOEngine.Configuration = .init()
) throws -> (outcome: ExchangeOutcome, counters: IOCounters, seconds: Double) {
    let engine = try IOEngine(configuration: configuration)
    var outcome: ExchangeOutcome?
    engine.submit(exchange) { outcome = $0 }
    let start = secondsNow()
    engine.run()
    let seconds = secondsNow() - start
    let result = try #require(outcome)
    return (result, engine.counters, seconds)
}

private let loopback = IPv4Address(127, 0, 0, 1)
private let version = Request.cgminer("version")
private let root = Request.http("/")
private let versionReply = Array(#"{"STATUS":[{"STATUS":"S","Code":22,"Description":"cgminer 4.11.1"}],"VERSION":[{"CGMiner":"4.11.1"}],"id":1}"#.utf8)

/// Margins are generous on purpose: the assertions say "ended by its deadline, not hung",
/// never "took exactly this long" (2 cores, other builds and tests run alongside).
private let margin = 5.0

/// The descriptor the SIGUSR1 test handler writes to: a C signal handler cannot capture
/// context, so it reads a global, as the CLI's SIGINT handler will.
private let signalStopDescriptor = Atomic<Int32>(-1)

/// Lines recorded by peer threads, read by the test.
final class Recorder: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("IO engine on loopback")
struct IOEngineTests {
    // MARK: Failures end with the right error within their deadline

    @Test func refusedPort() throws {
        let port = try closedPort()
        let (outcome, counters, seconds) = try runOne(Exchange(address: loopback, port: port, requests: [version], timeout: .seconds(5)))
        #expect(outcome.results == [.failure(.refused)])
        #expect(!outcome.connected)
        #expect(outcome.connections == 1)
        #expect(!outcome.cancelled)
        #expect(counters.connectionsAttempted == 1)
        #expect(counters.connectionsEstablished == 0)
        #expect(seconds < margin)
    }

    @Test func silentPeerTimesOutAtTheDeadline() throws {
        let peer = try FakePeer { $0.hold(seconds: 30) }
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(
            Exchange(address: loopback, port: peer.port, requests: [version], timeout: .milliseconds(500)))
        #expect(outcome.results == [.failure(.timeout)])
        #expect(outcome.connected)
        #expect(seconds >= 0.45)
        #expect(seconds < 0.5 + margin)
    }

    @Test func slowDripTimesOutAtTheOverallDeadline() throws {
        // One byte every 200 ms never lets the socket go idle, so only an end-to-end
        // deadline (not a per-read one) can end this.
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            for _ in 0..<100 where !connection.stopped() {
                guard connection.send([UInt8(ascii: "{")]) else { return }
                connection.hold(seconds: 0.2)
            }
        }
        defer { peer.stop() }
        let (outcome, counters, seconds) = try runOne(
            Exchange(address: loopback, port: peer.port, requests: [version], timeout: .milliseconds(1500)))
        #expect(outcome.results == [.failure(.timeout)])
        #expect(counters.bytesReceived >= 2)
        #expect(seconds >= 1.4)
        #expect(seconds < 1.5 + margin)
    }

    @Test func resetMidReply() throws {
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            connection.send(Array(versionReply.prefix(20)))
            connection.hold(seconds: 0.1)
            connection.reset()
        }
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(10)))
        #expect(outcome.results == [.failure(.reset)])
        #expect(outcome.connected)
        #expect(seconds < 10)
    }

    @Test func nulEndsTheReplyWhileThePeerKeepsTheSocketOpen() throws {
        // The peer holds the connection for 30 s after the NUL; the exchange's deadline is
        // 3 s, so success proves the engine did not wait for end of stream.
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            connection.send(versionReply + [0])
            connection.hold(seconds: 30)
        }
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(3)))
        #expect(outcome.results == [.success(.bytes(versionReply))])
        #expect(seconds < 3)
    }

    @Test func replyWithoutNulEndsAtEOF() throws {
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            connection.send(versionReply)
        }
        defer { peer.stop() }
        let (outcome, counters, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [version]))
        #expect(outcome.results == [.success(.bytes(versionReply))])
        #expect(counters.bytesSent == WireFraming.cgminerRequest(command: "version").count)
        #expect(counters.bytesReceived == versionReply.count)
    }

    @Test func fiftyMegabytesIsTooLarge() throws {
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            let block = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
            for _ in 0..<50 where connection.send(block) {}
        }
        defer { peer.stop() }
        let limit = WireFraming.defaultReplyLimit
        let (outcome, counters, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(20)))
        #expect(outcome.results == [.failure(.tooLarge(limit: limit))])
        // Reading stopped at the cap: at most one receive buffer past it was ever read.
        #expect(counters.bytesReceived <= limit + (64 << 10))
    }

    @Test func connectTimeoutWhenTheAcceptQueueIsFull() throws {
        // A listener that never accepts, with backlog 0: once its accept queue holds one
        // connection, Linux drops further SYNs, so the next connect can only time out.
        let listener = try TCPSocket.listen(on: loopback, port: 0, backlog: 0)
        defer { TCPSocket.close(listener) }
        let port = try TCPSocket.localAddress(of: listener).port
        var fillers: [Int32] = []
        defer { fillers.forEach(TCPSocket.close) }
        for _ in 0..<4 {
            let fd = try TCPSocket.makeStream()
            fillers.append(fd)
            _ = TCPSocket.connect(fd, to: loopback, port: port)
        }
        usleep(50_000)
        let (outcome, _, seconds) = try runOne(
            Exchange(
                address: loopback, port: port, requests: [version, version],
                connectTimeout: .milliseconds(300), timeout: .seconds(20)))
        // Depending on kernel settings the SYN may instead be answered; then the silent
        // listener still makes this a timeout, only later. Either way: timeout, not a hang.
        #expect(outcome.results == [.failure(.timeout), .failure(.timeout)])
        if !outcome.connected { #expect(seconds < 0.3 + margin) }
    }

    // MARK: HTTP

    private func httpPeer(_ response: String, keepOpen: Bool = false, requests: Recorder? = nil) throws -> FakePeer {
        try FakePeer { connection in
            let request = connection.readHTTPRequest()
            requests?.append(String(decoding: request, as: UTF8.self))
            connection.send(response)
            if keepOpen { connection.hold(seconds: 30) }
        }
    }

    @Test func httpContentLengthCompletesWithoutWaitingForClose() throws {
        let seen = Recorder()
        let peer = try httpPeer(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"hashRate\":1}",
            keepOpen: true, requests: seen)
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(
            Exchange(address: loopback, port: peer.port, requests: [Request.http("/api/system/info")], timeout: .seconds(3)))
        guard case .success(.http(let response)) = outcome.results.first else {
            Issue.record("expected an HTTP response, got \(outcome.results)")
            return
        }
        #expect(response.status == 200)
        #expect(response.body == Array("{\"hashRate\":1}".utf8))
        #expect(seconds < 3)
        let request = seen.all.first ?? ""
        #expect(request.hasPrefix("GET /api/system/info HTTP/1.1\r\n"))
        #expect(request.contains("\r\nHost: 127.0.0.1:\(peer.port)\r\n"))
        #expect(request.contains("\r\nUser-Agent: bitlink\r\n"))
        #expect(request.contains("\r\nAccept: application/json, */*\r\n"))
        #expect(request.contains("\r\nConnection: close\r\n"))
    }

    @Test func httpChunked() throws {
        let peer = try httpPeer(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n", keepOpen: true)
        defer { peer.stop() }
        let (outcome, _, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [root], timeout: .seconds(3)))
        #expect(outcome.replies.reply(root)?.bytes == Array("{\"a\":1}".utf8))
    }

    @Test func httpCloseDelimited() throws {
        let peer = try httpPeer("HTTP/1.0 200 OK\r\nServer: tiny\r\n\r\n<html>miner</html>")
        defer { peer.stop() }
        let (outcome, _, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [root]))
        #expect(outcome.replies.reply(root)?.bytes == Array("<html>miner</html>".utf8))
    }

    @Test func httpRedirectIsReturnedNotFollowed() throws {
        let peer = try httpPeer("HTTP/1.1 307 Temporary Redirect\r\nLocation: https://127.0.0.1/cgi-bin/luci\r\nContent-Length: 0\r\n\r\n")
        defer { peer.stop() }
        let (outcome, counters, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [root]))
        guard case .success(.http(let response)) = outcome.results.first else {
            Issue.record("expected an HTTP response, got \(outcome.results)")
            return
        }
        #expect(response.status == 307)
        #expect(response.header("location") == "https://127.0.0.1/cgi-bin/luci")
        #expect(counters.connectionsAttempted == 1)
    }

    @Test func httpGarbageStatusLine() throws {
        let peer = try httpPeer("SSH-2.0-OpenSSH_9.2p1\r\n", keepOpen: true)
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(Exchange(address: loopback, port: peer.port, requests: [root], timeout: .seconds(3)))
        guard case .failure(.badFraming(let why)) = outcome.results.first else {
            Issue.record("expected badFraming, got \(outcome.results)")
            return
        }
        #expect(why.contains("SSH-2.0"))
        #expect(seconds < 3)
    }

    // MARK: Whatsminer v3

    @Test func whatsminerV3TwoRequestsOnOneConnection() throws {
        let seen = Recorder()
        let peer = try FakePeer { connection in
            for index in 0..<2 {
                let request = connection.readV3Request()
                seen.append(String(decoding: request, as: UTF8.self))
                connection.send(WireFraming.whatsminerV3Frame(Array(#"{"code":0,"n":\#(index)}"#.utf8)))
            }
            connection.hold(seconds: 30)
        }
        defer { peer.stop() }
        let info = Request.whatsminerV3("get.device.info")
        let summary = Request.whatsminerV3("get.miner.status", parameter: "summary")
        let (outcome, counters, seconds) = try runOne(
            Exchange(address: loopback, port: peer.port, requests: [info, summary], timeout: .seconds(3)))
        #expect(outcome.replies.reply(info)?.bytes == Array(#"{"code":0,"n":0}"#.utf8))
        #expect(outcome.replies.reply(summary)?.bytes == Array(#"{"code":0,"n":1}"#.utf8))
        #expect(outcome.connections == 1)
        #expect(counters.connectionsAttempted == 1)
        #expect(peer.accepted == 1)
        #expect(seen.all == [#"{"cmd":"get.device.info"}"#, #"{"cmd":"get.miner.status","param":"summary"}"#])
        #expect(seconds < 3)
    }

    @Test func whatsminerV3BogusLength() throws {
        let peer = try FakePeer { connection in
            _ = connection.readV3Request()
            connection.send([0xFF, 0xFF, 0xFF, 0xFF, UInt8(ascii: "{")])
            connection.hold(seconds: 30)
        }
        defer { peer.stop() }
        let (outcome, _, seconds) = try runOne(
            Exchange(address: loopback, port: peer.port, requests: [.whatsminerV3("get.device.info")], timeout: .seconds(3)))
        #expect(outcome.results == [.failure(.tooLarge(limit: WireFraming.defaultReplyLimit))])
        #expect(seconds < 3)
    }

    // MARK: Sequencing and flows

    @Test func cgminerRequestsInOneExchangeUseOneConnectionEach() throws {
        let peer = try FakePeer { connection in
            let request = connection.readCGMinerRequest()
            connection.send(request + [0])  // echo
        }
        defer { peer.stop() }
        let summary = Request.cgminer("summary")
        let (outcome, counters, _) = try runOne(Exchange(address: loopback, port: peer.port, requests: [version, summary]))
        #expect(outcome.replies.reply(version)?.bytes == WireFraming.cgminerRequest(command: "version"))
        #expect(outcome.replies.reply(summary)?.bytes == WireFraming.cgminerRequest(command: "summary"))
        #expect(outcome.connections == 2)
        #expect(counters.connectionsEstablished == 2)
    }

    @Test func completionsChainAMultiStepFlow() throws {
        let peer = try FakePeer { connection in
            _ = connection.readCGMinerRequest()
            connection.send(versionReply + [0])
        }
        defer { peer.stop() }
        let engine = try IOEngine()
        var steps: [String] = []
        engine.submit(Exchange(address: loopback, port: peer.port, requests: [version])) { probe in
            steps.append("probe \(probe.succeeded)")
            guard probe.succeeded else { return }
            engine.submit(Exchange(address: loopback, port: peer.port, requests: [.cgminer("summary")])) { read in
                steps.append("read \(read.succeeded)")
            }
        }
        engine.run()
        #expect(steps == ["probe true", "read true"])
        #expect(engine.counters.exchangesCompleted == 2)
        #expect(engine.inFlight == 0)
    }

    @Test func planGroupsRequestsByPort() {
        let plan = Exchange.plan(
            [version, .http("/"), .cgminer("summary"), .whatsminerV3("get.device.info")], address: loopback,
            ports: MinerPorts(api: 4028, http: 8080, whatsminerV3: 4433))
        #expect(plan.map(\.port) == [4028, 8080, 4433])
        #expect(plan[0].requests == [version, .cgminer("summary")])
    }

    // MARK: Scale, limits, stop

    @Test func manyConcurrentExchangesRespectMaxInFlight() throws {
        let port = try closedPort()
        let answering = try (0..<5).map { _ in
            try FakePeer { connection in
                _ = connection.readCGMinerRequest()
                connection.send(versionReply + [0])
            }
        }
        defer { answering.forEach { $0.stop() } }

        let engine = try IOEngine(configuration: .init(maxInFlight: 100))
        var sent: [SentRequest] = []
        engine.requestObserver = { sent.append($0) }
        var refused = 0
        var answered = 0
        var other: [ExchangeOutcome] = []
        var maxSeenInFlight = 0
        // 2,000 refused exchanges spread over 127.1.x.y, fed lazily, plus 5 answering peers.
        let targets = (0..<2000).lazy.map { (index: Int) -> Exchange in
            let address = IPv4Address(127, 1, UInt8(index / 250), UInt8(1 + index % 250))
            return Exchange(address: address, port: port, requests: [version], timeout: .seconds(10))
        }
        engine.submit(contentsOf: targets) { outcome in
            maxSeenInFlight = max(maxSeenInFlight, engine.inFlight + 1)
            if outcome.results == [.failure(.refused)] { refused += 1 } else { other.append(outcome) }
        }
        for peer in answering {
            engine.submit(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(10))) { outcome in
                if outcome.results == [.success(.bytes(versionReply))] { answered += 1 } else { other.append(outcome) }
            }
        }
        let start = secondsNow()
        engine.run()
        #expect(secondsNow() - start < 30)
        #expect(refused == 2000)
        #expect(answered == 5)
        #expect(other.isEmpty, "unexpected outcomes: \(other.prefix(3).map(\.results))")
        #expect(engine.counters.peakInFlight <= 100)
        #expect(maxSeenInFlight <= 100)
        #expect(engine.counters.exchangesSubmitted == 2005)
        #expect(engine.counters.exchangesCompleted == 2005)
        #expect(engine.counters.connectionsAttempted == 2005)
        #expect(engine.counters.connectionsEstablished == 5)
        // The observer saw exactly the requests written: read-only `version`, five times.
        #expect(sent.count == 5)
        #expect(sent.allSatisfy { $0.request == version && $0.bytes == WireFraming.cgminerRequest(command: "version") })
    }

    @Test func connectRateLimitSpacesNewConnections() throws {
        let port = try closedPort()
        let engine = try IOEngine(configuration: .init(connectRate: 50, connectBurst: 1))
        var completed = 0
        for _ in 0..<11 {
            engine.submit(Exchange(address: loopback, port: port, requests: [version])) { _ in completed += 1 }
        }
        let start = secondsNow()
        engine.run()
        let seconds = secondsNow() - start
        #expect(completed == 11)
        // 11 starts with a bucket of 1 at 50/s need at least 10 refills of 20 ms each.
        #expect(seconds >= 0.19)
        #expect(seconds < 0.2 + margin)
    }

    @Test func stopFromAnotherThreadEndsRunPromptly() throws {
        let peer = try FakePeer { $0.hold(seconds: 30) }
        defer { peer.stop() }
        let port = try closedPort()
        let engine = try IOEngine(configuration: .init(maxInFlight: 1))
        var outcomes: [ExchangeOutcome] = []
        engine.submit(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(30))) { outcomes.append($0) }
        engine.submit(Exchange(address: loopback, port: port, requests: [version], timeout: .seconds(30))) { outcomes.append($0) }
        engine.schedule(after: .seconds(20)) { Issue.record("a timer ran after stop") }
        let handle = engine.stopHandle
        let stopper = spawnThread {
            usleep(200_000)
            handle.requestStop()
        }
        let start = secondsNow()
        engine.run()
        let seconds = secondsNow() - start
        pthread_join(stopper, nil)
        #expect(seconds < margin)
        #expect(outcomes.count == 2)
        #expect(outcomes.allSatisfy { $0.cancelled })
        #expect(outcomes.allSatisfy { $0.results == [.failure(.timeout)] })
        #expect(outcomes.first?.connected == true)
        // The stop is sticky: a later run cancels new work at once.
        var late: ExchangeOutcome?
        engine.submit(Exchange(address: loopback, port: port, requests: [version])) { late = $0 }
        engine.run()
        #expect(late?.cancelled == true)
    }

    @Test func stopFromASignalHandler() throws {
        let peer = try FakePeer { $0.hold(seconds: 30) }
        defer { peer.stop() }
        let engine = try IOEngine()
        var outcome: ExchangeOutcome?
        engine.submit(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(30))) { outcome = $0 }
        signalStopDescriptor.store(engine.stopHandle.fileDescriptor, ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            StopHandle.requestStop(fileDescriptor: signalStopDescriptor.load(ordering: .acquiring))
        }
        var previous = sigaction()
        sigaction(SIGUSR1, &action, &previous)
        defer { sigaction(SIGUSR1, &previous, nil) }
        // The signal is sent to the sending thread itself, so the handler runs there, on a
        // thread that is not the one running the engine. That thread inherits the signal
        // mask of the test's pool thread, where libdispatch blocks signals: unblock it.
        let sender = spawnThread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            usleep(200_000)
            pthread_kill(pthread_self(), SIGUSR1)
        }
        let start = secondsNow()
        engine.run()
        pthread_join(sender, nil)
        #expect(secondsNow() - start < margin)
        #expect(outcome?.cancelled == true)
        #expect(outcome?.results == [.failure(.timeout)])
    }

    @Test func runTimeoutEndsARound() throws {
        let peer = try FakePeer { $0.hold(seconds: 30) }
        defer { peer.stop() }
        let engine = try IOEngine()
        var outcome: ExchangeOutcome?
        engine.submit(Exchange(address: loopback, port: peer.port, requests: [version], timeout: .seconds(30))) { outcome = $0 }
        let start = secondsNow()
        engine.run(timeout: .milliseconds(300))
        #expect(secondsNow() - start < 0.3 + margin)
        #expect(outcome?.cancelled == true)
        // Not sticky: the next run works.
        let port = try closedPort()
        var next: ExchangeOutcome?
        engine.submit(Exchange(address: loopback, port: port, requests: [version])) { next = $0 }
        engine.run()
        #expect(next?.results == [.failure(.refused)])
    }

    @Test func timersRunInOrderOnTheEngineThread() throws {
        let engine = try IOEngine()
        var order: [Int] = []
        engine.schedule(after: .milliseconds(30)) { order.append(2) }
        engine.schedule(after: .milliseconds(10)) {
            order.append(1)
            engine.schedule(after: .milliseconds(40)) { order.append(3) }
        }
        engine.run()
        #expect(order == [1, 2, 3])
    }

    @Test func emptyExchangeCompletesAtOnce() throws {
        let (outcome, counters, _) = try runOne(Exchange(address: loopback, port: 1, requests: []))
        #expect(outcome.results.isEmpty)
        #expect(counters.connectionsAttempted == 0)
    }
}

@Suite("IO engine structures")
struct EngineStructureTests {
    @Test func deadlineHeapMatchesASortedReference() {
        var heap = DeadlineHeap()
        var reference: [Int: UInt64] = [:]
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        for _ in 0..<5000 {
            let slot = Int(next() % 200)
            switch next() % 3 {
            case 0, 1:
                let deadline = next() % 1000
                heap.set(slot: slot, deadline: deadline)
                reference[slot] = deadline
            default:
                heap.remove(slot: slot)
                reference[slot] = nil
            }
            #expect(heap.count == reference.count)
            if let first = heap.first { #expect(first.deadline == reference.values.min()) }
        }
        var popped: [UInt64] = []
        while let entry = heap.popFirst() { popped.append(entry.deadline) }
        #expect(popped == reference.values.sorted())
    }

    @Test func ringQueueKeepsOrder() {
        var queue = RingQueue<Int>()
        for value in 0..<100 { queue.append(value) }
        for expected in 0..<50 { #expect(queue.popFirst() == expected) }
        queue.prepend(-1)
        for value in 100..<200 { queue.append(value) }
        #expect(queue.popFirst() == -1)
        var rest: [Int] = []
        while let value = queue.popFirst() { rest.append(value) }
        #expect(rest == Array(50..<200))
        #expect(queue.isEmpty)
    }
}
