/// Reads and writes `samples`, the per-miner time series `watch` keeps.
extension Store {
    /// Prepares a reusable insert for one round's samples inside one `write`.
    public func sampleInserter() throws -> (Sample) throws -> Void {
        // OR REPLACE: two polls of one miner in the same second keep the later one.
        let statement = try connection.prepare(
            """
            INSERT OR REPLACE INTO samples (miner_id, time, status, hashrate_hs, temp_max_c, fan_min_rpm, fans_spinning, power_w,
                accepted, rejected, uptime_s, reasons)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return { sample in
            try statement.run([
                .integer(sample.minerID), .integer(sample.time), .text(sample.status.rawValue), SQLValue(sample.hashrate),
                SQLValue(sample.tempMax), SQLValue(sample.fanMinRPM), SQLValue(sample.fansSpinning), SQLValue(sample.power),
                SQLValue(sample.accepted),
                SQLValue(sample.rejected), SQLValue(sample.uptime), Store.joinReasons(sample.reasons),
            ])
        }
    }

    /// A miner's samples since a time, oldest first.
    public func samples(minerID: Int64, since: Int64) throws -> [Sample] {
        try read {
            try connection.query(
                """
                SELECT miner_id, time, status, hashrate_hs, temp_max_c, fan_min_rpm, fans_spinning, power_w, accepted, rejected,
                    uptime_s, reasons
                FROM samples WHERE miner_id = ? AND time >= ? ORDER BY time
                """, [.integer(minerID), .integer(since)]
            ) { row in
                Sample(
                    minerID: row.int64(0) ?? 0, time: row.int64(1) ?? 0, status: HealthStatus(rawValue: row.string(2) ?? "") ?? .unknown,
                    hashrate: row.double(3), tempMax: row.double(4), fanMinRPM: row.double(5), fansSpinning: row.int(6),
                    power: row.double(7), accepted: row.int(8), rejected: row.int(9), uptime: row.int64(10),
                    reasons: Store.splitReasons(row.string(11)))
            }
        }
    }

    /// What recent samples say about a miner, for the health rules that compare a miner
    /// with itself.
    public struct RecentHistory: Sendable, Equatable {
        /// Hashrates of the latest samples that had one.
        public var hashrates: [Double] = []
        /// The most fans seen turning at once.
        public var maxFansSpinning: Int?
    }

    /// Every miner's most recent samples (up to `perMiner` each), in one query for the fleet.
    public func recentHistory(perMiner: Int) throws -> [Int64: RecentHistory] {
        try read {
            var result: [Int64: RecentHistory] = [:]
            let statement = try connection.prepare(
                """
                SELECT miner_id, hashrate_hs, fans_spinning FROM (
                    SELECT miner_id, hashrate_hs, fans_spinning,
                        ROW_NUMBER() OVER (PARTITION BY miner_id ORDER BY time DESC) AS n
                    FROM samples WHERE status != 'dead'
                ) WHERE n <= ?
                """)
            try statement.bind([.integer(Int64(perMiner))])
            while try statement.step() {
                let row = statement.row
                let miner = row.int64(0) ?? 0
                var history = result[miner] ?? RecentHistory()
                if let rate = row.double(1) { history.hashrates.append(rate) }
                if let fans = row.int(2) { history.maxFansSpinning = max(history.maxFansSpinning ?? 0, fans) }
                result[miner] = history
            }
            return result
        }
    }

    /// Deletes samples older than a time; returns how many. Call inside `write`.
    @discardableResult
    public func pruneSamples(before time: Int64) throws -> Int {
        try connection.execute("DELETE FROM samples WHERE time < ?", [.integer(time)])
        return connection.changes
    }
}
