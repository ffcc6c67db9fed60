import BitlinkCore
import Glibc

/// The benchmark's client side: one `Poller` loop keeping up to `concurrency` exchanges
/// in flight, each connect -> send -> read to EOF, loopback only.
final class BenchClient {
    struct Target {
        var address: IPv4Address
        var port: UInt16
        var request: [UInt8]
    }

    struct Outcome {
        var ok = 0
        var failed = 0
        var bytes = 0
        var seconds = 0.0
    }

    private final class Exchange {
        let target: Target
        let fd: Int32
        var connected = false
        var received = 0
        let started: Double
        init(target: Target, fd: Int32, started: Double) {
            self.target = target
            self.fd = fd
            self.started = started
        }
    }

    static func run(_ targets: [Target], concurrency: Int, timeout: Double) -> Outcome {
        var outcome = Outcome()
        guard let poller = try? Poller(eventCapacity: 1024) else {
            outcome.failed = targets.count
            return outcome
        }
        var inFlight: [Int32: Exchange] = [:]
        var next = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        let start = SimClock.monotonic()

        func finish(_ exchange: Exchange, ok: Bool) {
            try? poller.deregister(exchange.fd)
            close(exchange.fd)
            inFlight[exchange.fd] = nil
            if ok { outcome.ok += 1 } else { outcome.failed += 1 }
        }

        while next < targets.count || !inFlight.isEmpty {
            while inFlight.count < concurrency, next < targets.count {
                let target = targets[next]
                next += 1
                guard let fd = try? SimSocket.connectNonBlocking(target.address, target.port) else {
                    outcome.failed += 1
                    continue
                }
                try? poller.register(fd, events: .writable, token: UInt64(UInt32(bitPattern: fd)))
                inFlight[fd] = Exchange(target: target, fd: fd, started: SimClock.monotonic())
            }
            var ready: [Int32] = []
            _ = try? poller.wait(timeoutMilliseconds: 100) { ready.append(Int32(truncatingIfNeeded: $0.token)) }
            for fd in ready {
                guard let exchange = inFlight[fd] else { continue }
                if !exchange.connected {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(exchange.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    guard error == 0 else { finish(exchange, ok: false); continue }
                    exchange.connected = true
                    let request = exchange.target.request
                    let sent = request.withUnsafeBytes { send(exchange.fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
                    guard sent == request.count else { finish(exchange, ok: false); continue }
                    try? poller.reregister(exchange.fd, events: .readable, token: UInt64(UInt32(bitPattern: exchange.fd)))
                    continue
                }
                while true {
                    let n = read(exchange.fd, &buffer, buffer.count)
                    if n > 0 {
                        exchange.received += n
                        outcome.bytes += n
                        continue
                    }
                    if n == 0 { finish(exchange, ok: exchange.received > 0) }
                    else if errno != EAGAIN && errno != EINTR { finish(exchange, ok: false) }
                    break
                }
            }
            let now = SimClock.monotonic()
            for exchange in inFlight.values where now - exchange.started > timeout { finish(exchange, ok: false) }
        }
        outcome.seconds = SimClock.monotonic() - start
        return outcome
    }
}
