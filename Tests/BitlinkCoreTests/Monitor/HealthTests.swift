import Testing

@testable import BitlinkCore

struct HealthTests {
    let thresholds = HealthThresholds()

    static func healthy() -> MinerStatus {
        MinerStatus(
            identity: MinerIdentity(family: .antminer, model: "S19 Pro"),
            hashrate: 110e12, hashrateExpected: 110e12,
            boards: [BoardStatus(index: 0, hashrate: 36e12, chips: 76), BoardStatus(index: 1, hashrate: 37e12, chips: 76),
                BoardStatus(index: 2, hashrate: 37e12, chips: 76)],
            tempChipMax: 70, fans: [FanStatus(index: 1, rpm: 5000), FanStatus(index: 2, rpm: 5100)],
            uptime: 86400, state: .mining)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var change: @Sendable (inout MinerStatus) -> Void
        var history: HealthHistory = HealthHistory()
        var status: HealthStatus
        var reasons: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "healthy", change: { _ in }, status: .active, reasons: []),
        Case(name: "hot chip", change: { $0.tempChipMax = 92 }, status: .warning, reasons: ["chip temperature 92°C above 85°C"]),
        Case(name: "exactly at the limit is fine", change: { $0.tempChipMax = 85 }, status: .active, reasons: []),
        Case(name: "board temperature when no chip reading", change: { $0.tempChipMax = nil; $0.tempBoardMax = 90 }, status: .warning,
            reasons: ["chip temperature 90°C above 85°C"]),
        Case(name: "low against expected", change: { $0.hashrate = 70e12 }, status: .warning, reasons: ["hashrate 64% of expected"]),
        Case(name: "low against median", change: { $0.hashrateExpected = nil; $0.hashrate = 50e12 },
            history: HealthHistory(recentMedianHashrate: 100e12, recentSampleCount: 5), status: .warning,
            reasons: ["hashrate 50% of its recent median"]),
        Case(name: "median needs enough samples", change: { $0.hashrateExpected = nil; $0.hashrate = 50e12 },
            history: HealthHistory(recentMedianHashrate: 100e12, recentSampleCount: 2), status: .active, reasons: []),
        Case(name: "stopped fan before a turning one", change: { $0.fans[0].rpm = 0 }, status: .warning, reasons: ["fan 1 stopped"]),
        Case(name: "trailing zero fan may be an empty slot", change: { $0.fans[1].rpm = 0 }, status: .active, reasons: []),
        Case(name: "trailing fan that turned before", change: { $0.fans[1].rpm = 0 },
            history: HealthHistory(recentMaxFansSpinning: 2), status: .warning, reasons: ["1 of 2 fans stopped"]),
        Case(name: "all fans zero is immersion, not a failure", change: { $0.fans = [FanStatus(index: 1, rpm: 0), FanStatus(index: 2, rpm: 0)] },
            status: .active, reasons: []),
        Case(name: "missing board", change: { $0.boards[2].hashrate = 0; $0.boards[2].chips = 0; $0.hashrate = 73e12; $0.hashrateExpected = nil },
            status: .warning, reasons: ["board 2 not hashing"]),
        Case(name: "sleeping", change: { $0.state = .sleeping; $0.hashrate = 0; $0.boards = $0.boards.map { var b = $0; b.hashrate = 0; return b } },
            status: .warning, reasons: ["sleeping"]),
        Case(name: "no share for long", change: { _ in }, history: HealthHistory(secondsSinceLastShare: 3600), status: .warning,
            reasons: ["no accepted share for 60 min"]),
        Case(name: "no share but just rebooted", change: { $0.uptime = 600 }, history: HealthHistory(secondsSinceLastShare: 3600),
            status: .active, reasons: []),
        Case(name: "several reasons at once", change: { $0.tempChipMax = 95; $0.fans[0].rpm = 0 }, status: .warning,
            reasons: ["chip temperature 95°C above 85°C", "fan 1 stopped"]),
    ]

    @Test(arguments: cases)
    func classifies(_ testCase: Case) {
        var status = Self.healthy()
        testCase.change(&status)
        let result = HealthClassifier.classify(status, history: testCase.history, thresholds: thresholds)
        #expect(result.status == testCase.status)
        #expect(result.reasons == testCase.reasons)
        #expect(result.failedPolls == 0)
    }

    @Test func thresholdsAreConfigurable() {
        var custom = HealthThresholds()
        custom.maxChipTemperature = 60
        var status = Self.healthy()
        status.tempChipMax = 70
        #expect(HealthClassifier.classify(status, history: HealthHistory(), thresholds: custom).status == .warning)
        custom.minHashrateRatio = 0.5
        status.tempChipMax = 50
        status.hashrate = 60e12
        #expect(HealthClassifier.classify(status, history: HealthHistory(), thresholds: custom).status == .active)
    }

    @Test func twoStrikesBeforeDead() {
        let first = HealthClassifier.classifyFailure("timed out", history: HealthHistory(previousStatus: .active), thresholds: thresholds)
        #expect(first.status == .active)
        #expect(first.failedPolls == 1)
        let second = HealthClassifier.classifyFailure(
            "timed out", history: HealthHistory(previousStatus: first.status, failedPolls: first.failedPolls), thresholds: thresholds)
        #expect(second.status == .dead)
        #expect(second.failedPolls == 2)
        #expect(second.reasons == ["no answer for 2 polls: timed out"])
    }

    @Test func firstFailureOfANewMinerIsAWarning() {
        let result = HealthClassifier.classifyFailure("connection refused", history: HealthHistory(), thresholds: thresholds)
        #expect(result.status == .warning)
        #expect(result.reasons == ["no answer yet: connection refused"])
    }

    @Test func recoveryResetsStrikes() {
        let dead = HealthHistory(previousStatus: .dead, failedPolls: 5)
        let result = HealthClassifier.classify(Self.healthy(), history: dead, thresholds: thresholds)
        #expect(result.status == .active)
        #expect(result.failedPolls == 0)
    }

    @Test func medianOfSamples() {
        #expect(median([]) == nil)
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 2, 3]) == 2.5)
    }
}

struct ShareCountingTests {
    @Test func firstPollIsOnlyABaseline() {
        #expect(ShareCounting.delta(from: nil, to: ShareCounters(accepted: 500, rejected: 3, uptime: 1000)) == nil)
    }

    @Test func ordinaryDelta() {
        let delta = ShareCounting.delta(
            from: ShareCounters(accepted: 100, rejected: 2, difficultyAccepted: 100_000, uptime: 1000),
            to: ShareCounters(accepted: 130, rejected: 3, difficultyAccepted: 131_000, uptime: 1030))
        #expect(delta == ShareDelta(accepted: 30, rejected: 1, difficultyAccepted: 31_000, reset: false))
    }

    @Test func rebootCountsFromZero() {
        let delta = ShareCounting.delta(
            from: ShareCounters(accepted: 1000, rejected: 10, difficultyAccepted: 1e6, uptime: 50_000),
            to: ShareCounters(accepted: 12, rejected: 0, difficultyAccepted: 12_000, uptime: 40))
        #expect(delta == ShareDelta(accepted: 12, rejected: 0, difficultyAccepted: 12_000, reset: true))
    }

    @Test func counterDropWithoutUptimeIsAReset() {
        let delta = ShareCounting.delta(from: ShareCounters(accepted: 1000, rejected: 10), to: ShareCounters(accepted: 5, rejected: 10))
        #expect(delta?.reset == true)
        #expect(delta?.accepted == 5)
        #expect(delta?.rejected == 10)
    }

    @Test func noChangeIsEmpty() {
        let same = ShareCounters(accepted: 7, rejected: 1, uptime: 100)
        #expect(ShareCounting.delta(from: same, to: ShareCounters(accepted: 7, rejected: 1, uptime: 130))?.isEmpty == true)
    }

    /// Across a reboot, the sum of the deltas equals the shares actually found: nothing
    /// negative, nothing twice.
    @Test func sumAcrossRebootEqualsRealShares() {
        let polls = [
            ShareCounters(accepted: 10, rejected: 1, uptime: 100),
            ShareCounters(accepted: 25, rejected: 1, uptime: 130),  // +15
            ShareCounters(accepted: 4, rejected: 0, uptime: 20),  // reboot: +4
            ShareCounters(accepted: 9, rejected: 2, uptime: 50),  // +5, +2 rejected
        ]
        var accepted = 0, rejected = 0
        for (previous, current) in zip(polls, polls.dropFirst()) {
            let delta = ShareCounting.delta(from: previous, to: current)!
            #expect(delta.accepted >= 0 && delta.rejected >= 0)
            accepted += delta.accepted
            rejected += delta.rejected
        }
        #expect(accepted == 24)
        #expect(rejected == 2)
    }
}
