/// Stores one polling round: each miner's health, sample, pool configuration and the
/// shares counted from its counters, all in one transaction.
public struct RoundRecorder {
    public let store: Store
    public let thresholds: HealthThresholds

    public init(store: Store, thresholds: HealthThresholds) {
        self.store = store
        self.thresholds = thresholds
    }

    /// What the round did to one miner.
    public struct MinerRound: Sendable {
        public var miner: Miner
        public var previousStatus: HealthStatus
        public var sample: Sample?
        public var status: MinerStatus?
        /// Why the poll failed or was skipped.
        public var error: String?
        public var newAccepted: Int
        public var newRejected: Int
        /// Unix time of the last accepted share, where known.
        public var lastShareAt: Int64?

        public var changed: Bool { sample != nil && miner.status != previousStatus }
    }

    /// Records the round. Call inside `Store.write`.
    /// - Parameters:
    ///   - results: the poll result of each miner, by id.
    ///   - miners: the miners polled.
    ///   - now: the round's time (Unix seconds).
    public func record(_ results: [Int64: FleetPoller.Result], miners: [Miner], now: Int64) throws -> [MinerRound] {
        let recent = try store.recentHistory(perMiner: 10)
        let wallets = try store.wallets()
        let linker = ReadingRecorder(store: store, wallets: wallets)
        let insertSample = try store.sampleInserter()
        let insertShare = try store.shareInserter()
        var rounds: [MinerRound] = []
        rounds.reserveCapacity(miners.count)

        for miner in miners {
            guard let result = results[miner.id] else { continue }
            var round = MinerRound(miner: miner, previousStatus: miner.status, newAccepted: 0, newRejected: 0)
            let counters = try store.lastCounters(minerID: miner.id)
            round.lastShareAt = counters.values.compactMap(\.lastShareAt).max()
            let history = HealthHistory(
                previousStatus: miner.status, failedPolls: miner.failedPolls,
                recentMedianHashrate: recent[miner.id].flatMap { median($0.hashrates) },
                recentSampleCount: recent[miner.id]?.hashrates.count ?? 0,
                secondsSinceLastShare: round.lastShareAt.map { Double(now - $0) },
                recentMaxFansSpinning: recent[miner.id]?.maxFansSpinning)

            switch result {
            case .skipped(let why):
                round.error = why
                rounds.append(round)
                continue
            case .failed(let error):
                let health = HealthClassifier.classifyFailure("\(error)", history: history, thresholds: thresholds)
                round.miner.apply(health)
                round.error = "\(error)"
            case .read(let reading):
                let status = reading.status
                let health = HealthClassifier.classify(status, history: history, thresholds: thresholds)
                var updated = ReadingRecorder.updated(miner, with: reading, now: now)
                updated.apply(health)
                round.miner = updated
                round.status = status
                // Pools rarely change between rounds: record and re-match only when they did,
                // or when an active pool is still unlinked and there are wallets to try.
                let stored = counters.values.map(\.config)
                let unlinked = stored.contains { $0.active && $0.walletID == nil && $0.linkedBy != .manual }
                var rows = counters
                if !RoundRecorder.samePools(status.pools, stored) || (unlinked && !wallets.isEmpty) {
                    try linker.recordPools(minerID: miner.id, pools: status.pools, now: now)
                    rows = try store.lastCounters(minerID: miner.id)
                }
                try countShares(status, minerID: miner.id, previous: counters, rows: rows, now: now, round: &round, insert: insertShare)
            }
            try store.updateMinerPoll(round.miner)
            let sample = Sample(
                minerID: miner.id, time: now, status: round.miner.status,
                hashrate: round.status.flatMap { $0.hashrate ?? $0.hashrateAverage },
                tempMax: round.status.flatMap { $0.tempChipMax ?? $0.tempBoardMax },
                fanMinRPM: round.status.flatMap { status in status.fans.compactMap(\.rpm).min() },
                fansSpinning: round.status.map { status in status.fans.filter { ($0.rpm ?? 0) > 0 }.count },
                power: round.status?.power,
                accepted: round.status?.sharesAccepted, rejected: round.status?.sharesRejected,
                uptime: round.status?.uptime.map { Int64($0) }, reasons: round.miner.statusReasons)
            try insertSample(sample)
            round.sample = sample
            rounds.append(round)
        }
        return rounds
    }

    /// Turns counter deltas per pool into `share_submissions` rows (source `poll`), linked
    /// to the wallet of the pool's configuration, and stores the counters seen.
    private func countShares(
        _ status: MinerStatus, minerID: Int64,
        previous: [String: (config: MinerConfig, counters: ShareCounters?, lastShareAt: Int64?)],
        rows: [String: (config: MinerConfig, counters: ShareCounters?, lastShareAt: Int64?)], now: Int64,
        round: inout MinerRound, insert: (ShareSubmission) throws -> Int64
    ) throws {
        var seen = Set<String>()
        for pool in status.pools {
            let key = Store.poolKey(pool.url, pool.user ?? "")
            guard seen.insert(key).inserted, let row = rows[key], let accepted = pool.accepted, let rejected = pool.rejected else { continue }
            let current = ShareCounters(
                accepted: accepted, rejected: rejected, difficultyAccepted: pool.difficultyAccepted,
                difficultyRejected: pool.difficultyRejected, uptime: status.uptime.map { Int64($0) })
            var lastShareAt = row.lastShareAt
            if let delta = ShareCounting.delta(from: previous[key]?.counters, to: current) {
                let pool = row.config.poolID ?? Store.poolHost(row.config.poolURL)
                for (accepted, shares, difficulty) in [
                    (true, delta.accepted, delta.difficultyAccepted), (false, delta.rejected, delta.difficultyRejected),
                ] where shares > 0 {
                    _ = try insert(ShareSubmission(
                        timestamp: now, walletID: row.config.walletID, minerID: minerID, poolName: pool,
                        workerName: row.config.workerName, difficulty: difficulty, accepted: accepted, shares: shares, source: .poll))
                }
                round.newAccepted += delta.accepted
                round.newRejected += delta.rejected
                if delta.accepted > 0 { lastShareAt = now }
            }
            // The device's own last-share time counts only when it falls within its uptime:
            // captured or mis-set clocks report shares from years ago.
            if let lastShareTime = pool.lastShareTime, lastShareTime > (lastShareAt ?? 0), lastShareTime <= now,
                let uptime = status.uptime, Double(now - lastShareTime) <= uptime
            {
                lastShareAt = lastShareTime
            }
            try store.saveCounters(configID: row.config.id, current, lastShareAt: lastShareAt)
            if let lastShareAt { round.lastShareAt = max(round.lastShareAt ?? 0, lastShareAt) }
        }
    }
}

extension RoundRecorder {
    /// Whether the stored configurations already hold the reported pools, active flags
    /// included. Pools no longer reported stay stored (inactive), so they do not count.
    static func samePools(_ pools: [PoolStatus], _ configs: [MinerConfig]) -> Bool {
        let reported = Set(pools.filter { !$0.url.isEmpty }.map { Store.poolKey($0.url, $0.user ?? "") })
        let stored = Set(configs.filter { !$0.poolURL.isEmpty }.map { Store.poolKey($0.poolURL, $0.poolUser) })
        guard reported.isSubset(of: stored) else { return false }
        let activeReported = pools.first(where: \.active).map { Store.poolKey($0.url, $0.user ?? "") }
        let activeStored = configs.first(where: \.active).map { Store.poolKey($0.poolURL, $0.poolUser) }
        return activeReported == activeStored
    }
}

extension Store {
    /// The host of a pool URL, for share rows of pools not in the registry.
    static func poolHost(_ url: String) -> String {
        (try? PoolURL.parse(url))?.host ?? url
    }
}
