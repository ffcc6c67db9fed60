import BitlinkCore

/// Output of a miner's live status (`info`, and the miner records of `scan`).
enum StatusOutput {
    /// The `info` object: every field always present, units in the key names.
    static func fields(_ status: MinerStatus, address: String, miner: Miner?, readAt: Int64) -> JSONObject {
        let identity = status.identity
        return JSONObject([
            "address": .string(address),
            "best_difficulty": JSONValue(status.bestDifficulty),
            "boards": .array(status.boards.map { board in
                .object(JSONObject([
                    "chips": JSONValue(board.chips),
                    "chips_expected": JSONValue(board.chipsExpected),
                    "hashrate_expected_hs": JSONValue(board.hashrateExpected),
                    "hashrate_hs": JSONValue(board.hashrate),
                    "index": .int(Int64(board.index)),
                    "serial": JSONValue(board.serial),
                    "temp_board_c": JSONValue(board.tempBoard),
                    "temp_chip_c": JSONValue(board.tempChip),
                ]))
            }),
            "efficiency_jth": JSONValue(status.efficiency),
            "errors": .array(status.errors.map(JSONValue.string)),
            "fans": .array(status.fans.map { fan in
                .object(JSONObject(["index": .int(Int64(fan.index)), "percent": JSONValue(fan.percent), "rpm": JSONValue(fan.rpm)]))
            }),
            "firmware": JSONValue(identity.firmware),
            "hashrate_avg_hs": JSONValue(status.hashrateAverage),
            "hashrate_expected_hs": JSONValue(status.hashrateExpected),
            "hashrate_hs": JSONValue(status.hashrate),
            "hostname": JSONValue(identity.hostname),
            "mac_address": JSONValue(identity.mac),
            "miner": JSONValue(miner?.name),
            "miner_id": JSONValue(miner?.id),
            "miner_type": .string(identity.family.rawValue),
            "model": JSONValue(identity.model),
            "pools": .array(status.pools.map { pool in
                .object(JSONObject([
                    "accepted": JSONValue(pool.accepted),
                    "active": .bool(pool.active),
                    "difficulty_accepted": JSONValue(pool.difficultyAccepted),
                    "last_share_at": JSONValue(pool.lastShareTime.map(Format.rfc3339)),
                    "priority": JSONValue(pool.priority),
                    "rejected": JSONValue(pool.rejected),
                    "stale": JSONValue(pool.stale),
                    "status": .string(pool.status.rawValue),
                    "url": .string(pool.url),
                    "user": JSONValue(pool.user),
                    "worker": JSONValue(pool.worker),
                ]))
            }),
            "power_w": JSONValue(status.power),
            "read_at": .string(Format.rfc3339(readAt)),
            "serial": JSONValue(identity.serial),
            "shares_accepted": JSONValue(status.sharesAccepted),
            "shares_rejected": JSONValue(status.sharesRejected),
            "state": .string(status.state.rawValue),
            "support": .string(identity.support.rawValue),
            "temp_board_max_c": JSONValue(status.tempBoardMax),
            "temp_chip_max_c": JSONValue(status.tempChipMax),
            "temp_inlet_c": JSONValue(status.tempInlet),
            "temp_outlet_c": JSONValue(status.tempOutlet),
            "uptime_s": JSONValue(status.uptime),
        ])
    }

    /// Scalar fields as `key<TAB>value` lines, for `grep`/`awk` when piped.
    static func keyValueLines(_ object: JSONObject) -> String {
        var out = ""
        for entry in object.entries.sorted(by: { $0.key < $1.key }) {
            let value: String
            switch entry.value {
            case .null: value = ""
            case .string(let string): value = string
            case .array, .object: continue
            default: value = entry.value.encoded()
            }
            out += "\(entry.key)\t\(Table.singleLine(value))\n"
        }
        return out
    }

    /// The human report on a terminal.
    static func report(_ status: MinerStatus, address: String, miner: Miner?, width: Int) -> String {
        let identity = status.identity
        var title = miner.map { "\($0.name) (\(address))" } ?? address
        title += ": \(identity.family.displayName)"
        if let model = identity.model { title += " \(model)" }
        if identity.support == .partial { title += " (partly supported model)" }
        var rows: [(String, String)] = [
            ("firmware", identity.firmware ?? "-"),
            ("mac", identity.mac ?? "-"),
            ("hostname", identity.hostname ?? "-"),
            ("state", status.state.rawValue),
            ("hashrate", Format.hashrate(status.hashrate) + "  (avg \(Format.hashrate(status.hashrateAverage)), expected \(Format.hashrate(status.hashrateExpected)))"),
            ("temperature", "chip \(Format.temperature(status.tempChipMax)), board \(Format.temperature(status.tempBoardMax))"
                + (status.tempInlet != nil || status.tempOutlet != nil ? ", in \(Format.temperature(status.tempInlet)), out \(Format.temperature(status.tempOutlet))" : "")),
            ("fans", status.fans.isEmpty ? "-" : status.fans.map { fan in
                fan.rpm.map { "\(Format.decimal($0, places: 0)) rpm" } ?? fan.percent.map { "\(Format.decimal($0, places: 0))%" } ?? "-"
            }.joined(separator: ", ")),
            ("power", Format.power(status.power) + (status.efficiency.map { "  (\(Format.decimal($0, places: 1)) J/TH)" } ?? "")),
            ("uptime", Format.duration(status.uptime)),
            ("shares", "\(status.sharesAccepted.map(String.init) ?? "-") accepted, \(status.sharesRejected.map(String.init) ?? "-") rejected"),
        ]
        if let best = status.bestDifficulty { rows.append(("best share", Format.decimal(best, places: 0))) }
        if !status.errors.isEmpty { rows.append(("errors", status.errors.joined(separator: "; "))) }
        let keyWidth = rows.map(\.0.count).max() ?? 0
        var out = title + "\n"
        for (key, value) in rows {
            out += "  " + key + ":" + String(repeating: " ", count: keyWidth - key.count + 1) + value + "\n"
        }
        if !status.boards.isEmpty {
            var boards = Table([.init("BOARD", .right), .init("HASHRATE", .right), .init("CHIP", .right), .init("PCB", .right), .init("CHIPS", .right)])
            for board in status.boards {
                let chips = board.chips.map { count in board.chipsExpected.map { "\(count)/\($0)" } ?? String(count) } ?? "-"
                boards.append([
                    .init(String(board.index)), .init(Format.hashrate(board.hashrate)), .init(Format.temperature(board.tempChip)),
                    .init(Format.temperature(board.tempBoard)), .init(chips),
                ])
            }
            out += "\n" + boards.aligned(width: width)
        }
        if !status.pools.isEmpty {
            var pools = Table([.init("POOL"), .init("USER"), .init("STATUS"), .init("ACCEPTED", .right), .init("REJECTED", .right)])
            for pool in status.pools {
                pools.append([
                    .init((pool.active ? "* " : "  ") + pool.url), .init(pool.user ?? "-"), .init(pool.status.rawValue),
                    .init(pool.accepted.map(String.init) ?? "-"), .init(pool.rejected.map(String.init) ?? "-"),
                ])
            }
            out += "\n" + pools.aligned(width: width)
        }
        return out
    }
}
