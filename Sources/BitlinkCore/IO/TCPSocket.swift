internal import CLinuxIO
import Glibc

/// Non-blocking IPv4 TCP socket calls, shared by the IO engine (client side) and the
/// simulator (server side). Every descriptor is created `SOCK_NONBLOCK | SOCK_CLOEXEC`.
///
/// The calls return outcomes instead of throwing where "would block" and peer errors are
/// ordinary events in a reactor; they retry on EINTR (as SwiftNIO's `syscall` wrapper and
/// swift-system's `retryOnInterrupt` do), except `close`, see there.
public enum TCPSocket {
    /// The result of starting a non-blocking `connect`.
    public enum ConnectStatus: Sendable, Equatable {
        /// Connected at once (possible on loopback).
        case connected
        /// EINPROGRESS: wait for `.writable`, then read `pendingError`.
        case inProgress
        /// Failed at once (loopback returns ECONNREFUSED synchronously at times).
        case failed(errno: Int32)
    }

    /// The result of one `send` or `recv`.
    public enum IOStatus: Sendable, Equatable {
        /// This many bytes moved (always more than 0).
        case transferred(Int)
        /// `recv` returned 0: the peer closed its sending side.
        case endOfStream
        /// EAGAIN: nothing to do until the next readiness event.
        case wouldBlock
        /// Any other errno (ECONNRESET, EPIPE, ...).
        case failed(errno: Int32)
    }

    /// The result of one `accept`.
    public enum AcceptStatus: Sendable, Equatable {
        /// A new connection (non-blocking, close-on-exec) and its peer.
        case accepted(fd: Int32, address: IPv4Address, port: UInt16)
        /// No pending connection.
        case wouldBlock
        /// Any other errno (EMFILE, ECONNABORTED, ...).
        case failed(errno: Int32)
    }

    /// Creates a non-blocking, close-on-exec IPv4 stream socket.
    /// - Returns: the descriptor.
    /// - Throws: `SocketError` from `socket` (EMFILE, ENFILE, ENOBUFS).
    public static func makeStream() throws(SocketError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw SocketError(errno: errno, operation: "socket") }
        return fd
    }

    /// Starts connecting a non-blocking socket.
    ///
    /// EINTR during a non-blocking connect does not abort it: the connection continues in
    /// the background (connect(2), POSIX "the connection shall be established
    /// asynchronously"), so it is reported as `.inProgress`.
    /// - Parameters:
    ///   - fd: a socket from `makeStream()`.
    ///   - address: the peer.
    ///   - port: the peer's port.
    public static func connect(_ fd: Int32, to address: IPv4Address, port: UInt16) -> ConnectStatus {
        var target = socketAddress(address, port)
        let rc = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc == 0 { return .connected }
        let code = errno
        if code == EINPROGRESS || code == EINTR { return .inProgress }
        return .failed(errno: code)
    }

    /// The socket's pending error (`SO_ERROR`), which also clears it: after a non-blocking
    /// connect becomes writable, 0 means connected, anything else is why it failed
    /// (SwiftNIO's `finishConnect`).
    public static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 { return errno }
        return value
    }

    /// Sends without raising SIGPIPE (`MSG_NOSIGNAL`): a peer that closed gives EPIPE.
    /// - Parameters:
    ///   - fd: a connected socket.
    ///   - bytes: what to send; part of it may be sent.
    public static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOStatus {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .transferred(0) }
        while true {
            let sent = Glibc.send(fd, base, bytes.count, Int32(MSG_NOSIGNAL))
            if sent >= 0 { return .transferred(sent) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(errno: code)
        }
    }

    /// Receives what is available, up to the buffer's size.
    /// - Parameters:
    ///   - fd: a connected socket.
    ///   - buffer: where the bytes go.
    public static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOStatus {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .transferred(0) }
        while true {
            let count = recv(fd, base, buffer.count, 0)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(errno: code)
        }
    }

    /// Closes a descriptor once. EINTR is not retried: on Linux the descriptor is released
    /// even when close reports EINTR, and a retry could close a descriptor another thread
    /// just opened (see SwiftNIO's `Posix.close` comment and LWN "Returning EINTR from close()").
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Opens a non-blocking listening socket on an IPv4 address and port (0 for an
    /// ephemeral port, read it back with `localAddress(of:)`), with `SO_REUSEADDR` so a
    /// restarted server can bind over connections in TIME_WAIT.
    /// - Parameters:
    ///   - address: the local address, for example 127.0.0.1 or another 127.x address.
    ///   - port: the local port, or 0.
    ///   - backlog: the accept queue length (the kernel caps it at `net.core.somaxconn`).
    /// - Returns: the listening descriptor.
    /// - Throws: `SocketError` from `socket`, `bind` (EADDRINUSE, EADDRNOTAVAIL) or `listen`.
    public static func listen(on address: IPv4Address, port: UInt16, backlog: Int32 = 4096) throws(SocketError) -> Int32 {
        let fd = try makeStream()
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var local = socketAddress(address, port)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let code = errno
            close(fd)
            throw SocketError(errno: code, operation: "bind")
        }
        if Glibc.listen(fd, backlog) != 0 {
            let code = errno
            close(fd)
            throw SocketError(errno: code, operation: "listen")
        }
        return fd
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket (`accept4`).
    /// - Parameter listener: a descriptor from `listen(on:port:backlog:)`.
    public static func accept(_ listener: Int32) -> AcceptStatus {
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        while true {
            let fd = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept4(listener, $0, &length, flags) }
            }
            if fd >= 0 {
                return .accepted(
                    fd: fd,
                    address: IPv4Address(UInt32(bigEndian: peer.sin_addr.s_addr)),
                    port: UInt16(bigEndian: peer.sin_port))
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            return .failed(errno: code)
        }
    }

    /// The local address and port a socket is bound to (to learn an ephemeral port).
    /// - Throws: `SocketError` from `getsockname`.
    public static func localAddress(of fd: Int32) throws(SocketError) -> (address: IPv4Address, port: UInt16) {
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw SocketError(errno: errno, operation: "getsockname") }
        return (IPv4Address(UInt32(bigEndian: local.sin_addr.s_addr)), UInt16(bigEndian: local.sin_port))
    }

    /// Makes the next `close` abort the connection with a RST instead of a FIN
    /// (`SO_LINGER` on with a zero timeout, socket(7)); the simulator's "reset mid-reply".
    public static func setResetOnClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    /// Turns off Nagle's algorithm (`TCP_NODELAY`), for servers writing small replies in parts.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static func socketAddress(_ address: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr.s_addr = address.value.bigEndian
        return result
    }
}
