/// Braiins OS (BOSminer / BOSer) on any hardware, over its CGMiner-compatible API
/// (protocols.md section 3.4). The gRPC, GraphQL and REST web APIs need a login, so the
/// live read stays on port 4028; `BraiinsWeb` parses those web replies when a caller has them.
///
/// - Identify: `BOSminer`/`BOSer` in `Description` or `VERSION`; the 2018 bmminer-based
///   bOS (`Type` `braiins-am1-s9`, `bOS_am1-s9-...`) too. Model from `devdetails`
///   (`Bitmain S19 XP` -> `S19 XP`).
/// - Read: one `summary+pools+devs+temps+fans+tunerstatus` multi-command (`devdetails`
///   comes from the probe); the 2018 bmminer build reads like an Antminer (`summary+pools+stats`).
/// - Parse: `summary` MH/s, `devs` per board, `temps` (`Board`, `Chip`), `fans` (`RPM`,
///   `Speed` %), `tunerstatus` power, `pools`.
public struct BraiinsAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .braiins }

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        if identification.hints["api"] == "bmminer" {
            return CGMinerPlan.requests(["summary", "pools", "stats"], identification: identification)
        }
        return CGMinerPlan.requests(["summary", "pools", "devs", "temps", "fans", "tunerstatus"], identification: identification)
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let data = CGMinerReplies(replies)
        var status = MinerStatus(identity: MinerIdentity(
            family: .braiins, model: identification.model, firmware: identification.firmware, support: identification.support))
        var read = false

        if let summary = data.section("summary", "SUMMARY").first {
            read = true
            if summary["GHS 5s"] != nil {
                // 2018 bmminer build: Antminer units.
                status.hashrate = summary.double("GHS 5s").map { $0 * Units.giga }
                status.hashrateAverage = summary.double("GHS av").map { $0 * Units.giga }
            } else {
                status.hashrate = summary.double(anyOf: ["MHS 1m", "MHS 5s", "MHS av"]).map { $0 * Units.mega }
                status.hashrateAverage = summary.double(anyOf: ["MHS av", "MHS 24h"]).map { $0 * Units.mega }
            }
            status.uptime = summary.double("Elapsed")
            status.bestDifficulty = Readings.positive(summary.double("Best Share"))
        }
        if let stats = data.section("stats", "STATS").first(where: { $0["GHS 5s"] != nil }) {
            read = true
            AntminerAdapter.readClassicStats(stats, scale: Units.giga, into: &status)
        }

        // Boards from `devs` (ID, MH/s) joined with `temps` by ID.
        let devices = data.section("devs", "DEVS")
        let temps = data.section("temps", "TEMPS")
        if !devices.isEmpty || !temps.isEmpty { read = true }
        var boards: [BoardStatus] = []
        for (position, device) in devices.enumerated() {
            let id = device.int("ID") ?? position
            let temp = temps.first { $0.int("ID") == id }
            boards.append(BoardStatus(
                index: id,
                hashrate: device.double(anyOf: ["MHS 1m", "MHS 5s", "MHS av"]).map { $0 * Units.mega },
                hashrateExpected: Readings.positive(device.double("Nominal MHS")).map { $0 * Units.mega },
                tempBoard: Readings.temperature(temp?.double("Board") ?? device.double("Temperature")),
                tempChip: Readings.temperature(temp?.double("Chip")),
                chips: device.int("Chips")))
        }
        for temp in temps where !devices.contains(where: { $0.int("ID") == temp.int("ID") }) {
            boards.append(BoardStatus(
                index: temp.int("ID") ?? boards.count,
                tempBoard: Readings.temperature(temp.double("Board")),
                tempChip: Readings.temperature(temp.double("Chip"))))
        }
        if !boards.isEmpty {
            status.boards = boards
            status.tempBoardMax = Readings.maxTemperature(boards.map(\.tempBoard))
            status.tempChipMax = Readings.maxTemperature(boards.map(\.tempChip))
        }

        let fans = data.section("fans", "FANS")
        if !fans.isEmpty {
            read = true
            status.fans = fans.enumerated().map { position, fan in
                FanStatus(index: fan.int("ID") ?? position, rpm: fan.double("RPM"), percent: fan.double("Speed"))
            }
        }
        if let tuner = data.section("tunerstatus", "TUNERSTATUS").first {
            read = true
            status.power = Readings.positive(tuner.double(anyOf: ["ApproximateMinerPowerConsumption", "ApproximateChainPowerConsumption"]))
        }
        if data.ok("pools") != nil {
            read = true
            status.pools = CGMinerPools.parse(data.section("pools", "POOLS"))
        }
        guard read else { throw data.failure(family: .braiins) }

        if status.identity.model == nil || status.identity.firmware == nil, let fresh = identify(ProbeEvidence(replies, cgminer: data)) {
            status.identity.model = status.identity.model ?? fresh.model
            status.identity.firmware = status.identity.firmware ?? fresh.firmware
            if identification.model == nil { status.identity.support = fresh.support }
        }
        if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        return status
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        let version = evidence.version
        let type = version?.text("Type") ?? evidence.stats.lazy.compactMap { $0.text("Type") }.first
        let legacy = type?.lowercased().hasPrefix("braiins") == true || evidence.mentions("BOS_AM")
        guard legacy || evidence.mentions("BOSMINER", "BOSER") else { return nil }

        var model: (model: String, known: Bool)?
        if let raw = evidence.devdetails.lazy.compactMap({ $0.text("Model") }).first {
            model = AntminerModels.normalize(ModelNames.dropPrefix("Bitmain ", from: raw))
        } else if legacy, let type, let last = type.split(separator: "-").last {
            model = AntminerModels.normalize(String(last))  // `braiins-am1-s9` -> `S9`
        }
        let firmware: String?
        if legacy {
            firmware = (version?.text("BMMiner") ?? version?.text("Miner")).map { "Braiins OS \($0)" }
        } else if let boser = version?.text("BOSer") {
            firmware = "BOSer \(boser)"
        } else if let bosminer = version?.text("BOSminer") {
            firmware = "BOSminer \(bosminer)"
        } else {
            firmware = evidence.cgminer.statuses.lazy.compactMap(\.description).first { $0.uppercased().hasPrefix("BOS") }
        }
        var hints = CGMinerPlan.hints(evidence)
        hints["api"] = legacy ? "bmminer" : "bosminer"
        return Identification(
            family: .braiins, model: model?.model, firmware: firmware,
            support: model?.known == true ? .full : .partial, hints: hints)
    }
}

/// Parsers for the Braiins OS web APIs, which need a login and so are not part of the
/// live read: the legacy GraphQL API (`POST /graphql`, BOS 21.09-25.05) and the public
/// REST API (`/api/v1/...`, BOS 25.07+). Pure functions over the JSON replies.
public enum BraiinsWeb {
    /// The GraphQL replies captured in `Tests/Fixtures/braiins/BOS-*` (each possibly wrapped
    /// in `data`): system (fans, power, hashrate, version, uptime), boards, pools.
    public static func parseGraphQL(system: JSONValue?, boards: JSONValue?, pools: JSONValue?) -> MinerStatus {
        func unwrap(_ value: JSONValue?) -> JSONValue? { value?["data"] ?? value }
        var status = MinerStatus(identity: MinerIdentity(family: .braiins, support: .partial))
        if let system = unwrap(system) {
            status.identity.hostname = system.path("bos", "hostname")?.stringValue
            status.identity.firmware = system.path("bos", "info", "version", "full")?.stringValue.map(firmwareName)
            status.uptime = system.path("bos", "uptime", "durationS")?.doubleValue
            let info = system.path("bosminer", "info")
            status.power = Readings.positive(info?.path("summary", "power", "approxConsumptionW")?.doubleValue)
            status.hashrate = info?.path("workSolver", "realHashrate", "mhs5S")?.doubleValue.map { $0 * Units.mega }
            status.hashrateExpected = info?.path("workSolver", "nominalMhs")?.doubleValue.map { $0 * Units.mega }
            status.fans = (info?["fans"]?.arrayValue ?? []).enumerated().compactMap { position, fan in
                guard let fan = fan.objectValue else { return nil }
                return FanStatus(index: fan.int("name") ?? position, rpm: fan.double("rpm"), percent: fan.double("speed"))
            }
        }
        if let solvers = unwrap(boards)?.path("bosminer", "info", "workSolver", "childSolvers")?.arrayValue {
            var inlets: [Double?] = []
            var outlets: [Double?] = []
            status.boards = solvers.enumerated().compactMap { position, solver in
                guard let solver = solver.objectValue else { return nil }
                var temps: [String: Double] = [:]
                for entry in solver.array("temperatures") ?? [] {
                    // `Board`, `MAX_BOARD`, `Max Board` (25.03), `INLET`...
                    if let name = entry["name"]?.stringValue, let value = entry["degreesC"]?.doubleValue {
                        temps[String(name.uppercased().map { $0 == " " ? "_" : $0 })] = value
                    }
                }
                inlets.append(temps["INLET"])
                outlets.append(temps["OUTLET"])
                return BoardStatus(
                    index: solver.int("name") ?? position,
                    hashrate: solver["realHashrate"]?["mhs5S"]?.doubleValue.map { $0 * Units.mega },
                    hashrateExpected: solver.double("nominalMhs").map { $0 * Units.mega },
                    tempBoard: Readings.temperature(temps["BOARD"] ?? temps["MAX_BOARD"]),
                    tempChip: Readings.temperature(temps["CHIP"] ?? temps["MAX_CHIP"]),
                    chips: solver["hwDetails"]?["chips"]?.intValue,
                    serial: solver["hwDetails"]?["hbSerialNumber"]?.stringValue)
            }
            status.tempBoardMax = Readings.maxTemperature(status.boards.map(\.tempBoard))
            status.tempChipMax = Readings.maxTemperature(status.boards.map(\.tempChip))
            status.tempInlet = inlets.compactMap(Readings.temperature).min()
            status.tempOutlet = Readings.maxTemperature(outlets)
        }
        if let groups = unwrap(pools)?.path("bosminer", "info", "poolGroups")?.arrayValue {
            status.pools = groups.flatMap { $0["pools"]?.arrayValue ?? [] }.compactMap(\.objectValue).map { pool in
                PoolStatus(
                    url: pool.text("url") ?? "", user: pool.text("user"),
                    status: pool.text("status")?.uppercased() == "ALIVE" ? .alive : pool.text("status") == nil ? .unknown : .dead,
                    active: pool.bool("active") ?? false,
                    accepted: pool["shares"]?["acceptedSolutions"]?.intValue,
                    rejected: pool["shares"]?["rejectedSolutions"]?.intValue)
            }
        }
        status.state = Readings.state(hashrate: status.hashrate)
        return status
    }

    /// The REST replies captured in `Tests/Fixtures/braiins/S*_BOS-*`: `/miner/details`,
    /// `/miner/stats`, `/miner/hw/hashboards`, `/cooling/state`, `/pools`, `/miner/errors`.
    /// Units are explicit objects (`{"gigahash_per_second":…}`, `{"degree_c":…}`).
    public static func parseREST(
        details: JSONValue?, stats: JSONValue?, hashboards: JSONValue? = nil, cooling: JSONValue? = nil,
        pools: JSONValue? = nil, errors: JSONValue? = nil
    ) -> MinerStatus {
        var status = MinerStatus(identity: MinerIdentity(family: .braiins, support: .partial))
        if let details {
            if let raw = details.path("miner_identity", "miner_model")?.stringValue {
                let name = AntminerModels.normalize(raw)
                status.identity.model = name.model
                status.identity.support = name.known ? .full : .partial
            }
            status.identity.firmware = details.path("bos_version", "current")?.stringValue.map(firmwareName)
            status.identity.mac = Readings.mac(details["mac_address"]?.stringValue)
            status.identity.hostname = details["hostname"]?.stringValue
            status.identity.serial = details["serial_number"]?.stringValue
            status.uptime = details["bosminer_uptime_s"]?.doubleValue
            status.hashrateExpected = hashrate(details["sticker_hashrate"])
        }
        if let miner = stats?["miner_stats"] {
            status.hashrate = hashrate(miner.path("real_hashrate", "last_1m"))
            status.hashrateAverage = hashrate(miner.path("real_hashrate", "since_restart"))
            status.hashrateExpected = hashrate(miner["nominal_hashrate"]) ?? status.hashrateExpected
            status.bestDifficulty = Readings.positive(miner["best_share"]?.doubleValue)
            status.power = Readings.positive(stats?.path("power_stats", "approximated_consumption", "watt")?.doubleValue)
        }
        if let boards = hashboards?["hashboards"]?.arrayValue {
            var inlets: [Double?] = []
            var outlets: [Double?] = []
            status.boards = boards.enumerated().compactMap { position, board in
                guard let object = board.objectValue else { return nil }
                inlets.append(board.path("lowest_inlet_temp", "degree_c")?.doubleValue)
                outlets.append(board.path("highest_outlet_temp", "degree_c")?.doubleValue)
                return BoardStatus(
                    index: object.int("id") ?? position,
                    hashrate: hashrate(board.path("stats", "real_hashrate", "last_1m")),
                    hashrateExpected: hashrate(board.path("stats", "nominal_hashrate")),
                    tempBoard: Readings.temperature(board.path("board_temp", "degree_c")?.doubleValue),
                    tempChip: Readings.temperature(board.path("highest_chip_temp", "temperature", "degree_c")?.doubleValue),
                    chips: object.int("chips_count"),
                    serial: object.text("serial_number"))
            }
            status.tempBoardMax = Readings.maxTemperature(status.boards.map(\.tempBoard))
            status.tempChipMax = Readings.maxTemperature(status.boards.map(\.tempChip))
            status.tempInlet = inlets.compactMap(Readings.temperature).min()
            status.tempOutlet = Readings.maxTemperature(outlets)
        }
        if let cooling {
            status.fans = (cooling["fans"]?.arrayValue ?? []).enumerated().compactMap { position, fan in
                guard let object = fan.objectValue else { return nil }
                return FanStatus(
                    index: object.int("position") ?? position, rpm: object.double("rpm"),
                    percent: object.double("target_speed_ratio").map { $0 * 100 })
            }
            status.tempChipMax = status.tempChipMax
                ?? Readings.temperature(cooling.path("highest_temperature", "temperature", "degree_c")?.doubleValue)
        }
        if let groups = pools?.arrayValue {
            status.pools = groups.flatMap { $0["pools"]?.arrayValue ?? [] }.compactMap(\.objectValue).map { pool in
                let lastShare = pool["stats"]?["last_share_time"]?["seconds"]?.intValue.map(Int64.init)
                return PoolStatus(
                    url: pool.text("url") ?? "", user: pool.text("user"),
                    status: pool.bool("enabled") == false ? .disabled : pool.bool("alive") == true ? .alive : .dead,
                    active: pool.bool("active") ?? false,
                    accepted: pool["stats"]?["accepted_shares"]?.intValue,
                    rejected: pool["stats"]?["rejected_shares"]?.intValue,
                    stale: pool["stats"]?["stale_shares"]?.intValue,
                    lastShareTime: lastShare)
            }
        }
        if let list = errors?["errors"]?.arrayValue {
            // A log of events: the distinct messages, newest first, at most ten.
            let sorted = list.compactMap(\.objectValue).sorted { ($0.text("timestamp") ?? "") > ($1.text("timestamp") ?? "") }
            var seen: Set<String> = []
            for entry in sorted {
                guard let message = entry.text("message"), seen.insert(message).inserted else { continue }
                status.errors.append(message)
                if status.errors.count == 10 { break }
            }
        }
        status.state = Readings.state(hashrate: status.hashrate)
        return status
    }

    /// A hashrate unit object: `{"gigahash_per_second": 141000.0}` -> H/s.
    static func hashrate(_ value: JSONValue?) -> Double? {
        guard let object = value?.objectValue else { return nil }
        let units: [(String, Double)] = [
            ("terahash_per_second", Units.tera), ("gigahash_per_second", Units.giga),
            ("megahash_per_second", Units.mega), ("kilohash_per_second", Units.kilo), ("hash_per_second", 1),
        ]
        for (key, scale) in units { if let number = object.double(key) { return number * scale } }
        return nil
    }

    /// `2025-08-06-0-3881c51d-25.07-plus` -> `Braiins OS 25.07-plus`.
    static func firmwareName(_ full: String) -> String {
        let parts = full.split(separator: "-")
        guard parts.count >= 6 else { return "Braiins OS \(full)" }
        return "Braiins OS " + parts[5...].joined(separator: "-")
    }
}
