/// Reads and writes `miner_configs`: the pools each miner is configured with, the wallet
/// each is linked to, and the last share counters seen (for share deltas).
extension Store {
    static let configColumns = """
        id, miner_id, wallet_id, pool_url, pool_user, worker_name, pool_id, active, linked_by, detected_at
        """

    static func config(from row: Row) -> MinerConfig {
        MinerConfig(
            id: row.int64(0) ?? 0, minerID: row.int64(1) ?? 0, walletID: row.int64(2), poolURL: row.string(3) ?? "",
            poolUser: row.string(4) ?? "", workerName: row.string(5), poolID: row.string(6), active: row.bool(7),
            linkedBy: row.string(8).flatMap(MinerConfig.LinkSource.init(rawValue:)), detectedAt: row.int64(9) ?? 0)
    }

    /// A miner's configurations, active first.
    public func configs(minerID: Int64) throws -> [MinerConfig] {
        try read {
            try connection.query(
                "SELECT \(Store.configColumns) FROM miner_configs WHERE miner_id = ? ORDER BY active DESC, id", [.integer(minerID)],
                Store.config(from:))
        }
    }

    /// Records the pools a miner reported: inserts new (url, user) pairs, refreshes the
    /// active flag, keeps links and counters of known ones. Pools no longer reported stay,
    /// marked inactive, so a manual link survives a temporary pool change. Call inside `write`.
    /// - Returns: the miner's configurations after the update.
    @discardableResult
    public func recordPools(
        minerID: Int64, pools: [PoolStatus], now: Int64, poolID: (String) -> String? = { _ in nil }
    ) throws -> [MinerConfig] {
        let existing = try configs(minerID: minerID)
        let activeURL = pools.first(where: \.active)?.url
        let activeUser = pools.first(where: \.active)?.user ?? ""
        // Mark everything inactive, then the reported active pool active again.
        try connection.execute("UPDATE miner_configs SET active = 0 WHERE miner_id = ? AND active = 1", [.integer(minerID)])
        var seen = Set<String>()
        for pool in pools where !pool.url.isEmpty {
            let user = pool.user ?? ""
            // Firmware lists the same pool twice at times (failover slots): one row each.
            guard seen.insert(Store.poolKey(pool.url, user)).inserted else { continue }
            let isActive = pool.url == activeURL && user == activeUser
            if let known = existing.first(where: { $0.poolURL == pool.url && $0.poolUser == user }) {
                try connection.execute(
                    "UPDATE miner_configs SET active = ?, worker_name = ?, pool_id = ? WHERE id = ?",
                    [SQLValue(isActive), SQLValue(pool.worker), SQLValue(poolID(pool.url)), .integer(known.id)])
            } else {
                try connection.execute(
                    """
                    INSERT INTO miner_configs (miner_id, pool_url, pool_user, worker_name, pool_id, active, detected_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [.integer(minerID), .text(pool.url), .text(user), SQLValue(pool.worker), SQLValue(poolID(pool.url)),
                        SQLValue(isActive), .integer(now)])
            }
        }
        return try configs(minerID: minerID)
    }

    /// Links a configuration to a wallet (or unlinks with nil). Call inside `write`.
    public func setLink(configID: Int64, walletID: Int64?, by source: MinerConfig.LinkSource?) throws {
        try connection.execute(
            "UPDATE miner_configs SET wallet_id = ?, linked_by = ? WHERE id = ?",
            [SQLValue(walletID), walletID == nil ? .null : SQLValue(source?.rawValue), .integer(configID)])
    }

    /// A placeholder configuration for a miner that reports no pool (NerdMiner), so a
    /// manual link has a row to live in. Call inside `write`.
    public func placeholderConfig(minerID: Int64, now: Int64) throws -> MinerConfig {
        if let existing = try configs(minerID: minerID).first(where: { $0.poolURL.isEmpty }) { return existing }
        try connection.execute(
            "INSERT INTO miner_configs (miner_id, pool_url, pool_user, active, detected_at) VALUES (?, '', '', 1, ?)",
            [.integer(minerID), .integer(now)])
        return try configs(minerID: minerID).first(where: { $0.poolURL.isEmpty })!
    }

    // MARK: Share counters

    /// The last counters seen for each (pool url, user) of a miner.
    public func lastCounters(minerID: Int64) throws -> [String: (config: MinerConfig, counters: ShareCounters?, lastShareAt: Int64?)] {
        try read {
            var result: [String: (config: MinerConfig, counters: ShareCounters?, lastShareAt: Int64?)] = [:]
            let statement = try connection.prepare(
                """
                SELECT \(Store.configColumns), last_accepted, last_rejected, last_diff_accepted, last_diff_rejected,
                    last_uptime_s, last_share_at
                FROM miner_configs WHERE miner_id = ?
                """)
            try statement.bind([.integer(minerID)])
            while try statement.step() {
                let row = statement.row
                let config = Store.config(from: row)
                var counters: ShareCounters?
                if let accepted = row.int(10), let rejected = row.int(11) {
                    counters = ShareCounters(
                        accepted: accepted, rejected: rejected, difficultyAccepted: row.double(12), difficultyRejected: row.double(13),
                        uptime: row.int64(14))
                }
                result[Store.poolKey(config.poolURL, config.poolUser)] = (config, counters, row.int64(15))
            }
            return result
        }
    }

    static func poolKey(_ url: String, _ user: String) -> String { url + "\u{1F}" + user }

    /// Stores the counters seen at a poll. Call inside `write`.
    public func saveCounters(configID: Int64, _ counters: ShareCounters, lastShareAt: Int64?) throws {
        try connection.execute(
            """
            UPDATE miner_configs SET last_accepted = ?, last_rejected = ?, last_diff_accepted = ?, last_diff_rejected = ?,
                last_uptime_s = ?, last_share_at = ? WHERE id = ?
            """,
            [.integer(Int64(counters.accepted)), .integer(Int64(counters.rejected)), SQLValue(counters.difficultyAccepted),
                SQLValue(counters.difficultyRejected), SQLValue(counters.uptime), SQLValue(lastShareAt), .integer(configID)])
    }
}
