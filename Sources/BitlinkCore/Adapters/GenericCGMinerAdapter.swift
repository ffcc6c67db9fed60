/// Anything else that answers the CGMiner API: Auradine (GCMiner/FluxOS), Innosilicon
/// (innominer, old sgminer), Sealminer (bdminer), LuxOS (LUXminer), Cheetah, plain cgminer.
/// Read with the shared CGMiner format only, so always `support == .partial`.
///
/// - Identify: any readable CGMiner reply, even an error status. The software is named from
///   `Description` / `VERSION` (`innominer a9-1.1.0`, `bdminer 4.11.1`, `GCMiner 0.5-devsbXXX`,
///   `FluxOS 2023-12.27`, `LUXminer ...`, `sgminer 4.4.2`); the model where the firmware says
///   it (`stats` `Model`, `ipreport` `model`, `devdetails` `Model`, `VERSION` `Type`).
/// - Follow-up: plain `version` when the probe's multi-command was refused as a whole; the
///   status read `summary+pools+devs+stats` when the probes named no model (it also lets a
///   more specific adapter recognise, e.g., VNish without a `Type` in `version`).
/// - Read: `summary+pools+devs+stats` (Auradine: `summary+pools+devs+fan`).
public struct GenericCGMinerAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .cgminer }

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// Extra probes this family needs before it can be identified (see the type documentation).
    public func followUpProbes(_ probes: Replies) -> [Request] { followUpProbes(ProbeEvidence(probes)) }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        if identification.hints["software"] == "auradine" {
            return CGMinerPlan.requests(["summary", "pools", "devs", "fan"], identification: identification)
        }
        return CGMinerPlan.requests(["summary", "pools", "devs", "stats"], identification: identification)
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let data = CGMinerReplies(replies)
        var status = MinerStatus(identity: MinerIdentity(
            family: .cgminer, model: identification.model, firmware: identification.firmware, support: .partial))
        var read = false

        let stats = data.section("stats", "STATS")
        if !stats.isEmpty {
            read = true
            Self.read(stats: stats, into: &status)
        }
        if let summary = data.section("summary", "SUMMARY").first {
            read = true
            if summary["GHS 5s"] != nil || summary["GHS av"] != nil {
                // LuxOS reports GH/s in `summary` (protocols.md section 3.5).
                status.hashrate = summary.double(anyOf: ["GHS 5s", "GHS 1m"]).map { $0 * Units.giga } ?? status.hashrate
                status.hashrateAverage = summary.double("GHS av").map { $0 * Units.giga } ?? status.hashrateAverage
            } else {
                status.hashrate = summary.double(anyOf: ["MHS 1m", "MHS 5s", "MHS 30s"]).map { $0 * Units.mega } ?? status.hashrate
                status.hashrateAverage = summary.double("MHS av").map { $0 * Units.mega } ?? status.hashrateAverage
            }
            status.uptime = summary.double("Elapsed") ?? status.uptime
            status.bestDifficulty = Readings.positive(summary.double("Best Share"))
        }
        let devices = data.section("devs", "DEVS")
        if !devices.isEmpty {
            read = true
            if status.boards.isEmpty {
                status.boards = devices.enumerated().map { position, device in
                    BoardStatus(
                        index: device.int("ASC") ?? device.int("DEV") ?? device.int("ID") ?? position,
                        hashrate: device.double(anyOf: ["MHS 1m", "MHS 5s", "MHS av"]).map { $0 * Units.mega },
                        tempBoard: Readings.temperature(device.double("Temperature")))
                }
            }
            status.tempBoardMax = Readings.maxTemperature([status.tempBoardMax] + devices.map { $0.double("Temperature") })
        }
        // Auradine vendor reads, when present.
        let fans = data.section("fan", "Fan")
        if !fans.isEmpty {
            read = true
            status.fans = fans.enumerated().map { position, fan in FanStatus(index: fan.int("ID") ?? position, rpm: fan.double("Speed")) }
        }
        let boardTemps = data.section("temperature", "Temperature").filter { $0.text("Name")?.hasPrefix("Hash Board") ?? true }
        if !boardTemps.isEmpty {
            // Auradine `temperature`: per board `BoardTemp[]` and `ChipTemp[]` lists.
            let readings: (JSONObject, String) -> [Double?] = { item, key in
                (item.array(key) ?? []).map { $0["Temperature"]?.doubleValue }
            }
            status.tempBoardMax = Readings.maxTemperature(boardTemps.flatMap { readings($0, "BoardTemp") })
            status.tempChipMax = Readings.maxTemperature(boardTemps.flatMap { readings($0, "ChipTemp") })
        }
        if let report = data.section("ipreport", "IPReport").first {
            status.identity.mac = Readings.mac(report.text("mac"))
            status.identity.hostname = report.text("hostname")
            status.identity.serial = report.text("SerialNo")
            status.identity.model = status.identity.model ?? report.text("model")
        }
        if status.identity.mac == nil {
            // Some builds (bdminer on SealMiner) put the MAC in a `stats` item: scans then
            // recognise a moved miner by it.
            let items = data.section("stats", "STATS") + data.section("version", "VERSION")
            status.identity.mac = items.lazy.compactMap { Readings.mac($0.text("MAC")) }.first
        }
        if let mode = data.section("mode", "Mode").first, mode.text("Sleep")?.lowercased() == "on" {
            status.state = .sleeping
        }
        if data.ok("pools") != nil {
            read = true
            status.pools = CGMinerPools.parse(data.section("pools", "POOLS"))
        }
        guard read else { throw data.failure(family: .cgminer) }
        if status.hashrate == nil, status.boards.contains(where: { $0.hashrate != nil }) {
            // No summary (old sgminer captures): the boards add up.
            status.hashrate = status.boards.compactMap(\.hashrate).reduce(0, +)
        }
        if status.identity.model == nil || status.identity.firmware == nil, let fresh = identify(ProbeEvidence(replies, cgminer: data)) {
            status.identity.model = status.identity.model ?? fresh.model
            status.identity.firmware = status.identity.firmware ?? fresh.firmware
        }
        if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        return status
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        guard evidence.cgminer.hasReplies || evidence.multiFailed else { return nil }
        // The `version` reply names the software best; other replies may come from other builds.
        let description = evidence.cgminer.reply("version")?.status?.description
            ?? evidence.cgminer.statuses.lazy.compactMap(\.description).first
        let software = Self.softwareName(description: description, version: evidence.version)
        var hints = CGMinerPlan.hints(evidence)
        let upper = (software ?? "").uppercased()
        if upper.hasPrefix("GCMINER") || upper.hasPrefix("FLUXOS") { hints["software"] = "auradine" }
        return Identification(
            family: .cgminer, model: Self.model(evidence, software: software), firmware: software,
            support: .partial, hints: hints)
    }

    func followUpProbes(_ evidence: ProbeEvidence) -> [Request] {
        let fallback = CGMinerPlan.versionFallback(evidence)
        if !fallback.isEmpty { return fallback }
        guard evidence.cgminer.hasSuccess, evidence.statusRead == nil,
              let identification = identify(evidence), identification.model == nil
        else { return [] }
        return [.cgminer(CGMinerPlan.identifyingRead)]
    }

    /// `GCMiner-2023-05.24-0ce5e7cc...` -> `GCMiner 2023-05.24` (the commit hash dropped);
    /// `innominer a9-1.1.0`, `bdminer 4.11.1`, `sgminer 4.4.2` as they are.
    static func softwareName(description: String?, version: JSONObject?) -> String? {
        if let description = description?.trimmingASCIISpaces(), !description.isEmpty {
            if description.contains(" ") { return description }
            var parts = description.split(separator: "-").map(String.init)
            if let last = parts.last, last.count >= 12, last.allSatisfy(\.isHexDigit) { parts.removeLast() }
            guard parts.count > 1 else { return description }
            return parts[0] + " " + parts.dropFirst().joined(separator: "-")
        }
        // No Description: the first software key of VERSION (`{"LUXminer":"..."}`).
        let ignored: Set<String> = ["API", "Type", "Miner", "CompileTime", "STM8", "PROD", "MODEL"]
        if let entry = version?.entries.first(where: { !ignored.contains($0.key) }), let value = entry.value.text {
            return "\(entry.key) \(value)"
        }
        return nil
    }

    /// The model where the firmware says it.
    static func model(_ evidence: ProbeEvidence, software: String?) -> String? {
        let upper = (software ?? "").uppercased()
        if let model = evidence.stats.lazy.compactMap({ $0.text("Model") }).first {
            return upper.hasPrefix("BDMINER") ? "Sealminer \(model)" : model
        }
        if let report = evidence.cgminer.section("ipreport", "IPReport").first?.text("model") { return report }
        if let device = evidence.devdetails.lazy.compactMap({ $0.text("Model") }).first(where: { !$0.allSatisfy(\.isNumber) }) {
            return device
        }
        if let type = evidence.version?.text("Type") {
            return String(type.prefix { $0 != "(" && $0 != "\n" }).trimmingASCIISpaces()
        }
        // `innominer a9-1.1.0`: the build names the model.
        if upper.hasPrefix("INNOMINER "), let build = software?.split(separator: " ").dropFirst().first,
           let model = build.split(separator: "-").first
        {
            return "Innosilicon \(model.uppercased())"
        }
        return nil
    }

    /// Vendor `stats` layouts: Antminer-style (LuxOS), Sealminer (`Temp`, `N Speed`,
    /// `N MHS(Sample)`, `PSU Input Power`), Innosilicon/sgminer per-chain items
    /// (`MHS av`, `Temp max`, `Num active chips`, `Fan duty`).
    static func read(stats items: [JSONObject], into status: inout MinerStatus) {
        if let antminer = items.first(where: { $0["GHS 5s"] != nil || $0["chain_rate1"] != nil }) {
            AntminerAdapter.readClassicStats(antminer, scale: Units.giga, into: &status)
            return
        }
        var boards: [BoardStatus] = []
        var chipTemps: [Double?] = []
        var boardTemps: [Double?] = []
        for item in items where item.text("ID")?.hasPrefix("POOL") != true {
            if let count = item.int("Board Count") {
                // Sealminer: boards and fans are numbered keys of one item.
                for board in 0..<count {
                    let temps = (0..<8).map { item.double("\(board) Temp \($0)") }
                    boardTemps += temps
                    boards.append(BoardStatus(
                        index: board,
                        hashrate: item.double("\(board) MHS(Sample)").map { $0 * Units.mega },
                        hashrateExpected: item.double("\(board) MHS(Ideal)").map { $0 * Units.mega },
                        tempBoard: Readings.maxTemperature(temps),
                        chips: item.int("\(board) Chip Count"),
                        serial: item.text("\(board) SN")))
                }
                let fanCount = item.int("Fan Count") ?? 0
                status.fans = (0..<fanCount).map { FanStatus(index: $0, rpm: item.double("\($0) Speed")) }
                status.power = Readings.positive(item.double("PSU Input Power"))
                status.hashrate = item.double(anyOf: ["MHS(1m)", "MHS(30s)"]).map { $0 * Units.mega }
                status.hashrateAverage = item.double("MHS(Avg)").map { $0 * Units.mega }
                status.hashrateExpected = Readings.positive(item.double(anyOf: ["MHS(Ideal)", "MHS(Rated)"])).map { $0 * Units.mega }
                status.uptime = item.double("Elapsed")
                chipTemps.append(item.double("Temp"))
                if let mode = item.text("PM State")?.lowercased(), mode.contains("sleep") || mode.contains("stop") { status.state = .sleeping }
            } else if item["MHS av"] != nil || item["Temp max"] != nil || item["Num active chips"] != nil {
                // Innosilicon / sgminer: one item per chain.
                let temp = Readings.maxTemperature([item.double("Temp max"), item.double("Temp")])
                chipTemps.append(temp)
                boards.append(BoardStatus(
                    index: item.int("Chain ID") ?? boards.count,
                    hashrate: item.double("MHS av").map { $0 * Units.mega },
                    tempChip: temp,
                    chips: item.int("Num active chips"),
                    chipsExpected: item.int("Num chips")))
                if let duty = item.double("Fan duty"), status.fans.isEmpty { status.fans = [FanStatus(index: 0, percent: duty)] }
                status.uptime = status.uptime ?? item.double("Elapsed")
            }
        }
        if !boards.isEmpty { status.boards = boards }
        status.tempChipMax = Readings.maxTemperature(chipTemps)
        status.tempBoardMax = Readings.maxTemperature(boardTemps)
    }
}

/// The Innosilicon web API (`POST /api/overview` with a JWT from `/api/auth`; protocols.md
/// section 3.9). Not part of the live read; parsed when a caller has the reply.
public enum InnosiliconWeb {
    /// `type` (`T2`), `version.platform_v`, `version.ethaddr` of `/api/overview`.
    public static func overview(_ value: JSONValue) -> MinerIdentity? {
        guard let type = value["type"]?.stringValue else { return nil }
        return MinerIdentity(
            family: .cgminer, model: "Innosilicon \(type)",
            firmware: value.path("version", "platform_v")?.stringValue,
            mac: Readings.mac(value.path("version", "ethaddr")?.stringValue),
            support: .partial)
    }
}
