/// Reads and writes the `miners` table.
extension Store {
    static let minerColumns = """
        id, name, miner_type, model, firmware, ip_address, mac_address, hostname, serial, api_port, http_port,
        status, status_reasons, failed_polls, enabled, auto_discovered, created_at, last_seen, v3_port, read_hints
        """

    static func miner(from row: Row) -> Miner {
        var miner = Miner(
            id: row.int64(0) ?? 0,
            name: row.string(1) ?? "",
            family: MinerFamily(rawValue: row.string(2) ?? "") ?? .unknown,
            model: row.string(3),
            firmware: row.string(4),
            // NULL: the address was taken over by another device (see `upsertDiscovered`).
            host: row.string(5) ?? "",
            mac: row.string(6),
            hostname: row.string(7),
            serial: row.string(8),
            apiPort: row.int(9).flatMap { UInt16(exactly: $0) },
            httpPort: row.int(10).flatMap { UInt16(exactly: $0) },
            status: HealthStatus(rawValue: row.string(11) ?? "") ?? .unknown,
            statusReasons: Store.splitReasons(row.string(12)),
            failedPolls: row.int(13) ?? 0,
            enabled: row.bool(14),
            autoDiscovered: row.bool(15),
            createdAt: row.int64(16) ?? 0,
            lastSeen: row.int64(17)
        )
        miner.v3Port = row.int(18).flatMap { UInt16(exactly: $0) }
        miner.readHints = Store.decodeHints(row.string(19))
        return miner
    }

    /// Hints are stored as `key=value` lines (few, short, and readable in the sqlite shell).
    static func decodeHints(_ text: String?) -> [String: String] {
        var hints: [String: String] = [:]
        for line in (text ?? "").split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            hints[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return hints
    }

    static func encodeHints(_ hints: [String: String]) -> SQLValue {
        hints.isEmpty ? .null : .text(hints.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n"))
    }

    static func splitReasons(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    static func joinReasons(_ reasons: [String]) -> SQLValue {
        reasons.isEmpty ? .null : .text(reasons.joined(separator: "\n"))
    }

    /// Filters for `miners list`.
    public struct MinerFilter: Sendable {
        public var family: MinerFamily?
        public var status: HealthStatus?
        public var enabled: Bool?
        public init(family: MinerFamily? = nil, status: HealthStatus? = nil, enabled: Bool? = nil) {
            self.family = family
            self.status = status
            self.enabled = enabled
        }
    }

    /// Positions in `minerColumns`, for reading streamed rows.
    public enum MinerColumn: Int {
        case id, name, minerType, model, firmware, ipAddress, macAddress, hostname, serial, apiPort, httpPort
        case status, statusReasons, failedPolls, enabled, autoDiscovered, createdAt, lastSeen, v3Port, readHints
    }

    /// Streams the miners matching the filter, ordered by id, row by row, so a list of
    /// 10,000 can be written without building 10,000 `Miner` values. Rows are valid only
    /// inside `body`.
    public func forEachMinerRow(_ filter: MinerFilter = MinerFilter(), _ body: (Row) throws -> Void) throws {
        let (whereClause, arguments) = Store.minerWhere(filter)
        try read {
            _ = try connection.query("SELECT \(Store.minerColumns) FROM miners\(whereClause) ORDER BY id", arguments) { row in
                try body(row)
            }
        }
    }

    static func minerWhere(_ filter: MinerFilter) -> (String, [SQLValue]) {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let family = filter.family {
            clauses.append("miner_type = ?")
            arguments.append(.text(family.rawValue))
        }
        if let status = filter.status {
            clauses.append("status = ?")
            arguments.append(.text(status.rawValue))
        }
        if let enabled = filter.enabled {
            clauses.append("enabled = ?")
            arguments.append(SQLValue(enabled))
        }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// Miners matching the filter, ordered by id.
    public func miners(_ filter: MinerFilter = MinerFilter()) throws -> [Miner] {
        let (whereClause, arguments) = Store.minerWhere(filter)
        return try read {
            try connection.query("SELECT \(Store.minerColumns) FROM miners\(whereClause) ORDER BY id", arguments, Store.miner(from:))
        }
    }

    /// Finds a miner by id, name, or address (in that order of precedence).
    public func miner(matching reference: String) throws -> Miner? {
        try read {
            if let id = Int64(reference),
                let found = try connection.query("SELECT \(Store.minerColumns) FROM miners WHERE id = ?", [.integer(id)], Store.miner(from:)).first
            {
                return found
            }
            if let found = try connection.query("SELECT \(Store.minerColumns) FROM miners WHERE name = ?", [.text(reference)], Store.miner(from:)).first {
                return found
            }
            return try connection.query(
                // Hosts are stored lower-case, so the unique index serves this (NOCASE would scan).
                "SELECT \(Store.minerColumns) FROM miners WHERE ip_address = ?", [.text(reference.lowercased())], Store.miner(from:)
            ).first
        }
    }

    public func miner(id: Int64) throws -> Miner? {
        try read {
            try connection.query("SELECT \(Store.minerColumns) FROM miners WHERE id = ?", [.integer(id)], Store.miner(from:)).first
        }
    }

    /// Stored miner names, for shell completion.
    public func minerNames() throws -> [String] {
        try read { try connection.query("SELECT name FROM miners ORDER BY name") { $0.string(0) ?? "" } }
    }

    /// Inserts a miner. Call inside `write`.
    /// - Throws: `.alreadyExists` when the name, address or MAC is taken.
    @discardableResult
    public func insertMiner(_ miner: Miner) throws -> Miner {
        if let other = try connection.query("SELECT name FROM miners WHERE name = ?", [.text(miner.name)], { $0.string(0) }).first {
            throw BitlinkError(.alreadyExists, "a miner named '\(other ?? miner.name)' already exists",
                hint: "choose another name with --name")
        }
        if let other = try connection.query(
            "SELECT name FROM miners WHERE ip_address = ?", [.text(miner.host)], { $0.string(0) }
        ).first {
            throw BitlinkError(.alreadyExists, "miner '\(other ?? "")' already has address \(miner.host)")
        }
        try connection.execute(
            """
            INSERT INTO miners (name, miner_type, model, firmware, ip_address, mac_address, hostname, serial, api_port,
                http_port, status, status_reasons, failed_polls, enabled, auto_discovered, created_at, last_seen, v3_port, read_hints)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            Store.minerArguments(miner)
        )
        var inserted = miner
        inserted.id = connection.lastInsertRowID
        return inserted
    }

    static func minerArguments(_ miner: Miner) -> [SQLValue] {
        [
            .text(miner.name), .text(miner.family.rawValue), SQLValue(miner.model), SQLValue(miner.firmware),
            miner.host.isEmpty ? .null : .text(miner.host), SQLValue(miner.mac), SQLValue(miner.hostname), SQLValue(miner.serial),
            SQLValue(miner.apiPort.map(Int.init)), SQLValue(miner.httpPort.map(Int.init)),
            .text(miner.status.rawValue), joinReasons(miner.statusReasons), .integer(Int64(miner.failedPolls)),
            SQLValue(miner.enabled), SQLValue(miner.autoDiscovered), .integer(miner.createdAt), SQLValue(miner.lastSeen),
            SQLValue(miner.v3Port.map(Int.init)), Store.encodeHints(miner.readHints),
        ]
    }

    /// Rewrites every column of an existing miner. Call inside `write`.
    /// - Throws: `.alreadyExists` when the new name or address belongs to another miner.
    public func updateMiner(_ miner: Miner) throws {
        if let other = try connection.query(
            "SELECT name FROM miners WHERE name = ? AND id != ?", [.text(miner.name), .integer(miner.id)], { $0.string(0) }
        ).first {
            throw BitlinkError(.alreadyExists, "a miner named '\(other ?? miner.name)' already exists")
        }
        if !miner.host.isEmpty, let other = try connection.query(
            "SELECT name FROM miners WHERE ip_address = ? AND id != ?", [.text(miner.host), .integer(miner.id)],
            { $0.string(0) }
        ).first {
            throw BitlinkError(.alreadyExists, "miner '\(other ?? "")' already has address \(miner.host)")
        }
        try connection.execute(
            """
            UPDATE miners SET name = ?, miner_type = ?, model = ?, firmware = ?, ip_address = ?, mac_address = ?,
                hostname = ?, serial = ?, api_port = ?, http_port = ?, status = ?, status_reasons = ?, failed_polls = ?,
                enabled = ?, auto_discovered = ?, created_at = ?, last_seen = ?, v3_port = ?, read_hints = ?
            WHERE id = ?
            """,
            Store.minerArguments(miner) + [.integer(miner.id)]
        )
    }

    /// When `watch --exec` last ran for a miner (its rate limit survives between cron runs).
    public func lastAlert(minerID: Int64) throws -> Int64? {
        guard case .integer(let time)? = try connection.scalar("SELECT last_alert_at FROM miners WHERE id = ?", [.integer(minerID)]) else {
            return nil
        }
        return time
    }

    public func setLastAlert(minerID: Int64, at time: Int64) throws {
        try connection.execute("UPDATE miners SET last_alert_at = ? WHERE id = ?", [.integer(time), .integer(minerID)])
    }

    /// Writes what a poll changes (identity read from the device, health, last seen),
    /// without the uniqueness checks of `updateMiner`: name and address do not change in a
    /// poll. A MAC another stored miner already has is left out rather than failing the
    /// round's transaction. Call inside `write`.
    public func updateMinerPoll(_ miner: Miner) throws {
        let common: [SQLValue] = [
            .text(miner.family.rawValue), SQLValue(miner.model), SQLValue(miner.firmware), SQLValue(miner.hostname),
            SQLValue(miner.serial), .text(miner.status.rawValue), Store.joinReasons(miner.statusReasons),
            .integer(Int64(miner.failedPolls)), SQLValue(miner.lastSeen), Store.encodeHints(miner.readHints),
        ]
        let assignments = """
            miner_type = ?, model = ?, firmware = ?, hostname = ?, serial = ?, status = ?, status_reasons = ?,
            failed_polls = ?, last_seen = ?, read_hints = ?
            """
        do {
            try connection.execute(
                "UPDATE miners SET \(assignments), mac_address = ? WHERE id = ?", common + [SQLValue(miner.mac), .integer(miner.id)])
        } catch {
            guard error.isUniqueViolation else { throw error }
            try connection.execute("UPDATE miners SET \(assignments) WHERE id = ?", common + [.integer(miner.id)])
        }
    }

    /// Deletes a miner; its configs and samples go with it, its share rows keep a null miner.
    public func deleteMiner(id: Int64) throws {
        try connection.execute("DELETE FROM miners WHERE id = ?", [.integer(id)])
    }
}
