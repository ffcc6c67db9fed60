internal import CLinuxIO
import Glibc

/// A thin wrapper over one epoll(7) instance: register file descriptors with a 64-bit
/// token, wait for readiness.
///
/// Not thread-safe: one thread registers and waits (the reactor). Other threads wake it
/// through an `EventNotifier` registered like any other descriptor.
///
/// Closing a descriptor removes it from the epoll set on its own (epoll(7), "Will closing a
/// file descriptor cause it to be removed from all epoll interest lists?": yes, when no
/// duplicate of it is open), so callers that never `dup` need not call `deregister`.
/// Events already returned by `wait` for a descriptor closed in the meantime still arrive
/// in that batch; tokens should carry a generation so stale ones can be told apart.
public final class Poller {
    /// Readiness and registration flags (the `EPOLL*` bits).
    public struct Events: OptionSet, Sendable, Hashable {
        /// The `EPOLL*` bit mask.
        public let rawValue: UInt32
        /// Flags from a raw `EPOLL*` mask.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// EPOLLIN: data to read, or end of stream, or a pending connection on a listener.
        public static let readable = Events(rawValue: bitlink_epoll_in())
        /// EPOLLOUT: room to write; also how a non-blocking connect reports completion.
        public static let writable = Events(rawValue: bitlink_epoll_out())
        /// EPOLLRDHUP: the peer shut down its writing side (sent FIN).
        public static let peerClosed = Events(rawValue: bitlink_epoll_rdhup())
        /// EPOLLHUP: both directions are closed (always reported, never requested).
        public static let hangup = Events(rawValue: bitlink_epoll_hup())
        /// EPOLLERR: a pending socket error, read it with `SO_ERROR` (always reported).
        public static let error = Events(rawValue: bitlink_epoll_err())
        /// EPOLLET: report changes only; the owner must read or write until EAGAIN.
        public static let edgeTriggered = Events(rawValue: bitlink_epoll_et())
        /// EPOLLONESHOT: disable the descriptor after one event until `reregister`.
        public static let oneShot = Events(rawValue: bitlink_epoll_oneshot())
    }

    /// One readiness report.
    public struct Event: Sendable, Hashable {
        /// The token given at registration.
        public var token: UInt64
        /// What the descriptor is ready for.
        public var events: Events
    }

    /// The epoll descriptor (close-on-exec).
    public let fileDescriptor: Int32
    private let buffer: UnsafeMutablePointer<epoll_event>
    private let capacity: Int

    /// Creates an epoll instance.
    /// - Parameter eventCapacity: the most events one `wait` returns; more stay queued
    ///   in the kernel for the next call.
    /// - Throws: `SocketError` when `epoll_create1` fails (EMFILE, ENOMEM).
    public init(eventCapacity: Int = 1024) throws(SocketError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SocketError(errno: errno, operation: "epoll_create1") }
        fileDescriptor = fd
        capacity = max(1, eventCapacity)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        Glibc.close(fileDescriptor)
    }

    /// Adds a descriptor to the set.
    /// - Parameters:
    ///   - fd: the descriptor.
    ///   - events: what to watch (`.error` and `.hangup` are always reported).
    ///   - token: returned with every event for this descriptor.
    /// - Throws: `SocketError` from `epoll_ctl(EPOLL_CTL_ADD)`.
    public func register(_ fd: Int32, events: Events, token: UInt64) throws(SocketError) {
        try control(EPOLL_CTL_ADD, fd, events, token)
    }

    /// Changes what is watched for a registered descriptor (also re-arms `.oneShot`).
    /// - Throws: `SocketError` from `epoll_ctl(EPOLL_CTL_MOD)`.
    public func reregister(_ fd: Int32, events: Events, token: UInt64) throws(SocketError) {
        try control(EPOLL_CTL_MOD, fd, events, token)
    }

    /// Removes a descriptor from the set (not needed before `close`, see the type's notes).
    /// - Throws: `SocketError` from `epoll_ctl(EPOLL_CTL_DEL)`.
    public func deregister(_ fd: Int32) throws(SocketError) {
        // Since Linux 2.6.9 the event argument of EPOLL_CTL_DEL may be NULL.
        if epoll_ctl(fileDescriptor, EPOLL_CTL_DEL, fd, nil) != 0 {
            throw SocketError(errno: errno, operation: "epoll_ctl(DEL)")
        }
    }

    /// Waits for events and hands each one to `body`, in the order the kernel gave them.
    /// - Parameters:
    ///   - timeoutMilliseconds: -1 waits without limit, 0 polls.
    ///   - body: called once per event, on the calling thread.
    /// - Returns: the number of events; 0 on timeout or when a signal interrupted the wait
    ///   (EINTR is not an error: the caller loops and re-checks its own state).
    /// - Throws: `SocketError` from `epoll_wait` (EBADF, EINVAL: programming errors).
    @discardableResult
    public func wait(timeoutMilliseconds: Int32, _ body: (Event) throws(SocketError) -> Void) throws(SocketError) -> Int {
        let count = epoll_wait(fileDescriptor, buffer, Int32(capacity), timeoutMilliseconds)
        if count < 0 {
            let code = errno
            if code == EINTR { return 0 }
            throw SocketError(errno: code, operation: "epoll_wait")
        }
        for index in 0..<Int(count) {
            let raw = buffer[index]
            try body(Event(token: raw.data.u64, events: Events(rawValue: raw.events)))
        }
        return Int(count)
    }

    private func control(_ operation: Int32, _ fd: Int32, _ events: Events, _ token: UInt64) throws(SocketError) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        if epoll_ctl(fileDescriptor, operation, fd, &event) != 0 {
            throw SocketError(errno: errno, operation: operation == EPOLL_CTL_ADD ? "epoll_ctl(ADD)" : "epoll_ctl(MOD)")
        }
    }
}

/// An eventfd(2) counter used to wake a thread blocked in `Poller.wait`.
///
/// `notify()` is one `write(2)`, which is async-signal-safe (signal-safety(7)), so it may be
/// called from any thread and from a signal handler. The descriptor is non-blocking and
/// close-on-exec, and is closed when the last reference goes away.
public final class EventNotifier: Sendable {
    /// The eventfd; register it with a `Poller` for `.readable`.
    public let fileDescriptor: Int32

    /// - Throws: `SocketError` when `eventfd` fails (EMFILE, ENFILE).
    public init() throws(SocketError) {
        let fd = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard fd >= 0 else { throw SocketError(errno: errno, operation: "eventfd") }
        fileDescriptor = fd
    }

    deinit { Glibc.close(fileDescriptor) }

    /// Makes the descriptor readable. Safe from any thread and from a signal handler.
    public func notify() { EventNotifier.notify(fileDescriptor: fileDescriptor) }

    /// `notify()` for code that can only keep a plain descriptor number, such as a C
    /// signal handler (which cannot capture context). The descriptor must still be open.
    /// - Parameter fileDescriptor: an eventfd from `EventNotifier.fileDescriptor`.
    public static func notify(fileDescriptor: Int32) {
        // A signal handler must leave errno as it found it (signal-safety(7)).
        let savedErrno = errno
        defer { errno = savedErrno }
        var one: UInt64 = 1
        // A full counter (EAGAIN) already means "notified"; EINTR is retried once.
        for _ in 0..<2 {
            if write(fileDescriptor, &one, 8) == 8 || errno != EINTR { return }
        }
    }

    /// Reads and resets the counter.
    /// - Returns: how many notifications arrived since the last drain (0 if none).
    @discardableResult
    public func drain() -> UInt64 {
        var value: UInt64 = 0
        while true {
            if read(fileDescriptor, &value, 8) == 8 { return value }
            if errno != EINTR { return 0 }
        }
    }
}
