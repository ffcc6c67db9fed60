import Glibc

/// The open-file limit (`RLIMIT_NOFILE`) that bounds how many connections can be in flight.
///
/// Every in-flight exchange holds one socket. Distributions often start processes with a
/// soft limit of 1024 and a hard limit far higher; an unprivileged process may raise its
/// soft limit up to the hard limit (getrlimit(2)). The CLI calls `raiseOpenFileLimit` once
/// before a scan and sizes `IOEngine.Configuration.maxInFlight` from the result.
public enum ResourceLimits {
    /// Descriptors kept free for everything that is not a connection: stdio, the database
    /// and its WAL files, the epoll and eventfd descriptors, a log file.
    public static let reservedDescriptors = 64

    /// The current soft and hard `RLIMIT_NOFILE` (`Int.max` for RLIM_INFINITY).
    public static func openFileLimit() -> (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (1024, 1024) }
        return (clampLimit(limit.rlim_cur), clampLimit(limit.rlim_max))
    }

    /// Raises the soft open-file limit toward `wanted`, never past the hard limit, never
    /// lowering it.
    ///
    /// When the hard limit is RLIM_INFINITY, the kernel still refuses values above
    /// `fs.nr_open` (EPERM), so on failure the request is halved until one succeeds.
    /// - Parameter wanted: the soft limit wanted; the default asks for the hard limit.
    /// - Returns: the soft limit in force afterwards.
    @discardableResult
    public static func raiseOpenFileLimit(toward wanted: Int = Int.max) -> Int {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return openFileLimit().soft }
        let soft = clampLimit(limit.rlim_cur)
        let hard = clampLimit(limit.rlim_max)
        // 1 << 20 is the kernel's default fs.nr_open; nothing bitlink does needs more.
        var target = min(wanted, hard, 1 << 20)
        while target > soft {
            var raised = limit
            raised.rlim_cur = rlim_t(target)
            if setrlimit(resource, &raised) == 0 { return target }
            target = max(soft, target / 2)
        }
        return soft
    }

    /// How many connections fit under an open-file limit, keeping `reservedDescriptors`
    /// free; at least 1.
    /// - Parameter openFileLimit: a soft limit, for example from `raiseOpenFileLimit()`.
    public static func maxInFlight(forOpenFileLimit openFileLimit: Int) -> Int {
        max(1, openFileLimit - reservedDescriptors)
    }

    /// RLIM_INFINITY is all ones (`(rlim_t)-1`, which Swift cannot import), so it lands above `Int.max`.
    private static func clampLimit(_ value: rlim_t) -> Int {
        value > rlim_t(Int.max) ? Int.max : Int(value)
    }
}
