import Glibc
import Testing

@testable import BitlinkCore

/// The generic reactor pieces on their own: a listener, a client, an eventfd, one Poller.
@Suite("Poller and TCPSocket")
struct PollerTests {
    @Test func listenConnectAcceptEcho() throws {
        let poller = try Poller()
        let loopback = IPv4Address(127, 0, 0, 1)
        let listener = try TCPSocket.listen(on: loopback, port: 0)
        defer { TCPSocket.close(listener) }
        let (boundAddress, port) = try TCPSocket.localAddress(of: listener)
        #expect(boundAddress == loopback)
        #expect(port != 0)
        try poller.register(listener, events: .readable, token: 1)

        let client = try TCPSocket.makeStream()
        defer { TCPSocket.close(client) }
        let status = TCPSocket.connect(client, to: loopback, port: port)
        #expect(status == .inProgress || status == .connected)
        try poller.register(client, events: [.writable, .readable], token: 2)

        var server: Int32 = -1
        var clientConnected = false
        let deadline = monotonicNanoseconds() + 5_000_000_000
        while (server < 0 || !clientConnected) && monotonicNanoseconds() < deadline {
            try poller.wait(timeoutMilliseconds: 100) { event in
                if event.token == 1, case .accepted(let fd, let peer, _) = TCPSocket.accept(listener) {
                    server = fd
                    #expect(peer.isLoopback)
                }
                if event.token == 2, event.events.contains(.writable) {
                    #expect(TCPSocket.pendingError(client) == 0)
                    clientConnected = true
                }
            }
        }
        #expect(server >= 0)
        #expect(clientConnected)
        defer { if server >= 0 { TCPSocket.close(server) } }

        let message: [UInt8] = Array("hello".utf8)
        let sent = message.withUnsafeBytes { TCPSocket.send(client, $0) }
        #expect(sent == .transferred(5))
        try poller.register(server, events: .readable, token: 3)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while received.count < 5 && monotonicNanoseconds() < deadline {
            try poller.wait(timeoutMilliseconds: 100) { event in
                guard event.token == 3 else { return }
                let status = buffer.withUnsafeMutableBytes { TCPSocket.receive(server, into: $0) }
                if case .transferred(let count) = status { received += buffer[0..<count] }
            }
        }
        #expect(received == message)
        TCPSocket.close(client)
        // After the client closed, the server reads end of stream.
        var sawEnd = false
        while !sawEnd && monotonicNanoseconds() < deadline {
            let status = buffer.withUnsafeMutableBytes { TCPSocket.receive(server, into: $0) }
            if status == .endOfStream { sawEnd = true } else { usleep(1000) }
        }
        #expect(sawEnd)
    }

    @Test func refusedConnectReportsECONNREFUSED() throws {
        let loopback = IPv4Address(127, 0, 0, 1)
        let listener = try TCPSocket.listen(on: loopback, port: 0)
        let port = try TCPSocket.localAddress(of: listener).port
        TCPSocket.close(listener)

        let poller = try Poller()
        let client = try TCPSocket.makeStream()
        defer { TCPSocket.close(client) }
        switch TCPSocket.connect(client, to: loopback, port: port) {
        case .failed(let code):
            #expect(TransportError(errno: code) == .refused)
        case .connected:
            Issue.record("connected to a closed port")
        case .inProgress:
            try poller.register(client, events: [.writable, .edgeTriggered], token: 9)
            var code: Int32 = 0
            let deadline = monotonicNanoseconds() + 5_000_000_000
            while code == 0 && monotonicNanoseconds() < deadline {
                try poller.wait(timeoutMilliseconds: 100) { _ in code = TCPSocket.pendingError(client) }
            }
            #expect(TransportError(errno: code) == .refused)
        }
    }

    @Test func notifierWakesWait() throws {
        let poller = try Poller()
        let notifier = try EventNotifier()
        try poller.register(notifier.fileDescriptor, events: .readable, token: 7)
        notifier.notify()
        notifier.notify()
        var tokens: [UInt64] = []
        try poller.wait(timeoutMilliseconds: 1000) { tokens.append($0.token) }
        #expect(tokens == [7])
        #expect(notifier.drain() == 2)
        #expect(notifier.drain() == 0)
    }

    @Test func errnoMapping() {
        #expect(TransportError(errno: ECONNREFUSED) == .refused)
        #expect(TransportError(errno: EHOSTUNREACH) == .unreachable)
        #expect(TransportError(errno: ENETUNREACH) == .unreachable)
        #expect(TransportError(errno: ECONNRESET) == .reset)
        #expect(TransportError(errno: EPIPE) == .reset)
        #expect(TransportError(errno: ETIMEDOUT) == .timeout)
        if case .other(let code, let message) = TransportError(errno: EACCES) {
            #expect(code == EACCES)
            #expect(!message.isEmpty)
        } else {
            Issue.record("EACCES should map to .other")
        }
    }

    @Test func openFileLimitNeverLowers() {
        let before = ResourceLimits.openFileLimit()
        let after = ResourceLimits.raiseOpenFileLimit(toward: 16)
        #expect(after == before.soft)
        let raised = ResourceLimits.raiseOpenFileLimit()
        #expect(raised >= before.soft)
        #expect(raised <= before.hard)
        #expect(ResourceLimits.maxInFlight(forOpenFileLimit: 10) == 1)
        #expect(ResourceLimits.maxInFlight(forOpenFileLimit: 1024) == 1024 - ResourceLimits.reservedDescriptors)
    }
}
