/// Reads and writes `samples`, the per-miner time series `watch` keeps.
extension Store {
    /// Prepares a reusable insert for one round's samples inside one `write`.
    public func sampleInserter() throws -> (Sample) throws -> Void {
        // OR REPLACE: two polls of one miner in the same second keep the later one.
        let statement = try connection.prepare(
            """
            INSERT OR REPLACE INTO samples (miner_id, time, status, hashrate_hs, temp_max_c, fan_min_rpm, power_w, accepted, rejected,
                uptime_s, reasons)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return { sample in
            try statement.run([
                .integer(sample.minerID), .integer(sample.time), .text(sample.status.rawValue), SQLValue(sample.hashrate),
                SQLValue(sample.tempMax), SQLValue(sample.fanMinRPM), SQLValue(sample.power), SQLValue(sample.accepted),
                SQLValue(sample.rejected), SQLValue(sample.uptime), Store.joinReasons(sample.reasons),
            ])
        }
    }

    /// A miner's samples since a time, oldest first.
    public func samples(minerID: Int64, since: Int64) throws -> [Sample] {
        try read {
            try connection.query(
                """
                SELECT miner_id, time, status, hashrate_hs, temp_max_c, fan_min_rpm, power_w, accepted, rejected, uptime_s, reasons
                FROM samples WHERE miner_id = ? AND time >= ? ORDER BY time
                """, [.integer(minerID), .integer(since)]
            ) { row in
                Sample(
                    minerID: row.int64(0) ?? 0, time: row.int64(1) ?? 0, status: HealthStatus(rawValue: row.string(2) ?? "") ?? .unknown,
                    hashrate: row.double(3), tempMax: row.double(4), fanMinRPM: row.double(5), power: row.double(6),
                    accepted: row.int(7), rejected: row.int(8), uptime: row.int64(9), reasons: Store.splitReasons(row.string(10)))
            }
        }
    }

    /// The hashrates of every miner's most recent samples (up to `perMiner` each), for
    /// the "below its own median" health rule. One query for the whole fleet.
    public func recentHashrates(perMiner: Int) throws -> [Int64: [Double]] {
        try read {
            var result: [Int64: [Double]] = [:]
            let rows = try connection.query(
                """
                SELECT miner_id, hashrate_hs FROM (
                    SELECT miner_id, hashrate_hs, ROW_NUMBER() OVER (PARTITION BY miner_id ORDER BY time DESC) AS n
                    FROM samples WHERE hashrate_hs IS NOT NULL AND status != 'dead'
                ) WHERE n <= ?
                """, [.integer(Int64(perMiner))]
            ) { ($0.int64(0) ?? 0, $0.double(1) ?? 0) }
            for (miner, rate) in rows { result[miner, default: []].append(rate) }
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
