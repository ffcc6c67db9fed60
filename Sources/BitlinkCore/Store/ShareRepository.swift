/// Reads and writes `share_submissions`.
extension Store {
    /// Filters for share listings and statistics.
    public struct ShareFilter: Sendable {
        public var walletID: Int64?
        public var minerID: Int64?
        public var worker: String?
        /// Unix time; rows at or after it.
        public var since: Int64?
        public init(walletID: Int64? = nil, minerID: Int64? = nil, worker: String? = nil, since: Int64? = nil) {
            self.walletID = walletID
            self.minerID = minerID
            self.worker = worker
            self.since = since
        }

        func whereClause() -> (String, [SQLValue]) {
            var clauses: [String] = []
            var arguments: [SQLValue] = []
            if let walletID {
                clauses.append("s.wallet_id = ?")
                arguments.append(.integer(walletID))
            }
            if let minerID {
                clauses.append("s.miner_id = ?")
                arguments.append(.integer(minerID))
            }
            if let worker {
                clauses.append("s.worker_name = ?")
                arguments.append(.text(worker))
            }
            if let since {
                clauses.append("s.timestamp >= ?")
                arguments.append(.integer(since))
            }
            return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
        }
    }

    /// A share row with the names it refers to.
    public struct ShareRecord: Sendable, Equatable {
        public var submission: ShareSubmission
        public var walletAddress: String?
        public var minerName: String?
        public init(submission: ShareSubmission, walletAddress: String?, minerName: String?) {
            self.submission = submission
            self.walletAddress = walletAddress
            self.minerName = minerName
        }
    }

    /// Prepares a reusable insert for bulk logging inside one `write`.
    public func shareInserter() throws -> (ShareSubmission) throws -> Int64 {
        let statement = try connection.prepare(
            """
            INSERT INTO share_submissions (timestamp, wallet_id, miner_id, pool_name, worker_name, difficulty, accepted, shares, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return { [connection] share in
            try statement.run([
                .integer(share.timestamp), SQLValue(share.walletID), SQLValue(share.minerID), SQLValue(share.poolName),
                SQLValue(share.workerName), SQLValue(share.difficulty), SQLValue(share.accepted), .integer(Int64(share.shares)),
                .text(share.source.rawValue),
            ])
            return connection.lastInsertRowID
        }
    }

    /// Share rows, newest first.
    public func shares(_ filter: ShareFilter, limit: Int? = nil) throws -> [ShareRecord] {
        let (whereClause, arguments) = filter.whereClause()
        let limitClause = limit.map { " LIMIT \($0)" } ?? ""
        return try read {
            try connection.query(
                """
                SELECT s.id, s.timestamp, s.wallet_id, s.miner_id, s.pool_name, s.worker_name, s.difficulty, s.accepted, s.shares,
                    s.source, w.address, m.name
                FROM share_submissions s
                LEFT JOIN wallets w ON w.id = s.wallet_id
                LEFT JOIN miners m ON m.id = s.miner_id\(whereClause)
                ORDER BY s.timestamp DESC, s.id DESC\(limitClause)
                """, arguments
            ) { row in
                ShareRecord(
                    submission: ShareSubmission(
                        id: row.int64(0) ?? 0, timestamp: row.int64(1) ?? 0, walletID: row.int64(2), minerID: row.int64(3),
                        poolName: row.string(4), workerName: row.string(5), difficulty: row.double(6), accepted: row.bool(7),
                        shares: row.int(8) ?? 1, source: ShareSubmission.Source(rawValue: row.string(9) ?? "") ?? .manual),
                    walletAddress: row.string(10), minerName: row.string(11))
            }
        }
    }

    public enum ShareGrouping: String, Sendable, CaseIterable {
        case wallet, miner, worker
    }

    /// Totals for one group.
    public struct ShareStats: Sendable, Equatable {
        /// The wallet address, miner name or worker name (nil: shares without one).
        public var key: String?
        public var accepted: Int
        public var rejected: Int
        public var difficultySum: Double
        public var lastShareAt: Int64?

        /// Rejected over all shares (0 when there are none).
        public var rejectRate: Double {
            accepted + rejected == 0 ? 0 : Double(rejected) / Double(accepted + rejected)
        }
    }

    /// Accepted, rejected, difficulty sum and last share per wallet, miner or worker.
    public func shareStats(by grouping: ShareGrouping, _ filter: ShareFilter) throws -> [ShareStats] {
        let (whereClause, arguments) = filter.whereClause()
        let key: String
        switch grouping {
        case .wallet: key = "w.address"
        case .miner: key = "m.name"
        case .worker: key = "s.worker_name"
        }
        return try read {
            try connection.query(
                """
                SELECT \(key),
                    SUM(CASE WHEN s.accepted = 1 THEN s.shares ELSE 0 END),
                    SUM(CASE WHEN s.accepted = 0 THEN s.shares ELSE 0 END),
                    SUM(CASE WHEN s.accepted = 1 THEN COALESCE(s.difficulty, 0) ELSE 0 END),
                    MAX(CASE WHEN s.accepted = 1 THEN s.timestamp END)
                FROM share_submissions s
                LEFT JOIN wallets w ON w.id = s.wallet_id
                LEFT JOIN miners m ON m.id = s.miner_id\(whereClause)
                GROUP BY \(key)
                ORDER BY \(key) IS NULL, \(key)
                """, arguments
            ) { row in
                ShareStats(
                    key: row.string(0), accepted: row.int(1) ?? 0, rejected: row.int(2) ?? 0, difficultySum: row.double(3) ?? 0,
                    lastShareAt: row.int64(4))
            }
        }
    }
}
