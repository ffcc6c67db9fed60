import Glibc

/// A system call in the socket layer failed: which call, and the errno it set.
///
/// Used by the generic pieces (`Poller`, `TCPSocket`, `EventNotifier`) that the IO engine
/// and the simulator share. Exchanges never surface it directly: the engine maps the
/// errno to a `TransportError` (see `TransportError.init(errno:)`).
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errno value.
    public var errno: Int32
    /// The failed call, for example `"socket"` or `"epoll_ctl"`.
    public var operation: String

    /// - Parameters:
    ///   - errno: the errno value the call set.
    ///   - operation: the name of the call.
    public init(errno: Int32, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    public var description: String {
        "\(operation): \(errnoMessage(errno)) (errno \(errno))"
    }
}

extension TransportError {
    /// Maps a socket errno to the transport error an exchange reports.
    ///
    /// ECONNREFUSED is `.refused`; EHOSTUNREACH, ENETUNREACH (and ENETDOWN, EHOSTDOWN,
    /// which mean the same to a scanner) are `.unreachable`; ETIMEDOUT (the kernel gave up
    /// retransmitting) is `.timeout`; ECONNRESET, EPIPE and ECONNABORTED are `.reset`;
    /// anything else is `.other`.
    /// - Parameter errno: the errno value of the failed call, or `SO_ERROR`.
    public init(errno code: Int32) {
        switch code {
        case ECONNREFUSED: self = .refused
        case EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN: self = .unreachable
        case ETIMEDOUT: self = .timeout
        case ECONNRESET, EPIPE, ECONNABORTED: self = .reset
        default: self = .other(errno: code, message: errnoMessage(code))
        }
    }
}

/// The C library's message for an errno (`strerror`; glibc's is thread-safe for known codes).
func errnoMessage(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "error \(code)" }
    return String(cString: message)
}

/// Nanoseconds on `CLOCK_MONOTONIC`: never jumps with wall-clock changes (NTP, manual
/// settings), so deadlines stay right; masscan's throttler comment warns about exactly that.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to 0 ... UInt64.max / 4 (about 146 years),
    /// so deadline arithmetic cannot overflow.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let limit = UInt64.max / 4
        if UInt64(seconds) >= limit / 1_000_000_000 { return limit }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// A duration from nanoseconds.
    static func fromNanoseconds(_ value: UInt64) -> Duration {
        .nanoseconds(Int64(clamping: value))
    }
}
