import BitlinkCore
import Glibc

/// Thin Glibc socket calls for the server side (non-blocking, close-on-exec).
enum SimSocket {
    static func address(_ ip: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = ip.value.bigEndian
        return addr
    }

    /// A listening socket on ip:port. Refuses any address outside 127.0.0.0/8.
    static func listen(_ ip: IPv4Address, _ port: UInt16, backlog: Int32) throws -> Int32 {
        try IPv4Address.requireLoopback(ip)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SimError.socket(call: "socket", address: "\(ip):\(port)", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = address(ip, port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw SimError.socket(call: "bind", address: "\(ip):\(port)", errno: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SimError.socket(call: "listen", address: "\(ip):\(port)", errno: code)
        }
        return fd
    }

    /// Starts a non-blocking connect to ip:port (loopback only); returns the fd.
    static func connectNonBlocking(_ ip: IPv4Address, _ port: UInt16) throws -> Int32 {
        try IPv4Address.requireLoopback(ip)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SimError.socket(call: "socket", address: "\(ip):\(port)", errno: errno) }
        var addr = address(ip, port)
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0, errno != EINPROGRESS {
            let code = errno
            close(fd)
            throw SimError.socket(call: "connect", address: "\(ip):\(port)", errno: code)
        }
        return fd
    }

    /// Waits up to `milliseconds` for fd to become writable (a connect finished).
    static func waitWritable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&pfd, 1, milliseconds) == 1 && pfd.revents & Int16(POLLOUT) != 0
    }

    /// accept(2) then non-blocking and close-on-exec (accept4 is not exported by Glibc's module).
    static func acceptNonBlocking(_ listener: Int32) -> Int32 {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return fd }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Closes so that the peer gets a RST instead of a FIN.
    static func closeWithReset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    /// Raises the soft open-files limit to the hard limit; returns the new soft limit.
    @discardableResult
    static func raiseFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(min(limit.rlim_cur, 1 << 24))
    }
}
