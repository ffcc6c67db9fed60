/// ESP-Miner / AxeOS (Bitaxe Max/Ultra/Supra/Gamma/GT/Hex, NerdAxe) and the NerdQAxe
/// firmware ("NerdOS"), over HTTP without authentication (protocols.md section 4.1).
///
/// - Identify: the shared probe `GET /api/system/info` answers with `ASICModel`,
///   `hashRate`, `stratumURL`/`stratum`...
/// - Read: `/api/system/info` (already answered by the probe) and `/api/system/asic`
///   (`deviceModel`): one more connection. Older NerdQAxe builds answer `/api/system/asic`
///   with a 302; that is ignored.
/// - Parse: hash rates in GH/s, `temp`/`vrTemp` C, `fanrpm` RPM and `fanspeed` %, `power`
///   W, `voltage` mV (not used), pools from `stratumURL`+`stratumPort`+`stratumUser` (and
///   the newer `pools[]`/`stratum.pools[]`), `bestDiff` as a number or a suffixed string
///   (`"483k"`), `uptimeSeconds`.
public struct AxeOSAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .axeos }

    /// `GET /api/system/info`: the shared probe, which also carries the whole status.
    public static let systemInfo = Probes.httpSystemInfo
    /// `GET /api/system/asic`: `deviceModel` and chip settings.
    public static let systemASIC = Request.http("/api/system/asic")

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        [Self.systemInfo, Self.systemASIC]
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let info = Self.object(replies, Self.systemInfo)
        let asic = Self.object(replies, Self.systemASIC)
        guard info != nil || asic != nil else {
            if case .failure(let error)? = replies[Self.systemInfo] { throw ReadError.transport(error) }
            if let response = Self.response(replies, Self.systemInfo), response.status == 401 || response.status == 403 {
                // AxeOS refuses requests from outside RFC1918 ranges (`is_network_allowed`).
                throw ReadError.notPermitted("HTTP \(response.status) from /api/system/info")
            }
            throw ReadError.protocolViolation("no readable /api/system/info")
        }
        let name = Self.model(info: info, asic: asic)
        var status = MinerStatus(identity: MinerIdentity(
            family: .axeos,
            model: identification.model ?? name?.model,
            firmware: identification.firmware ?? Self.firmware(info: info, asic: asic),
            hostname: info?.text("hostname"),
            mac: Readings.mac(info?.text("macAddr")),
            support: identification.model != nil ? identification.support : (name?.known == true ? .full : .partial)))
        guard let info else { return status }

        status.hashrate = info.double("hashRate").map { $0 * Units.giga }
        status.hashrateAverage = info.double(anyOf: ["hashRate_1h", "hashRate_10m"]).map { $0 * Units.giga }
        if let expected = Readings.positive(info.double("expectedHashrate")) {
            status.hashrateExpected = expected * Units.giga
        } else if let frequency = info.double("frequency"), let cores = info.double("smallCoreCount") {
            // ESP-Miner's own estimate: MHz x small cores x chips = MH/s.
            let chips = info.double("asicCount") ?? asic?.double("asicCount") ?? 1
            status.hashrateExpected = Readings.positive(frequency * cores * chips * Units.mega)
        }
        let asicTemps = (info.array("asicTemps") ?? []).map(\.doubleValue)
        status.tempChipMax = Readings.maxTemperature([info.double("temp")] + asicTemps)
        status.tempBoardMax = Readings.maxTemperature([info.double("vrTemp")])  // voltage regulator
        status.power = Readings.positive(info.double("power"))
        status.uptime = info.double("uptimeSeconds")
        status.bestDifficulty = Units.suffixed(info["bestSessionDiff"]).flatMap(Readings.positive)
            ?? Units.suffixed(info["bestDiff"]).flatMap(Readings.positive)
        status.fans = Self.fans(info)
        status.pools = Self.pools(info)
        if info.bool("miningPaused") == true || info.bool("shutdown") == true {
            status.state = .sleeping
        } else {
            status.state = Readings.state(hashrate: status.hashrate)
        }
        return status
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        let asic = evidence.http["/api/system/asic"].flatMap { $0.status == 200 ? (try? JSONParser.parse($0.body))?.objectValue : nil }
        let info = evidence.systemInfo
        let isAxeOS = info.map { $0["identity"] == nil && ($0["ASICModel"] != nil || ($0["hashRate"] != nil && ($0["stratumURL"] != nil || $0["stratum"] != nil))) } ?? false
        guard isAxeOS || asic?["ASICModel"] != nil else { return nil }
        let name = Self.model(info: info, asic: asic)
        return Identification(
            family: .axeos, model: name?.model, firmware: Self.firmware(info: info, asic: asic),
            support: name?.known == true ? .full : .partial)
    }

    static let knownModels: Set<String> = [
        "Bitaxe Max", "Bitaxe Ultra", "Bitaxe Supra", "Bitaxe Gamma", "Bitaxe GT", "Bitaxe Hex", "Bitaxe Supra Hex",
        "Bitaxe Gamma Duo", "NerdAxe", "NerdQAxe+", "NerdQAxe++", "NerdOCTAxe", "NerdAxe Gamma",
    ]

    /// `deviceModel` when given (`Supra` -> `Bitaxe Supra`, `NerdQAxe++` as is), else from
    /// `ASICModel` + `boardVersion`/`asicCount`: BM1397 Max, BM1366 Ultra (6 chips: Hex),
    /// BM1368 Supra (6: Supra Hex), BM1370 Gamma (board 8xx: GT).
    static func model(info: JSONObject?, asic: JSONObject?) -> (model: String, known: Bool)? {
        if let device = asic?.text("deviceModel") ?? info?.text("deviceModel") {
            let name = device.lowercased().hasPrefix("nerd") || device.lowercased().hasPrefix("bitaxe") ? device : "Bitaxe \(device)"
            return (name, knownModels.contains(name))
        }
        guard let chip = (info?.text("ASICModel") ?? asic?.text("ASICModel"))?.uppercased() else { return nil }
        let count = info?.int("asicCount") ?? asic?.int("asicCount") ?? 1
        let board = info?.text("boardVersion") ?? ""
        let name: String
        switch chip {
        case "BM1397": name = "Bitaxe Max"
        case "BM1366": name = count >= 6 ? "Bitaxe Hex" : "Bitaxe Ultra"
        case "BM1368": name = count >= 6 ? "Bitaxe Supra Hex" : "Bitaxe Supra"
        case "BM1370": name = board.hasPrefix("8") ? "Bitaxe GT" : count == 2 ? "Bitaxe Gamma Duo" : "Bitaxe Gamma"
        default: return ("AxeOS \(chip)", false)
        }
        return (name, true)
    }

    /// `AxeOS v2.4.5-...`, or `NerdOS v1.1.0-beta1` for the NerdQAxe firmware.
    static func firmware(info: JSONObject?, asic: JSONObject?) -> String? {
        guard let version = info?.text("axeOSVersion") ?? info?.text("version") else { return nil }
        let device = (asic?.text("deviceModel") ?? info?.text("deviceModel") ?? "").lowercased()
        return device.hasPrefix("nerdq") || device.hasPrefix("nerdoct") ? "NerdOS \(version)" : "AxeOS \(version)"
    }

    // MARK: Parts

    static func fans(_ info: JSONObject) -> [FanStatus] {
        if let list = info.array("fans"), !list.isEmpty {
            // NerdQAxe: `fans[]` with `rpm` and `speedPerc`.
            return list.enumerated().compactMap { index, fan in
                guard let fan = fan.objectValue else { return nil }
                return FanStatus(index: index, rpm: fan.double("rpm"), percent: fan.double("speedPerc"))
            }
        }
        var fans: [FanStatus] = []
        if info["fanrpm"] != nil || info["fanspeed"] != nil {
            fans.append(FanStatus(index: 0, rpm: info.double("fanrpm"), percent: info.double("fanspeed")))
        }
        if let second = info.double(anyOf: ["fan2rpm", "fanrpm2"]) {
            fans.append(FanStatus(index: 1, rpm: second, percent: info.double("fanspeed2")))
        }
        return fans
    }

    /// Pools: AxeOS 2.15+ `pools[]` with `primaryPoolIndex`, else the flat primary and
    /// fallback `stratum*` fields. `stratumURL` is a host without scheme; the URL is rebuilt.
    static func pools(_ info: JSONObject) -> [PoolStatus] {
        let usingFallback = info.bool("isUsingFallbackStratum") ?? info.bool("useFallbackStratum")
            ?? info["stratum"]?["usingFallback"]?.boolValue ?? false
        let perPool = info["stratum"]?["pools"]?.arrayValue?.compactMap(\.objectValue) ?? []
        var pools: [PoolStatus] = []
        if let list = info.array("pools")?.compactMap(\.objectValue), !list.isEmpty {
            let primary = info.int("primaryPoolIndex")
            let secondary = info.int("secondaryPoolIndex")
            for (position, pool) in list.enumerated() {
                guard let host = pool.text("stratumURL") else { continue }
                let id = pool.int("id") ?? position
                let active = usingFallback ? id == secondary : id == primary
                pools.append(PoolStatus(
                    url: url(host: host, port: pool.int("stratumPort"), tls: pool.bool("stratumTLS") ?? false),
                    user: pool.text("stratumUser"), active: active, priority: id == primary ? 0 : id == secondary ? 1 : nil))
            }
        } else {
            if let host = info.text("stratumURL") {
                pools.append(PoolStatus(
                    url: url(host: host, port: info.int("stratumPort"), tls: info.bool("stratumTLS") ?? false),
                    user: info.text("stratumUser"), active: !usingFallback, priority: 0))
            }
            if let host = info.text("fallbackStratumURL") {
                pools.append(PoolStatus(
                    url: url(host: host, port: info.int("fallbackStratumPort"), tls: info.bool("fallbackStratumTLS") ?? false),
                    user: info.text("fallbackStratumUser"), active: usingFallback, priority: 1))
            }
        }
        // Share counters: per pool on NerdQAxe (`stratum.pools[]`), else on the active pool.
        for index in pools.indices {
            if index < perPool.count {
                pools[index].accepted = perPool[index].int("accepted")
                pools[index].rejected = perPool[index].int("rejected")
                if let connected = perPool[index].bool("connected") { pools[index].status = connected ? .alive : .dead }
            } else if pools[index].active, perPool.isEmpty {
                pools[index].accepted = info.int("sharesAccepted")
                pools[index].rejected = info.int("sharesRejected")
            }
        }
        return pools
    }

    /// `btc.example.pool` + 3333 -> `stratum+tcp://btc.example.pool:3333`.
    static func url(host: String, port: Int?, tls: Bool) -> String {
        var scheme = tls ? "stratum+ssl://" : "stratum+tcp://"
        var rest = Substring(host)
        if let separator = host.firstRange(of: "://") {
            scheme = String(host[..<separator.upperBound])
            rest = host[separator.upperBound...]
        }
        guard let port, !rest.contains(":") else { return scheme + rest }
        return "\(scheme)\(rest):\(port)"
    }

    static func response(_ replies: Replies, _ request: Request) -> HTTPResponse? {
        switch replies.reply(request) {
        case .http(let response)?: return response
        case .bytes(let bytes)?: return HTTPResponse(status: 200, body: bytes)
        case nil: return nil
        }
    }

    static func object(_ replies: Replies, _ request: Request) -> JSONObject? {
        guard let response = response(replies, request), response.status == 200 else { return nil }
        return (try? JSONParser.parse(response.body))?.objectValue
    }
}

/// NMMiner firmware on ESP32 boards (protocols.md section 4.2): `GET /probe` (`model`,
/// `ver`, `hr` in H/s) and `GET /api/system/info` with nested `identity`, `miner`
/// (`hashRate` GH/s, `sAccepted`, `sRejected`, suffixed difficulty strings), `stratum`,
/// `temps`. Not the AxeOS schema despite the same path. The fixtures are documentation
/// examples, not captures.
public struct NMMinerAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .nmminer }

    /// `GET /probe`: NMMiner's discovery endpoint (`model`, `ver`, `hr` in H/s).
    public static let probe = Request.http("/probe")

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// The shared probe already answers `/api/system/info`: no further request.
    public func readPlan(for identification: Identification) -> [Request] { [Probes.httpSystemInfo] }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let info = AxeOSAdapter.object(replies, Probes.httpSystemInfo)
        let probe = AxeOSAdapter.object(replies, Self.probe)
        guard info != nil || probe != nil else {
            if case .failure(let error)? = replies[Probes.httpSystemInfo] { throw ReadError.transport(error) }
            throw ReadError.protocolViolation("no readable NMMiner /api/system/info or /probe")
        }
        let identity = info?.object("identity")
        let miner = info?.object("miner")
        var status = MinerStatus(identity: MinerIdentity(
            family: .nmminer,
            model: identification.model ?? identity?.text("hwModel") ?? probe?.text("model"),
            firmware: identification.firmware ?? (identity?.text("fwVersion") ?? probe?.text("ver")).map { "NMMiner \($0)" },
            hostname: identity?.text("hostName") ?? probe?.text("hostname"),
            support: identification.support))
        status.hashrate = miner?.double("hashRate").map { $0 * Units.giga } ?? probe?.double("hr")
        status.uptime = miner?.double("uptimeSeconds") ?? probe?.double("ut")
        status.bestDifficulty = Units.suffixed(miner?["bestDiffSession"]).flatMap(Readings.positive)
            ?? Readings.positive(probe?.double("sbd"))
        status.tempChipMax = Readings.temperature(info?["temps"]?["asic"]?.doubleValue)
        status.tempBoardMax = Readings.temperature(info?["temps"]?["vcore"]?.doubleValue)
        if let stratum = info?.object("stratum"), let url = stratum.text("url") {
            let full = url.contains("://") ? url : "stratum+tcp://\(url)"
            status.pools = [PoolStatus(
                url: full, user: stratum.text("user"), active: true,
                accepted: miner?.int("sAccepted"), rejected: miner?.int("sRejected"))]
        }
        status.state = Readings.state(hashrate: status.hashrate)
        return status
    }

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        let probe = evidence.http["/probe"].flatMap { $0.status == 200 ? (try? JSONParser.parse($0.body))?.objectValue : nil }
        let identity = evidence.systemInfo?.object("identity")
        let model = identity?.text("hwModel") ?? probe?.text("model")
        let isNMMiner = model?.containsIgnoringCase("nmminer") == true
            || (identity != nil && evidence.systemInfo?.object("miner") != nil)
        guard isNMMiner else { return nil }
        let version = identity?.text("fwVersion") ?? probe?.text("ver")
        return Identification(
            family: .nmminer, model: model, firmware: version.map { "NMMiner \($0)" },
            support: model?.containsIgnoringCase("nmminer") == true ? .full : .partial)
    }
}
