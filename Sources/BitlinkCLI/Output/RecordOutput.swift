import BitlinkCore

/// The stable output shapes of stored records: JSON objects (every key always present,
/// snake_case, units in names, RFC 3339 times) and table columns. The man pages list
/// these fields; add keys, never rename or remove them.
enum RecordOutput {
    // MARK: Miners

    static func json(_ miner: Miner) -> JSONValue {
        // Keys in sorted order, so the encoder need not sort 10,000 objects.
        .object(JSONObject([
            "api_port": JSONValue(miner.apiPort.map(Int.init)),
            "auto_discovered": .bool(miner.autoDiscovered),
            "created_at": .string(Format.rfc3339(miner.createdAt)),
            "enabled": .bool(miner.enabled),
            "firmware": JSONValue(miner.firmware),
            "hostname": JSONValue(miner.hostname),
            "http_port": JSONValue(miner.httpPort.map(Int.init)),
            "id": .int(miner.id),
            "ip_address": .string(miner.host),
            "last_seen": JSONValue(miner.lastSeen.map(Format.rfc3339)),
            "mac_address": JSONValue(miner.mac),
            "miner_type": .string(miner.family.rawValue),
            "model": JSONValue(miner.model),
            "name": .string(miner.name),
            "serial": JSONValue(miner.serial),
            "status": .string(miner.status.rawValue),
            "status_reasons": .array(miner.statusReasons.map(JSONValue.string)),
            "v3_port": JSONValue(miner.v3Port.map(Int.init)),
        ]))
    }

    /// Miner rows. Human forms are only computed for a terminal (`human`); piped output
    /// needs the raw forms alone, and 10,000 rows should not pay for both.
    /// The same object as `json(_:)`, written straight from a database row (keys in the
    /// same sorted order; a test compares the two).
    static func stream(_ row: Row, into out: inout JSONStream) {
        typealias C = Store.MinerColumn
        func text(_ column: C) { row.withText(column.rawValue) { out.value(utf8: $0) } }
        func port(_ column: C) { out.value(row.int64(column.rawValue)) }
        out.beginObject()
        out.key("api_port"); port(.apiPort)
        out.key("auto_discovered"); out.value(row.bool(C.autoDiscovered.rawValue))
        out.key("created_at"); out.value(rfc3339: row.int64(C.createdAt.rawValue) ?? 0)
        out.key("enabled"); out.value(row.bool(C.enabled.rawValue))
        out.key("firmware"); text(.firmware)
        out.key("hostname"); text(.hostname)
        out.key("http_port"); port(.httpPort)
        out.key("id"); out.value(row.int64(C.id.rawValue))
        out.key("ip_address"); row.withText(C.ipAddress.rawValue) { out.value(utf8: $0 ?? UnsafeBufferPointer(start: nil, count: 0)) }
        out.key("last_seen"); out.value(rfc3339: row.int64(C.lastSeen.rawValue))
        out.key("mac_address"); text(.macAddress)
        out.key("miner_type"); text(.minerType)
        out.key("model"); text(.model)
        out.key("name"); text(.name)
        out.key("serial"); text(.serial)
        out.key("status"); text(.status)
        out.key("status_reasons"); row.withText(C.statusReasons.rawValue) { out.value(lines: $0) }
        out.key("v3_port"); port(.v3Port)
        out.endObject()
    }

    /// The piped row of `minerTable` (id, name, type, address, status, model, firmware,
    /// last seen), written straight from a database row.
    static func tsv(_ row: Row, into out: inout [UInt8]) {
        typealias C = Store.MinerColumn
        func text(_ column: C) {
            row.withText(column.rawValue) { bytes in
                guard let bytes else { return }
                for byte in bytes { out.append(byte == 9 || byte == 10 || byte == 13 ? 32 : byte) }
            }
        }
        out.append(contentsOf: String(row.int64(C.id.rawValue) ?? 0).utf8)
        for column in [C.name, .minerType, .ipAddress, .status, .model, .firmware] {
            out.append(9)
            text(column)
        }
        out.append(9)
        if let lastSeen = row.int64(C.lastSeen.rawValue) { RFC3339.append(lastSeen, to: &out) }
        out.append(10)
    }

    /// Miner rows. Human forms are only computed for a terminal (`human`); piped output
    /// needs the raw forms alone, and 10,000 rows should not pay for both.
    static func minerTable(_ miners: [Miner], now: Int64, human: Bool = true) -> Table {
        var table = Table([
            .init("ID", .right), .init("NAME"), .init("TYPE"), .init("ADDRESS"), .init("STATUS"), .init("MODEL"),
            .init("FIRMWARE"), .init("LAST SEEN"),
        ])
        table.rows.reserveCapacity(miners.count)
        for miner in miners {
            let lastSeen = Format.rawTime(miner.lastSeen)
            guard human else {
                table.append([
                    .init(String(miner.id)), .init(miner.name), .init(miner.family.rawValue), .init(miner.host),
                    .init(miner.status.rawValue), .init(miner.model ?? ""), .init(miner.firmware ?? ""), .init(lastSeen),
                ])
                continue
            }
            table.append([
                .init(String(miner.id)),
                .init(miner.name),
                .init(miner.family.rawValue),
                .init(miner.host),
                .init(
                    miner.enabled ? miner.status.rawValue : "\(miner.status.rawValue) (disabled)", raw: miner.status.rawValue,
                    color: Table.statusColor(miner.status.rawValue)),
                .init(miner.model ?? "-", raw: miner.model ?? ""),
                .init(miner.firmware ?? "-", raw: miner.firmware ?? ""),
                .init(Format.ago(miner.lastSeen, now: now), raw: lastSeen),
            ])
        }
        return table
    }

    /// `key: value` lines for one miner on a terminal.
    static func minerDetails(_ miner: Miner, now: Int64) -> [(String, String)] {
        [
            ("id", String(miner.id)),
            ("name", miner.name),
            ("type", miner.family.rawValue),
            ("model", miner.model ?? "-"),
            ("firmware", miner.firmware ?? "-"),
            ("address", miner.host),
            ("mac", miner.mac ?? "-"),
            ("hostname", miner.hostname ?? "-"),
            ("serial", miner.serial ?? "-"),
            ("api port", miner.apiPort.map(String.init) ?? "default"),
            ("http port", miner.httpPort.map(String.init) ?? "default"),
            ("v3 port", miner.v3Port.map(String.init) ?? "default"),
            ("status", miner.status.rawValue + (miner.statusReasons.isEmpty ? "" : " (" + miner.statusReasons.joined(separator: "; ") + ")")),
            ("enabled", miner.enabled ? "yes" : "no"),
            ("discovered", miner.autoDiscovered ? "by scan" : "added by hand"),
            ("added", Format.rfc3339(miner.createdAt)),
            ("last seen", Format.ago(miner.lastSeen, now: now)),
        ]
    }

    // MARK: Wallets

    static func json(_ wallet: Wallet) -> JSONValue {
        .object(JSONObject([
            "id": .int(wallet.id),
            "address": .string(wallet.address),
            "label": JSONValue(wallet.label),
            "pool": JSONValue(wallet.pool),
            "created_at": .string(Format.rfc3339(wallet.createdAt)),
        ]))
    }

    static func walletTable(_ wallets: [Wallet]) -> Table {
        var table = Table([.init("ID", .right), .init("ADDRESS"), .init("LABEL"), .init("POOL"), .init("ADDED")])
        for wallet in wallets {
            table.append([
                .init(String(wallet.id)),
                .init(wallet.address),
                .init(wallet.label ?? "-", raw: wallet.label ?? ""),
                .init(wallet.pool ?? "-", raw: wallet.pool ?? ""),
                .init(Format.rfc3339(wallet.createdAt)),
            ])
        }
        return table
    }

    // MARK: Shared writers

    /// Writes a list: a JSON array, an aligned table on a terminal, TSV when piped.
    /// Only the form asked for is built: `table(human)` gets whether human cells are needed.
    static func writeList(
        count: Int, context: Context, emptyHint: String? = nil, table: (_ human: Bool) -> Table, json: () -> [JSONValue]
    ) throws {
        if context.globals.json {
            try writeJSON(.array(json()), context: context)
            return
        }
        if count == 0 {
            // An empty result is not a failure: nothing on a pipe, a hint on a terminal.
            if context.stdoutIsTTY, let emptyHint { context.note(emptyHint) }
            return
        }
        let built = table(context.stdoutIsTTY)
        try context.stdout.write(context.stdoutIsTTY ? built.aligned(width: context.width, color: context.colorStdout) : built.tsv())
    }

    /// One JSON document: pretty on a terminal, one line when piped.
    static func writeJSON(_ value: JSONValue, context: Context) throws {
        var bytes: [UInt8] = []
        value.encode(into: &bytes, pretty: context.stdoutIsTTY)
        bytes.append(10)
        try context.stdout.write(bytes: bytes)
    }

    /// `key: value` lines with the keys aligned.
    static func writeDetails(_ rows: [(String, String)], context: Context) throws {
        let width = rows.map(\.0.count).max() ?? 0
        for (key, value) in rows {
            try context.stdout.line(key + ":" + String(repeating: " ", count: width - key.count + 1) + value)
        }
    }
}
