/// Health classification: active, warning (with reasons) or dead, from one poll and what
/// is known of the miner's past. Pure, so every threshold is table-tested.
public struct HealthThresholds: Sendable, Equatable {
    /// Hottest chip above this is a warning (C).
    public var maxChipTemperature: Double = 85
    /// Hashrate below this share of the expected rate (or of the miner's recent median,
    /// when the device states no expected rate) is a warning.
    public var minHashrateRatio: Double = 0.8
    /// Recent samples needed before the median is trusted.
    public var medianMinimumSamples: Int = 3
    /// No new accepted share for this long while hashing is a warning (seconds).
    public var maxShareSilence: Double = 30 * 60
    /// Consecutive failed polls before a miner is dead; fewer keep the previous state.
    public var failedPollsForDead: Int = 2

    public init() {}
}

/// The outcome of one classification.
public struct HealthAssessment: Sendable, Equatable {
    public var status: HealthStatus
    public var reasons: [String]
    /// Consecutive failed polls after this one.
    public var failedPolls: Int

    public init(status: HealthStatus, reasons: [String], failedPolls: Int) {
        self.status = status
        self.reasons = reasons
        self.failedPolls = failedPolls
    }
}

/// What the classifier knows besides the poll itself.
public struct HealthHistory: Sendable, Equatable {
    public var previousStatus: HealthStatus
    public var failedPolls: Int
    /// Median hashrate of the miner's recent samples (H/s), with how many samples.
    public var recentMedianHashrate: Double?
    public var recentSampleCount: Int
    /// Seconds since the miner last got an accepted share, if known.
    public var secondsSinceLastShare: Double?
    /// The most fans the miner's recent samples saw turning.
    public var recentMaxFansSpinning: Int?

    public init(
        previousStatus: HealthStatus = .unknown, failedPolls: Int = 0, recentMedianHashrate: Double? = nil,
        recentSampleCount: Int = 0, secondsSinceLastShare: Double? = nil, recentMaxFansSpinning: Int? = nil
    ) {
        self.previousStatus = previousStatus
        self.failedPolls = failedPolls
        self.recentMedianHashrate = recentMedianHashrate
        self.recentSampleCount = recentSampleCount
        self.secondsSinceLastShare = secondsSinceLastShare
        self.recentMaxFansSpinning = recentMaxFansSpinning
    }
}

public enum HealthClassifier {
    /// Classifies a poll that failed (no answer, unreadable reply).
    public static func classifyFailure(_ why: String, history: HealthHistory, thresholds: HealthThresholds) -> HealthAssessment {
        let failures = history.failedPolls + 1
        if failures >= thresholds.failedPollsForDead {
            return HealthAssessment(status: .dead, reasons: ["no answer for \(failures) polls: \(why)"], failedPolls: failures)
        }
        // One strike: keep the previous state so a single lost poll does not flap it.
        switch history.previousStatus {
        case .active, .warning:
            return HealthAssessment(status: history.previousStatus, reasons: ["missed a poll: \(why)"], failedPolls: failures)
        case .dead:
            return HealthAssessment(status: .dead, reasons: ["no answer: \(why)"], failedPolls: failures)
        case .unknown:
            return HealthAssessment(status: .warning, reasons: ["no answer yet: \(why)"], failedPolls: failures)
        }
    }

    /// Classifies a poll that read the miner.
    public static func classify(_ status: MinerStatus, history: HealthHistory, thresholds: HealthThresholds) -> HealthAssessment {
        var reasons: [String] = []
        let sleeping = status.state == .sleeping
        if sleeping { reasons.append("sleeping") }
        if !sleeping, status.hashrate == nil, status.hashrateAverage == nil {
            reasons.append(status.errors.first ?? "no hashrate reported")
        }

        if let chip = status.tempChipMax ?? status.tempBoardMax, chip > thresholds.maxChipTemperature {
            reasons.append("chip temperature \(whole(chip))°C above \(whole(thresholds.maxChipTemperature))°C")
        }

        if !sleeping, let rate = status.hashrate ?? status.hashrateAverage {
            if let expected = status.hashrateExpected, expected > 0 {
                if rate < expected * thresholds.minHashrateRatio {
                    reasons.append("hashrate \(percent(rate / expected)) of expected")
                }
            } else if let median = history.recentMedianHashrate, median > 0, history.recentSampleCount >= thresholds.medianMinimumSamples,
                rate < median * thresholds.minHashrateRatio
            {
                reasons.append("hashrate \(percent(rate / median)) of its recent median")
            }
        }

        // A stopped fan: one at zero with a turning fan after it (trailing zero slots may
        // be empty: Braiins OS reports four slots on a two-fan S9), or fewer fans turning
        // than the miner's recent samples saw. All fans at zero is an immersion or hydro
        // unit, or a board that reports no fans, not a failure.
        let spinningCount = status.fans.filter { ($0.rpm ?? 0) > 0 }.count
        if let lastSpinning = status.fans.lastIndex(where: { ($0.rpm ?? 0) > 0 }) {
            let stopped = status.fans[..<lastSpinning].filter { $0.rpm == 0 }
            for fan in stopped { reasons.append("fan \(fan.index) stopped") }
            if stopped.isEmpty, let most = history.recentMaxFansSpinning, spinningCount < most {
                reasons.append("\(most - spinningCount) of \(most) fans stopped")
            }
        }

        // A board that does not hash while others do is missing (or failed).
        if !sleeping {
            let hashing = status.boards.filter { ($0.hashrate ?? 0) > 0 }
            if !hashing.isEmpty {
                for board in status.boards where board.hashrate == 0 || board.chips == 0 {
                    reasons.append("board \(board.index) not hashing")
                }
            }
        }

        // Alive and hashing, yet the pool gets nothing: a case other tools miss.
        if !sleeping, let silence = history.secondsSinceLastShare, silence > thresholds.maxShareSilence,
            (status.uptime ?? .infinity) > thresholds.maxShareSilence, (status.hashrate ?? status.hashrateAverage ?? 0) > 0
        {
            reasons.append("no accepted share for \(minutes(silence)) min")
        }

        return HealthAssessment(status: reasons.isEmpty ? .active : .warning, reasons: reasons, failedPolls: 0)
    }

    private static func whole(_ value: Double) -> String { String(Int(value.rounded())) }
    private static func percent(_ ratio: Double) -> String { "\(Int((ratio * 100).rounded()))%" }
    private static func minutes(_ seconds: Double) -> String { String(Int(seconds / 60)) }
}

extension Miner {
    /// Takes on a classification: status, reasons and the count of failed polls.
    public mutating func apply(_ health: HealthAssessment) {
        status = health.status
        statusReasons = health.reasons
        failedPolls = health.failedPolls
    }
}

/// The median of a list (nil when empty).
public func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
