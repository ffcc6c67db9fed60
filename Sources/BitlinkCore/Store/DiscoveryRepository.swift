/// Storing what a scan found: one upsert per miner, by MAC first, then by address.
extension Store {
    /// The outcome of storing one found miner.
    public struct UpsertResult: Sendable, Equatable {
        public var miner: Miner
        public var inserted: Bool
        /// The address the miner was stored with before, when it moved.
        public var previousHost: String?
    }

    /// Stores a miner a scan found. Call inside `write`.
    ///
    /// The same MAC is the same miner even if its address changed; without a MAC (stock
    /// Antminers do not report one over the CGMiner API) the same address is. A stored
    /// miner that held the address but has another MAC is a device that left it: its
    /// address is cleared until it is found again. New miners are named after the host
    /// name the device reports, else `<family>-<a-b-c-d>`.
    public func upsertDiscovered(
        address: String, ports: MinerPorts, reading: MinerReader.Reading, health: HealthAssessment, now: Int64
    ) throws -> UpsertResult {
        let identity = reading.status.identity
        let mac = identity.mac.map { $0.uppercased() }
        var existing: Miner?
        if let mac {
            existing = try connection.query(
                // MACs are stored upper-case: the unique index serves this.
                "SELECT \(Store.minerColumns) FROM miners WHERE mac_address = ?", [.text(mac)], Store.miner(from:)
            ).first
        }
        let atAddress = try connection.query(
            "SELECT \(Store.minerColumns) FROM miners WHERE ip_address = ?", [.text(address)], Store.miner(from:)
        ).first
        if existing == nil, let atAddress, atAddress.mac == nil || mac == nil || atAddress.mac?.uppercased() == mac {
            existing = atAddress
        }
        // Another device held this address: it has moved away.
        if let atAddress, atAddress.id != existing?.id {
            try connection.execute("UPDATE miners SET ip_address = NULL WHERE id = ?", [.integer(atAddress.id)])
        }

        let standard = MinerPorts.standard
        if var miner = existing {
            let previous = miner.host
            miner = ReadingRecorder.updated(miner, with: reading, now: now)
            miner.host = address
            miner.mac = mac ?? miner.mac
            if ports.api != standard.api { miner.apiPort = ports.api }
            if ports.http != standard.http { miner.httpPort = ports.http }
            if ports.whatsminerV3 != standard.whatsminerV3 { miner.v3Port = ports.whatsminerV3 }
            miner.apply(health)
            try updateMiner(miner)
            return UpsertResult(miner: miner, inserted: false, previousHost: previous == address ? nil : previous)
        }

        var miner = Miner(
            name: try freeName(for: identity.hostname, family: reading.identification.family, address: address),
            family: reading.identification.family, host: address, createdAt: now)
        miner = ReadingRecorder.updated(miner, with: reading, now: now)
        miner.mac = mac
        miner.apiPort = ports.api != standard.api ? ports.api : nil
        miner.httpPort = ports.http != standard.http ? ports.http : nil
        miner.v3Port = ports.whatsminerV3 != standard.whatsminerV3 ? ports.whatsminerV3 : nil
        miner.apply(health)
        miner.autoDiscovered = true
        try connection.execute(
            """
            INSERT INTO miners (name, miner_type, model, firmware, ip_address, mac_address, hostname, serial, api_port,
                http_port, status, status_reasons, failed_polls, enabled, auto_discovered, created_at, last_seen, v3_port, read_hints)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            Store.minerArguments(miner))
        miner.id = connection.lastInsertRowID
        return UpsertResult(miner: miner, inserted: true, previousHost: nil)
    }

    /// A unique, valid miner name: the device's host name when usable and free, else
    /// `<family>-<address with dashes>`, with `-2`, `-3`... on a clash.
    func freeName(for hostname: String?, family: MinerFamily, address: String) throws -> String {
        var base = Store.sanitizedName(hostname ?? "")
        // Factory host names ("Antminer", "bitaxe") are shared by every unit: skip those.
        if base.isEmpty || base.allSatisfy(\.isNumber) || Store.genericHostnames.contains(base.lowercased()) {
            base = "\(family.rawValue)-" + address.replacingDotsWithDashes()
        }
        var candidate = base
        var suffix = 2
        while try !connection.query("SELECT 1 FROM miners WHERE name = ?", [.text(candidate)], { _ in true }).isEmpty {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    static let genericHostnames: Set<String> = ["antminer", "whatsminer", "bitaxe", "avalon", "miner", "localhost", "nerdqaxe", "nmminer", "esp32"]

    static func sanitizedName(_ text: String) -> String {
        let mapped = text.utf8.map { byte -> UInt8 in
            let allowed = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == 46 || byte == 95 || byte == 45
            return allowed ? byte : 45
        }
        return String(decoding: mapped.prefix(64), as: UTF8.self)
    }
}

extension String {
    func replacingDotsWithDashes() -> String {
        String(map { $0 == "." ? "-" : $0 })
    }
}
