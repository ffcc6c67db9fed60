/// Share tracking from the miners' own counters: the difference between two polls of a
/// pool's cumulative accepted/rejected counts (and difficulty sums, where given).
///
/// Counters restart at zero when the miner reboots or its mining software restarts.
/// A reset is recognised when uptime went backwards or any counter decreased; the new
/// values then count from zero, so nothing is negative and nothing is counted twice.
public struct ShareCounters: Sendable, Equatable {
    public var accepted: Int
    public var rejected: Int
    public var difficultyAccepted: Double?
    public var difficultyRejected: Double?
    /// Miner uptime at the poll, seconds.
    public var uptime: Int64?

    public init(accepted: Int, rejected: Int, difficultyAccepted: Double? = nil, difficultyRejected: Double? = nil, uptime: Int64? = nil) {
        self.accepted = accepted
        self.rejected = rejected
        self.difficultyAccepted = difficultyAccepted
        self.difficultyRejected = difficultyRejected
        self.uptime = uptime
    }
}

/// New shares between two polls.
public struct ShareDelta: Sendable, Equatable {
    public var accepted: Int
    public var rejected: Int
    public var difficultyAccepted: Double?
    public var difficultyRejected: Double?
    /// The counters restarted between the polls.
    public var reset: Bool

    public init(accepted: Int, rejected: Int, difficultyAccepted: Double? = nil, difficultyRejected: Double? = nil, reset: Bool = false) {
        self.accepted = accepted
        self.rejected = rejected
        self.difficultyAccepted = difficultyAccepted
        self.difficultyRejected = difficultyRejected
        self.reset = reset
    }

    public var isEmpty: Bool { accepted == 0 && rejected == 0 }
}

public enum ShareCounting {
    /// The shares added since `previous`. With no previous poll there is no delta: the
    /// counters only become the baseline (shares from before bitlink watched are not
    /// attributed to the moment of the first poll).
    public static func delta(from previous: ShareCounters?, to current: ShareCounters) -> ShareDelta? {
        guard let previous else { return nil }
        let uptimeWentBack = (previous.uptime != nil && current.uptime != nil && current.uptime! < previous.uptime!)
        let counterWentBack = current.accepted < previous.accepted || current.rejected < previous.rejected
            || decreased(previous.difficultyAccepted, current.difficultyAccepted)
            || decreased(previous.difficultyRejected, current.difficultyRejected)
        if uptimeWentBack || counterWentBack {
            return ShareDelta(
                accepted: max(0, current.accepted), rejected: max(0, current.rejected),
                difficultyAccepted: current.difficultyAccepted.map { max(0, $0) },
                difficultyRejected: current.difficultyRejected.map { max(0, $0) }, reset: true)
        }
        return ShareDelta(
            accepted: current.accepted - previous.accepted,
            rejected: current.rejected - previous.rejected,
            difficultyAccepted: difference(previous.difficultyAccepted, current.difficultyAccepted),
            difficultyRejected: difference(previous.difficultyRejected, current.difficultyRejected),
            reset: false)
    }

    private static func decreased(_ old: Double?, _ new: Double?) -> Bool {
        guard let old, let new else { return false }
        return new < old
    }

    private static func difference(_ old: Double?, _ new: Double?) -> Double? {
        guard let new else { return nil }
        guard let old else { return nil }
        return max(0, new - old)
    }
}
