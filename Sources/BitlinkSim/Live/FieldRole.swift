/// What a field in a captured reply means, so its value can move like a live miner's.
/// Keys come from the captures and protocols.md (section 6, unit cheat-sheet).
enum FieldRole: Equatable {
    case hashrate
    case accepted
    case rejected
    case difficultyAccepted
    case difficultyRejected
    case uptime
    case temperature(isMax: Bool)
    /// Antminer `temp_chipN`/`temp_pcbN`: sensor readings joined by `-`.
    case temperatureList
    case fan
    case mac
    case ip
    case poolUser
    /// Whatsminer `btmineroff` ("true" when the miner is stopped).
    case minerOffFlag
    /// NerdQAxe `shutdown` (true when not hashing).
    case shutdownFlag
    /// Antminer stats `Mode` (254 when sleeping, as in the S17+/T17+ sleeping captures).
    case antminerMode
    /// Avalon `SYSTEMSTATU[Work: In Work, ...]` ("In Idle" when soft-off, as in the Avalon Q capture).
    case avalonSystemStatus

    /// Role of a JSON key or a text-form `key=value` key.
    static func forKey(_ key: String) -> FieldRole? {
        if let role = exact[key] { return role }
        if key.hasPrefix("GHS ") || key.hasPrefix("MHS ") || key.hasPrefix("KHS ") || key.hasPrefix("THS ") {
            return .hashrate
        }
        if key.hasPrefix("chain_rate"), !key.hasPrefix("chain_rateideal"), key.dropFirst(10).allSatisfy(\.isNumber) {
            return .hashrate
        }
        if key.hasPrefix("hashRate_") { return .hashrate }
        // Antminer temp1..tempN, temp2_N, temp3_N (not temp_num).
        if key.hasPrefix("temp"), key.count > 4 {
            let rest = key.dropFirst(4)
            if rest.allSatisfy({ $0.isNumber || $0 == "_" }), rest.first?.isNumber == true {
                return .temperature(isMax: false)
            }
            if key.hasPrefix("temp_chip") || key.hasPrefix("temp_pcb") || key.hasPrefix("temp_pic") {
                return .temperatureList
            }
        }
        // Antminer fan1..fanN (not fan_num).
        if key.hasPrefix("fan"), key.count > 3, key.dropFirst(3).allSatisfy(\.isNumber) { return .fan }
        return nil
    }

    /// Role of an Avalon `MM ID` token (`GHSspd[...]`).
    static func forToken(_ key: String) -> FieldRole? {
        switch key {
        case "GHSspd", "GHSavg", "MGHS": return .hashrate
        case "Elapsed": return .uptime
        case "Temp", "OTemp", "HBTemp", "TAvg", "MTavg": return .temperature(isMax: false)
        case "TMax", "MTmax": return .temperature(isMax: true)
        case "Fan1", "Fan2", "Fan3", "Fan4": return .fan
        case "SYSTEMSTATU": return .avalonSystemStatus
        default: return nil
        }
    }

    private static let exact: [String: FieldRole] = [
        "rate_30m": .hashrate, "rate_5s": .hashrate, "rate_avg": .hashrate, "total rate": .hashrate,
        "total_rate": .hashrate, "HS RT": .hashrate, "hashRate": .hashrate, "hash-realtime": .hashrate,
        "hash-average": .hashrate, "hr": .hashrate,
        "Accepted": .accepted, "sharesAccepted": .accepted, "sAccepted": .accepted, "accepted": .accepted,
        "Rejected": .rejected, "sharesRejected": .rejected, "sRejected": .rejected, "rejected": .rejected,
        "Difficulty Accepted": .difficultyAccepted, "Difficulty Rejected": .difficultyRejected,
        "Elapsed": .uptime, "Device Elapsed": .uptime, "uptimeSeconds": .uptime, "Uptime": .uptime,
        "ut": .uptime, "elapsed": .uptime,
        "Temperature": .temperature(isMax: false), "Chip Temp Min": .temperature(isMax: false),
        "Chip Temp Avg": .temperature(isMax: false), "Chip Temp Max": .temperature(isMax: true),
        "temp_max": .temperature(isMax: true), "temp": .temperature(isMax: false),
        "vrTemp": .temperature(isMax: false), "Board": .temperature(isMax: false), "Chip": .temperature(isMax: false),
        "chip-temp-min": .temperature(isMax: false), "chip-temp-avg": .temperature(isMax: false),
        "chip-temp-max": .temperature(isMax: true),
        "Fan Speed In": .fan, "Fan Speed Out": .fan, "fanrpm": .fan, "fan2rpm": .fan, "fanrpm2": .fan,
        "RPM": .fan, "rpm": .fan, "fan-speed-in": .fan, "fan-speed-out": .fan,
        "MAC": .mac, "mac": .mac, "macAddr": .mac, "macaddr": .mac,
        "ip": .ip, "hostip": .ip, "ipv4": .ip, "ipaddress": .ip,
        "User": .poolUser, "stratumUser": .poolUser, "user": .poolUser, "account": .poolUser,
        "btmineroff": .minerOffFlag, "shutdown": .shutdownFlag, "Mode": .antminerMode,
    ]
}
