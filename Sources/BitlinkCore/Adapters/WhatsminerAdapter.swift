/// MicroBT Whatsminer (btminer), protocols.md section 3.2.
///
/// - API v1/v2 (firmware before ~2024-11): CGMiner JSON on 4028. Read with one
///   `summary+pools+edevs` multi-command. Flat-envelope reads (`get_version`, `status`,
///   `get_psu`) cannot be combined and cost a connection each, so they are parsed when
///   present but not planned. `version` is never sent to btminer (pyasic maps it to
///   `get_version`); the shared probe's `version` member just fails on its own.
/// - API v3 (firmware 20241101+): length-prefixed JSON on 4433. When 4028 is silent and
///   port 80 redirects to the https LuCI UI, or 4028's `Description` names API 3
///   (`whatsminer v3.0.2`), the follow-up probes are `get.device.info`,
///   `get.miner.status summary` and `get.miner.status pools`, sent on one connection (the
///   IO engine sends several length-prefixed requests per connection); the read plan is the
///   same three, so nothing more is sent. Hash rates are TH/s there.
/// - Model normalisation: `M30S+_VE40` -> `M30S+ VE40` (the `_` becomes a space; pyasic
///   also rewrites the last digit, which bitlink keeps as the device says).
public struct WhatsminerAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .whatsminer }

    /// API v3 `get.device.info` (model, serials, network, firmware). The three v3 requests
    /// are answered on one 4433 connection.
    public static let v3DeviceInfo = Request.whatsminerV3("get.device.info")
    /// API v3 `get.miner.status summary` (hash rates in TH/s).
    public static let v3Summary = Request.whatsminerV3("get.miner.status", parameter: "summary")
    /// API v3 `get.miner.status pools`.
    public static let v3Pools = Request.whatsminerV3("get.miner.status", parameter: "pools")

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// Extra probes this family needs before it can be identified (see the type documentation).
    public func followUpProbes(_ probes: Replies) -> [Request] { followUpProbes(ProbeEvidence(probes)) }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        if identification.hints["api"] == "v3" { return [Self.v3DeviceInfo, Self.v3Summary, Self.v3Pools] }
        return CGMinerPlan.requests(["summary", "pools", "edevs"], identification: identification)
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        var status = MinerStatus(identity: MinerIdentity(
            family: .whatsminer, model: identification.model, firmware: identification.firmware, support: identification.support))
        let readV3 = try parseV3(replies, into: &status)
        let readV2 = try parseV2(replies, into: &status)
        guard readV3 || readV2 else {
            throw CGMinerReplies(replies).failure(family: .whatsminer)
        }
        if status.identity.model == nil, let fresh = identify(ProbeEvidence(replies)) {
            status.identity.model = fresh.model
            status.identity.support = fresh.support
            status.identity.firmware = status.identity.firmware ?? fresh.firmware
        }
        return status
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        let v3 = evidence.v3DeviceInfo
        let device = evidence.devdetails.first { $0.text("Driver")?.lowercased() == "bitmicro" }
        let summary = evidence.cgminer.section("summary", "SUMMARY").first
        let luci = evidence.http["/cgi-bin/luci/admin/status/overview"].map { WhatsminerLuCI.overview($0.body) } ?? [:]
        let marked = v3 != nil || device != nil || evidence.mentions("BTMINER", "BITMICRO", "WHATSMINER")
            || summary.map(Self.looksLikeBtminer) == true || luci["Model"]?.containsIgnoringCase("whatsminer") == true
            || (evidence.cgminerSilent && evidence.httpRedirectsToLuCI)
        guard marked else { return nil }

        let rawModel = v3?.object("miner")?.text("type") ?? device?.text("Model") ?? luci["Model"]
        let model = rawModel.map(Self.normalize)
        let version = evidence.cgminer.ok("get_version")?.message
        let firmware = v3?.object("system")?.text("fwversion") ?? version?.text("fw_ver")
            ?? summary?.text("Firmware Version").map(Self.unquote)
            ?? evidence.cgminer.ok("status")?.message?.text("Firmware Version").map(Self.unquote)
            ?? luci["Firmware Version"]
        var hints = CGMinerPlan.hints(evidence)
        let v3Firmware = firmware.flatMap { Int($0.prefix(8)) }.map { $0 >= 20_241_101 } ?? false
        hints["api"] = v3 != nil || v3Firmware || (evidence.cgminerSilent && evidence.httpRedirectsToLuCI) || Self.speaksAPIv3(evidence)
            ? "v3" : "v2"
        if hints["api"] == "v3" { hints["read"] = nil; hints["multi"] = nil }
        return Identification(
            family: .whatsminer, model: model, firmware: firmware,
            support: model.map(Self.isKnown) == true ? .full : .partial, hints: hints)
    }

    func followUpProbes(_ evidence: ProbeEvidence) -> [Request] {
        if evidence.v3DeviceInfo == nil, (evidence.cgminerSilent && evidence.httpRedirectsToLuCI) || Self.speaksAPIv3(evidence) {
            return [Self.v3DeviceInfo, Self.v3Summary, Self.v3Pools].filter { evidence.replies[$0] == nil }
        }
        // btminer refused the probe's multi-command: `devdetails` alone names the model.
        let devdetails = Request.cgminer("devdetails")
        if evidence.multiFailed, evidence.devdetails.isEmpty, evidence.replies[devdetails] == nil, identify(evidence) != nil {
            return [devdetails]
        }
        return []
    }

    /// True when btminer on 4028 names API 3 in its `Description` (`whatsminer v3.0.2`; the
    /// Description is the API version, `api_ver`, as in `whatsminer v1.4.0`): the firmware is
    /// read over API v3 on 4433, whatever 4028 still answers.
    static func speaksAPIv3(_ evidence: ProbeEvidence) -> Bool {
        evidence.cgminer.statuses.contains { status in
            guard let description = status.description?.lowercased().trimmingASCIISpaces(),
                  description.hasPrefix("whatsminer v")
            else { return false }
            return Int(description.dropFirst("whatsminer v".count).prefix { $0.isNumber }).map { $0 >= 3 } ?? false
        }
    }

    /// Summary keys only btminer sends (for captures without `devdetails`).
    static func looksLikeBtminer(_ summary: JSONObject) -> Bool {
        ["Factory GHS", "Power Mode", "Power Fanspeed", "Chip Data", "Security Mode", "Btminer Fast Boot"].contains { summary[$0] != nil }
    }

    /// `M30S+_VE40` -> `M30S+ VE40`; `WhatsMiner M30S_V50` -> `M30S V50`.
    static func normalize(_ raw: String) -> String {
        let text = ModelNames.dropPrefix("WhatsMiner ", from: raw.trimmingASCIISpaces())
        return text.split(separator: "_", omittingEmptySubsequences: true).joined(separator: " ")
    }

    static let knownBases: Set<String> = [
        "M20", "M20S", "M20S+", "M21", "M21S", "M21S+", "M29", "M30", "M30S", "M30S+", "M30S++", "M31", "M31S", "M31S+",
        "M32", "M33", "M33S", "M33S+", "M33S++", "M34S+", "M36S", "M36S+", "M36S++", "M39", "M50", "M50S", "M50S+", "M50S++",
        "M53", "M53S", "M53S+", "M53S++", "M54", "M56", "M56S", "M56S+", "M56S++", "M59", "M60", "M60S", "M60S+", "M60S++",
        "M61", "M61S", "M63", "M63S", "M63S+", "M64", "M65S", "M66", "M66S", "M66S+", "M66S++", "M67S", "M70", "M73", "M76", "M79",
    ]

    static func isKnown(_ model: String) -> Bool {
        knownBases.contains(String(model.split(separator: " ").first ?? ""))
    }

    /// btminer wraps the firmware version in quotes: `'20210322.22.REL'`.
    static func unquote(_ text: String) -> String {
        String(text.drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed())
    }

    // MARK: API v1/v2

    func parseV2(_ replies: Replies, into status: inout MinerStatus) throws -> Bool {
        let data = CGMinerReplies(replies)
        var read = false
        if let summary = data.section("summary", "SUMMARY").first {
            read = true
            status.hashrate = summary.double(anyOf: ["MHS 1m", "MHS 5s", "HS RT"]).map { $0 * Units.mega }
            status.hashrateAverage = summary.double("MHS av").map { $0 * Units.mega }
            status.hashrateExpected = Readings.positive(summary.double("Factory GHS")).map { $0 * Units.giga }
                ?? Readings.positive(summary.double("Target MHS")).map { $0 * Units.mega }
            status.tempChipMax = Readings.temperature(summary.double("Chip Temp Max"))
            status.tempBoardMax = Readings.temperature(summary.double("Temperature"))
            status.tempInlet = Readings.temperature(summary.double("Env Temp"))
            status.power = Readings.positive(summary.double(anyOf: ["Power", "Power_RT"]))
            status.uptime = summary.double("Elapsed")
            status.bestDifficulty = Readings.positive(summary.double("Best Share"))
            status.identity.mac = Readings.mac(summary.text("MAC"))
            // Hydro/immersion units report 0 RPM for both: no fans to show.
            let fans = [summary.double("Fan Speed In"), summary.double("Fan Speed Out")]
            if fans.contains(where: { ($0 ?? 0) > 0 }) {
                status.fans = fans.enumerated().compactMap { index, rpm in rpm.map { FanStatus(index: index, rpm: $0) } }
            }
            for entry in summary where entry.key.hasPrefix("Error Code ") && entry.key != "Error Code Count" {
                if let code = entry.value.text, code != "0" { status.errors.append("error code \(code)") }
            }
            if summary["Power Mode"] != nil, status.hashrate == 0 { status.state = .sleeping }
        }
        let devices = data.ok(anyOf: ["edevs", "devs"])?.section("DEVS") ?? []
        if !devices.isEmpty {
            read = true
            status.boards = devices.enumerated().map { position, device in
                BoardStatus(
                    index: device.int("ASC") ?? device.int("Slot") ?? position,
                    hashrate: device.double(anyOf: ["MHS 1m", "MHS 5s", "MHS av"]).map { $0 * Units.mega },
                    tempBoard: Readings.temperature(device.double("Temperature")),
                    tempChip: Readings.temperature(device.double("Chip Temp Max")),
                    chips: device.int("Effective Chips"),
                    serial: device.text("PCB SN"))
            }
            status.tempChipMax = Readings.maxTemperature([status.tempChipMax] + status.boards.map(\.tempChip))
            status.tempBoardMax = Readings.maxTemperature([status.tempBoardMax] + status.boards.map(\.tempBoard))
            if status.fans.isEmpty, let first = devices.first {
                let fans = [first.double("Fan Speed In"), first.double("Fan Speed Out")]
                if fans.contains(where: { ($0 ?? 0) > 0 }) {
                    status.fans = fans.enumerated().compactMap { index, rpm in rpm.map { FanStatus(index: index, rpm: $0) } }
                }
            }
        }
        if data.ok("pools") != nil {
            read = true
            status.pools = CGMinerPools.parse(data.section("pools", "POOLS"))
        }
        if let version = data.ok("get_version")?.message {
            read = true
            status.identity.firmware = status.identity.firmware ?? version.text("fw_ver")
        }
        if data.ok("get_psu")?.message != nil {
            // PSU name/model/fan/firmware: decoded, but `MinerStatus` has no PSU fields.
            read = true
        }
        if let codes = data.ok("get_error_code")?.message?["error_code"] {
            read = true
            status.errors += Self.errorCodes(codes)
        }
        // `status`: `btmineroff` "true" means btminer is stopped. Captures show it next to
        // a hashing summary (the M3x capture, same second), so a hashrate wins.
        if let state = data.ok("status")?.message {
            read = true
            status.identity.firmware = status.identity.firmware ?? state.text("Firmware Version").map(Self.unquote)
            if state.text("btmineroff") == "true" || state.text("mineroff") == "true" {
                if (status.hashrate ?? 0) == 0 { status.state = .sleeping }
            }
        }
        if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        return read
    }

    /// `error_code` as a list of codes, a list of `{code: time}` objects, or the API 2.0.4
    /// list shaped like a dict (`["329","2022-01-17 11:28:11"]`, pyasic repair 10).
    static func errorCodes(_ value: JSONValue) -> [String] {
        switch value {
        case .array(let items):
            if items.count == 2, let time = items[1].stringValue, time.contains("-"), time.contains(":"), let code = items[0].text {
                return ["error code \(code)"]
            }
            return items.flatMap { item -> [String] in
                if case .object(let object) = item { return object.keys.filter { Int($0) != nil }.map { "error code \($0)" } }
                return item.text.map { ["error code \($0)"] } ?? []
            }
        case .object(let object):
            return object.keys.map { "error code \($0)" }
        default:
            return value.text.map { ["error code \($0)"] } ?? []
        }
    }

    // MARK: API v3

    func parseV3(_ replies: Replies, into status: inout MinerStatus) throws -> Bool {
        func message(_ request: Request) -> JSONValue? {
            guard let reply = replies.reply(request), let value = try? JSONParser.parse(reply.bytes),
                  (value["code"]?.intValue ?? 0) == 0
            else { return nil }
            return value["msg"]
        }
        var read = false
        if let info = message(Self.v3DeviceInfo)?.objectValue {
            read = true
            let miner = info.object("miner")
            status.identity.model = status.identity.model ?? miner?.text("type").map(Self.normalize)
            status.identity.firmware = status.identity.firmware ?? info.object("system")?.text("fwversion")
            status.identity.serial = miner?.text("miner-sn")
            status.identity.mac = Readings.mac(info.object("network")?.text("mac"))
            status.identity.hostname = info.object("network")?.text("hostname")
            if let working = miner?.text("working") { status.state = working == "true" ? .mining : .sleeping }
            if let codes = info["error-code"] { status.errors = Self.errorCodes(codes) }
            if status.boards.isEmpty, let count = miner?.int("board-num") {
                status.boards = (0..<count).map { BoardStatus(index: $0, serial: miner?.text("pcbsn\($0)")) }
            }
        }
        if let summary = message(Self.v3Summary)?["summary"]?.objectValue {
            read = true
            status.hashrate = summary.double("hash-realtime").map { $0 * Units.tera }
            status.hashrateAverage = summary.double("hash-average").map { $0 * Units.tera }
            status.hashrateExpected = Readings.positive(summary.double("factory-hash")).map { $0 * Units.tera }
            status.power = Readings.positive(summary.double("power-realtime"))
            status.uptime = summary.double("elapsed")
            status.tempInlet = Readings.temperature(summary.double("environment-temperature"))
            status.tempChipMax = Readings.temperature(summary.double("chip-temp-max"))
            status.tempBoardMax = Readings.temperature(summary.double("board-temperature"))
            let fans = [summary.double("fan-speed-in"), summary.double("fan-speed-out")]
            status.fans = fans.enumerated().compactMap { index, rpm in rpm.map { FanStatus(index: index, rpm: $0) } }
            if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        }
        if let pools = message(Self.v3Pools)?["pools"]?.arrayValue {
            read = true
            status.pools = pools.compactMap(\.objectValue).compactMap { pool in
                guard let url = pool.text("url") else { return nil }
                let alive = pool.text("status")?.lowercased()
                return PoolStatus(
                    url: url, user: pool.text("account"),
                    status: alive == "alive" ? .alive : alive == "dead" ? .dead : .unknown,
                    active: pool.bool("stratum-active") ?? false,
                    priority: pool.int("id"),
                    accepted: pool.int("accepted"), rejected: pool.int("rejected"))
            }
        }
        return read
    }
}

/// The LuCI "Overview" page of old Whatsminer firmware (`/cgi-bin/luci/admin/status/overview`):
/// a table of `<td>Label</td><td>Value</td>` rows (Model, Hostname, Firmware Version...).
enum WhatsminerLuCI {
    static func overview(_ html: [UInt8]) -> [String: String] {
        let text = String(decoding: html, as: UTF8.self)
        var result: [String: String] = [:]
        for label in ["Model", "Hostname", "Firmware Version", "CGMiner Version", "Miner Version"] {
            guard let labelRange = text.firstRange(of: ">\(label)</td>") else { continue }
            let rest = text[labelRange.upperBound...]
            guard let cell = rest.firstRange(of: "<td"), let open = rest[cell.upperBound...].firstIndex(of: ">") else { continue }
            let value = rest[rest.index(after: open)...].prefix { $0 != "<" }
            let trimmed = String(value).trimmingASCIISpaces()
            if !trimmed.isEmpty { result[label] = trimmed }
        }
        return result
    }
}
