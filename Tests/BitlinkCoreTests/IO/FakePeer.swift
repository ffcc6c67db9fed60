import Glibc
import Synchronization

@testable import BitlinkCore

/// Starts a detached-on-join pthread running `body` (test-only: peers get real threads so
/// they never occupy the cooperative pool the tests run on).
func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
        &thread, nil,
        { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    return thread
}

/// Seconds on the monotonic clock, for elapsed-time assertions in tests.
func secondsNow() -> Double { Double(monotonicNanoseconds()) / 1e9 }

/// A port on 127.0.0.1 that was bound and then closed: connecting to it is refused.
func closedPort(on address: IPv4Address = IPv4Address(127, 0, 0, 1)) throws -> UInt16 {
    let fd = try TCPSocket.listen(on: address, port: 0)
    defer { TCPSocket.close(fd) }
    return try TCPSocket.localAddress(of: fd).port
}

/// One accepted connection of a `FakePeer`, with blocking-style helpers built on poll(2).
/// Every wait is bounded and gives up when the peer is stopped.
struct PeerConnection: Sendable {
    let fd: Int32
    let stopped: @Sendable () -> Bool

    /// Waits for `events` on the socket; false on timeout or stop.
    private func wait(_ events: Int16, seconds: Double) -> Bool {
        let end = secondsNow() + seconds
        while !stopped() && secondsNow() < end {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            if poll(&entry, 1, 20) > 0 { return true }
        }
        return false
    }

    /// Reads until `complete` says the bytes so far are a whole request (or EOF, stop, or
    /// `seconds` pass).
    func read(seconds: Double = 5, until complete: ([UInt8]) -> Bool) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = secondsNow() + seconds
        while !complete(received) && secondsNow() < end {
            guard wait(Int16(POLLIN), seconds: end - secondsNow()) else { break }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                break
            }
            received += buffer[0..<count]
        }
        return received
    }

    /// Reads one CGMiner request (a JSON object; cgminer itself reads once).
    func readCGMinerRequest() -> [UInt8] { read { $0.last == UInt8(ascii: "}") } }

    /// Reads one HTTP request head.
    func readHTTPRequest() -> [UInt8] {
        read { bytes in bytes.count >= 4 && Array(bytes.suffix(4)) == Array("\r\n\r\n".utf8) }
    }

    /// Reads one length-prefixed Whatsminer v3 message and returns its payload.
    func readV3Request() -> [UInt8] {
        let bytes = read { bytes in
            guard bytes.count >= 4 else { return false }
            let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
            return bytes.count >= 4 + length
        }
        return Array(bytes.dropFirst(4))
    }

    /// Writes everything, or stops at the first error (the client went away) or stop.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard wait(Int16(POLLOUT), seconds: 10) else { return false }
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Sleeps up to `seconds`, waking early when the peer is stopped.
    func hold(seconds: Double) {
        let end = secondsNow() + seconds
        while !stopped() && secondsNow() < end { usleep(10_000) }
    }

    /// Closes with a RST instead of a FIN.
    func reset() { TCPSocket.setResetOnClose(fd) }
}

/// A loopback server on its own thread, one thread per accepted connection, running
/// `handler` for each. Bounded: it serves at most `maxConnections`, lives at most
/// `lifetime` seconds, and `stop()` (or deinit) ends every thread within ~20 ms.
final class FakePeer: Sendable {
    let address: IPv4Address
    let port: UInt16
    private let listener: Int32
    private let stopFlag = Atomic<Bool>(false)
    private let threads = Mutex<[pthread_t]>([])
    private let acceptedCount = Atomic<Int>(0)

    /// Connections accepted so far.
    var accepted: Int { acceptedCount.load(ordering: .acquiring) }

    init(
        address: IPv4Address = IPv4Address(127, 0, 0, 1), maxConnections: Int = 64, lifetime: Double = 60,
        handler: @escaping @Sendable (PeerConnection) -> Void
    ) throws {
        self.address = address
        listener = try TCPSocket.listen(on: address, port: 0, backlog: 128)
        port = try TCPSocket.localAddress(of: listener).port
        let listener = self.listener
        let end = secondsNow() + lifetime
        let accept = spawnThread { [self] in
            var served = 0
            while !self.isStopped && served < maxConnections && secondsNow() < end {
                var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                guard poll(&entry, 1, 20) > 0 else { continue }
                guard case .accepted(let fd, _, _) = TCPSocket.accept(listener) else { continue }
                served += 1
                self.acceptedCount.add(1, ordering: .releasing)
                let connection = PeerConnection(fd: fd, stopped: { [self] in self.isStopped || secondsNow() >= end })
                let worker = spawnThread {
                    handler(connection)
                    TCPSocket.close(fd)
                }
                self.threads.withLock { $0.append(worker) }
            }
        }
        threads.withLock { $0.append(accept) }
    }

    var isStopped: Bool { stopFlag.load(ordering: .acquiring) }

    /// Stops and joins every thread, then closes the listener. Idempotent.
    func stop() {
        guard !stopFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        while let thread = threads.withLock({ $0.popLast() }) {
            pthread_join(thread, nil)
        }
        TCPSocket.close(listener)
    }

    deinit { stop() }
}
