/// Bitmain Antminer: stock cgminer/bmminer, and custom firmware that keeps the Antminer
/// API on Antminer hardware (Hiveon, VNish, MSKminer, asicseer, Blissz...), which is read
/// the same way with the firmware named (protocols.md sections 2 and 3.1).
///
/// - Identify: `VERSION[0].Type` (or `STATS[0].Type`, or the new-API `INFO.type`), the
///   `BMMiner` software key, the `rwglr` mark of MSKminer/Hiveon builds; an HTTP 401 with
///   realm `antMiner…` when the API port is closed.
/// - Read: one `summary+pools+stats` multi-command.
/// - Parse: old `stats` (`STATS[1]`: `GHS 5s`, `chain_rateN` strings, `temp2_N`,
///   `temp_chipN` dash lists, sparse `fanN`, `rate_unit`), the new-API stats format
///   (`rate_5s`, `chain[]`, `fan[]`), `pools`, `summary`.
public struct AntminerAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .antminer }

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? {
        identify(ProbeEvidence(probes))
    }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        CGMinerPlan.requests(["summary", "pools", "stats"], identification: identification)
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let data = CGMinerReplies(replies)
        let evidence = ProbeEvidence(replies, cgminer: data)
        var status = MinerStatus(identity: MinerIdentity(
            family: .antminer, model: identification.model, firmware: identification.firmware, support: identification.support))
        if status.identity.model == nil || status.identity.firmware == nil, let fresh = identify(evidence) {
            status.identity.model = status.identity.model ?? fresh.model
            status.identity.firmware = status.identity.firmware ?? fresh.firmware
            if identification.model == nil { status.identity.support = fresh.support }
        }
        let scale = AntminerModels.hashScale(for: status.identity.model)
        var readSomething = false

        // `stats`: the socket reply, or the new-API `/cgi-bin/stats.cgi` when present.
        var statsItems = data.section("stats", "STATS")
        if statsItems.isEmpty, let web = evidence.http["/cgi-bin/stats.cgi"], web.status == 200,
           let reply = try? CGMinerReply.decode(web.body)
        {
            statsItems = reply.section("STATS")
        }
        if let newAPI = statsItems.first(where: { $0["rate_5s"] != nil || $0["chain"]?.arrayValue != nil }) {
            Self.readNewAPIStats(newAPI, into: &status)
            readSomething = true
        } else if let classic = statsItems.first(where: { $0["GHS 5s"] != nil || $0["GHS av"] != nil }) {
            Self.readClassicStats(classic, scale: scale, into: &status)
            readSomething = true
        }

        if let summary = data.section("summary", "SUMMARY").first {
            readSomething = true
            let unit = Units.rateUnit(summary.text("rate_unit")) ?? scale
            status.hashrate = status.hashrate ?? summary.double("GHS 5s").map { $0 * unit }
            status.hashrateAverage = status.hashrateAverage ?? summary.double("GHS av").map { $0 * unit }
            status.uptime = status.uptime ?? summary.double("Elapsed")
            status.bestDifficulty = Readings.positive(summary.double("Best Share"))
        }

        let pools = data.section("pools", "POOLS")
        if data.ok("pools") != nil {
            readSomething = true
            status.pools = CGMinerPools.parse(pools)
        }

        // Web CGIs (digest auth root/root): parsed when a caller has them, never planned.
        if let conf = Self.webObject(evidence, "/cgi-bin/get_miner_conf.cgi") {
            readSomething = true
            let web = AntminerWeb.minerConf(conf)
            if status.pools.isEmpty { status.pools = web.pools }
            if web.sleeping == true { status.state = .sleeping }
        }
        if let system = Self.webObject(evidence, "/cgi-bin/get_system_info.cgi") {
            status.identity.mac = Readings.mac(system.text("macaddr"))
            status.identity.hostname = system.text("hostname")
            status.identity.serial = system.text("serinum")
        }

        guard readSomething else { throw data.failure(family: .antminer) }
        if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        return status
    }

    static func webObject(_ evidence: ProbeEvidence, _ path: String) -> JSONObject? {
        guard let response = evidence.http[path], response.status == 200 else { return nil }
        return (try? JSONParser.parse(response.body))?.objectValue
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        // Other firmware that reports an Antminer `Type` is read by its own adapter.
        if evidence.mentions("LUXMINER", "BOSMINER", "BOSER", "BOS_", "BRAIINS", "BTMINER", "BITMICRO") { return nil }
        let head = evidence.stats.first(where: { $0["Type"] != nil })
        let system = Self.webObject(evidence, "/cgi-bin/get_system_info.cgi")
        let type = evidence.version?.text("Type") ?? head?.text("Type") ?? evidence.newAPIInfo?.text("type")
            ?? system?.text("minertype")
        let software = evidence.version?.text("BMMiner") ?? head?.text("BMMiner")
            ?? evidence.version?.text("CGMiner") ?? head?.text("CGMiner") ?? head?.text("Cgminer")
        let rwglr = software?.lowercased().contains("rwglr") ?? false

        var isAntminer = false
        if let type {
            isAntminer = type.lowercased().contains("antminer") || rwglr || AntminerModels.normalize(type).known
        } else if evidence.version?["BMMiner"] != nil {
            isAntminer = true  // Bitmain's bmminer without a Type
        }
        if !isAntminer, evidence.cgminer.hasReplies == false, let realm = evidence.httpAuthRealm,
           realm.lowercased().hasPrefix("antminer")
        {
            // API port closed, web UI answers with Bitmain's digest realm.
            return Identification(family: .antminer, support: .partial, hints: ["api": "web-only"])
        }
        guard isAntminer else { return nil }

        let name = type.map(AntminerModels.normalize)
        let compileTime = evidence.version?.text("CompileTime") ?? head?.text("CompileTime") ?? evidence.newAPIInfo?.text("CompileTime")
            ?? system?.text("system_filesystem_version")
        let firmware = AntminerFirmware.name(
            fingerprint: evidence.fingerprint, type: type, software: software, compileTime: compileTime,
            buildVersion: evidence.stats.lazy.compactMap { $0.text("build_version") }.first,
            description: evidence.cgminer.statuses.compactMap(\.description).first)
        var hints = CGMinerPlan.hints(evidence)
        if evidence.newAPIInfo != nil { hints["new_api"] = "1" }
        return Identification(
            family: .antminer, model: name?.model, firmware: firmware,
            support: (name?.known ?? false) ? .full : .partial, hints: hints)
    }

    // MARK: Old stats format

    /// Reads `STATS[1]` of bmminer/cgminer `stats`.
    static func readClassicStats(_ stats: JSONObject, scale defaultScale: Double, into status: inout MinerStatus) {
        let scale = Units.rateUnit(stats.text("rate_unit")) ?? defaultScale
        status.hashrate = stats.double("GHS 5s").map { $0 * scale }
        status.hashrateAverage = stats.double("GHS av").map { $0 * scale }
        status.hashrateExpected = Readings.positive(stats.double("total_rateideal")).map { $0 * scale }
        status.uptime = stats.double("Elapsed")

        // Chains are numbered 1...16 (S9 uses 6...8, E3 up to 13).
        var boards: [BoardStatus] = []
        var chipMax: [Double?] = []
        var boardMax: [Double?] = []
        var errors: [String] = []
        var chipStates = (ok: 0, failed: 0)
        for chain in 1...16 {
            let chips = stats.int("chain_acn\(chain)")
            let rate = stats.double("chain_rate\(chain)")
            let ideal = stats.double("chain_rateideal\(chain)")
            let chipTemps = [stats.double("temp2_\(chain)")] + Readings.dashList(stats.text("temp_chip\(chain)")).map(Optional.some)
            let boardTemps = [stats.double("temp\(chain)")] + Readings.dashList(stats.text("temp_pcb\(chain)")).map(Optional.some)
            let chipTemp = Readings.maxTemperature(chipTemps)
            let boardTemp = Readings.maxTemperature(boardTemps)
            chipMax.append(chipTemp)
            boardMax.append(boardTemp)
            let map = stats.text("chain_acs\(chain)") ?? ""
            let failed = map.filter { $0 == "x" }.count
            chipStates.ok += map.filter { $0 == "o" }.count
            chipStates.failed += failed
            guard (chips ?? 0) > 0 || (rate ?? 0) > 0 || chipTemp != nil || boardTemp != nil else { continue }
            if failed > 0, map.contains("o") {
                errors.append("chain \(chain): \(failed) chip\(failed == 1 ? "" : "s") not responding")
            }
            boards.append(BoardStatus(
                index: boards.count,
                hashrate: rate.map { $0 * scale },
                hashrateExpected: Readings.positive(ideal).map { $0 * scale },
                tempBoard: boardTemp,
                tempChip: chipTemp,
                chips: chips))
        }
        status.boards = boards
        status.tempChipMax = Readings.maxTemperature(chipMax)
        status.tempBoardMax = Readings.maxTemperature(boardMax)
        status.errors = errors

        // Fans: `fanN` RPM, sparse on S9 (`fan5`/`fan6`); `fan_num` says how many exist.
        var present: [(index: Int, rpm: Double)] = []
        for index in 1...16 { if let rpm = stats.double("fan\(index)") { present.append((index, rpm)) } }
        var chosen = present.filter { $0.rpm > 0 }
        if let count = stats.int("fan_num"), chosen.count < count {
            // Report stopped fans too, up to the count the firmware declares.
            for fan in present where fan.rpm == 0 && chosen.count < count { chosen.append(fan) }
        }
        let percent = stats.double("fan_pwm")
        status.fans = chosen.sorted { $0.index < $1.index }.enumerated().map { position, fan in
            FanStatus(index: position, rpm: fan.rpm, percent: percent)
        }

        // Power is only reported by custom firmware (MSKminer `total_power`, Hiveon/S9
        // `chain_power` "1089.00 (AB)", VNish `chain_consumptionN`).
        if let total = Readings.positive(stats.double("total_power")) {
            status.power = total
        } else if let text = stats.text("chain_power"), let total = Readings.positive(Double(text.prefix { $0.isNumber || $0 == "." })) {
            status.power = total
        } else {
            let consumption = (1...16).compactMap { stats.double("chain_consumption\($0)") }.reduce(0, +)
            let perChain = (1...16).compactMap { stats.double("chain_power\($0)") }.reduce(0, +)
            status.power = Readings.positive(consumption) ?? Readings.positive(perChain)
        }

        // Sleep: `Mode` 254 on S17+/T17+ asleep (Tests/Fixtures/antminer/*_sleeping_foreman);
        // every chip marked `x` and no hashrate (Foreman's heuristic, S19 asleep); VNish `state`.
        let hashing = (status.hashrate ?? 0) > 0
        if stats.int("Mode") == 254 && !hashing {
            status.state = .sleeping
        } else if chipStates.failed > 0, chipStates.ok == 0, !hashing {
            status.state = .sleeping
        } else if let state = stats.text("state")?.lowercased(), ["sleep", "stop", "pause", "idle"].contains(where: state.contains) {
            status.state = .sleeping
        }
    }

    // MARK: New API stats format

    /// Reads `STATS[0]` of the new JSON API (`stats` with `new_api`, `/cgi-bin/stats.cgi`).
    static func readNewAPIStats(_ stats: JSONObject, into status: inout MinerStatus) {
        let scale = Units.rateUnit(stats.text("rate_unit")) ?? Units.giga
        status.hashrate = stats.double("rate_5s").map { $0 * scale }
        status.hashrateAverage = stats.double(anyOf: ["rate_avg", "rate_30m"]).map { $0 * scale }
        status.hashrateExpected = Readings.positive(stats.double("rate_ideal")).map { $0 * scale }
        status.uptime = stats.double("elapsed")
        var boards: [BoardStatus] = []
        for (position, value) in (stats.array("chain") ?? []).enumerated() {
            guard let chain = value.objectValue else { continue }
            let chip = Readings.maxTemperature((chain.array("temp_chip") ?? []).map(\.doubleValue))
            let pcb = Readings.maxTemperature((chain.array("temp_pcb") ?? []).map(\.doubleValue))
            boards.append(BoardStatus(
                index: chain.int("index") ?? position,
                hashrate: chain.double("rate_real").map { $0 * scale },
                hashrateExpected: Readings.positive(chain.double("rate_ideal")).map { $0 * scale },
                tempBoard: pcb,
                tempChip: chip,
                chips: chain.int("asic_num"),
                serial: chain.text("sn")))
        }
        status.boards = boards
        status.tempChipMax = boards.compactMap(\.tempChip).max()
        status.tempBoardMax = boards.compactMap(\.tempBoard).max()
        status.fans = (stats.array("fan") ?? []).enumerated().compactMap { index, value in
            value.doubleValue.map { FanStatus(index: index, rpm: $0) }
        }
        // `miner-mode` 1 is sleep, like `bitmain-work-mode` in the web config.
        if stats.int("miner-mode") == 1 { status.state = .sleeping }
    }
}

// MARK: - Web CGI

/// The Antminer web CGIs (digest auth, realm `antMiner Configuration`). bitlink does not
/// plan them (no credentials on the live read) but reads them when a caller supplies them.
public enum AntminerWeb {
    /// `get_miner_conf.cgi`: the configured pools and whether `bitmain-work-mode` is sleep
    /// (`"1"` on S17/S19, Foreman). The file may hold `"bitmain-fan-ctrl" : ,` (empty value),
    /// which the lenient parser reads as null.
    public static func minerConf(_ conf: JSONObject) -> (pools: [PoolStatus], sleeping: Bool?) {
        let pools = (conf.array("pools") ?? []).compactMap(\.objectValue).enumerated().compactMap { index, pool -> PoolStatus? in
            guard let url = pool.text("url") else { return nil }
            let full = url.contains("://") ? url : "stratum+tcp://\(url)"
            return PoolStatus(url: full, user: pool.text("user"), priority: index)
        }
        let mode = conf.text("bitmain-work-mode")
        return (pools, mode.map { $0 == "1" })
    }
}

// MARK: - Model names

/// Antminer model normalisation (protocols.md section 2).
enum AntminerModels {
    /// SHA-256 models bitlink knows, as displayed.
    static let known: [String] = [
        "S9", "S9i", "S9j", "S9k", "S9 SE", "S9 Hydro", "T9", "T9+", "S11", "S15", "T15",
        "S17", "S17 Pro", "S17+", "S17e", "T17", "T17+", "T17e",
        "S19", "S19 Pro", "S19j", "S19j Pro", "S19j Pro+", "S19 Pro+", "S19 XP", "S19k Pro", "S19a", "S19a Pro",
        "S19i", "S19+", "S19 Hydro", "S19 Pro Hydro", "S19 XP Hydro", "T19",
        "S21", "S21 Pro", "S21+", "S21 XP", "S21 Hydro", "S21+ Hydro", "S21 XP Hydro", "T21",
    ]

    /// Models of other algorithms that speak the same API. Their `GHS` fields are in the
    /// device's own unit (Foreman configures a multiplier per type): L3/D3/E3 report MH/s,
    /// Z9/Z11 kSol/s. They read as `partial`: bitlink is about Bitcoin miners.
    static let otherAlgorithms: [String: Double] = [
        "L3": Units.mega, "L3+": Units.mega, "L3++": Units.mega, "D3": Units.mega, "E3": Units.mega,
        "Z9": Units.kilo, "Z9 Mini": Units.kilo, "Z11": Units.kilo, "B3": Units.giga,
    ]

    static let knownByKey: [String: String] = Dictionary(
        uniqueKeysWithValues: known.map { (ModelNames.key($0), $0) })
    static let otherByKey: [String: String] = Dictionary(
        uniqueKeysWithValues: otherAlgorithms.keys.map { (ModelNames.key($0), $0) })

    /// `Antminer S19 Pro` -> `S19 Pro`; `Antminer S19 XP (Vnish 1.2.0-rc1)` -> `S19 XP`;
    /// `Antminer S19JPRO Hiveon` -> `S19j Pro`; `S19-88 v.2.6.0.39 ` -> `S19 (88)`;
    /// `Antminer S9\nV1.3.58` -> `S9`; `Antminer S19Pro+` -> `S19 Pro+`.
    static func normalize(_ type: String) -> (model: String, known: Bool) {
        var text = String(type.prefix { $0 != "\n" && $0 != "\r" }).trimmingASCIISpaces()
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]).trimmingASCIISpaces() }
        for prefix in ["Antminer ", "AntMiner ", "Bitmain "] { text = ModelNames.dropPrefix(prefix, from: text) }
        for suffix in [" Hiveon", " Blissz"] {
            if let range = text.firstRangeIgnoringCase(suffix) {
                text = String(text[..<range.lowerBound]).trimmingASCIISpaces()
            }
        }
        // MSKminer: `S19-88 v.2.6.0.39`: model first, `-88` is the 88-chip board variant.
        if let range = text.firstRange(of: " v.") { text = String(text[..<range.lowerBound]) }
        var variant = ""
        if let dash = text.lastIndex(of: "-"), text[text.index(after: dash)...].allSatisfy(\.isNumber),
           text.index(after: dash) < text.endIndex
        {
            variant = " (\(text[text.index(after: dash)...]))"
            text = String(text[..<dash])
        }
        let key = ModelNames.key(text)
        if let known = knownByKey[key] { return (known + variant, true) }
        if let other = otherByKey[key] { return (other + variant, false) }
        return (text + variant, false)
    }

    /// H/s per `GHS` unit for a model (1e9 for Bitcoin models).
    static func hashScale(for model: String?) -> Double {
        guard let model else { return Units.giga }
        let base = model.firstRange(of: " (").map { String(model[..<$0.lowerBound]) } ?? model
        return otherAlgorithms[base] ?? Units.giga
    }
}

/// Names the firmware running on Antminer hardware, custom firmware first (pyasic order:
/// Hiveon before MSKminer, whose `rwglr` mark Hiveon shares).
enum AntminerFirmware {
    static func name(
        fingerprint: String, type: String?, software: String?, compileTime: String?,
        buildVersion: String?, description: String?
    ) -> String {
        let parenthetical = type.flatMap(Self.parenthetical)
        if fingerprint.contains("HIVEON") { return "Hiveon" }
        if fingerprint.contains("VNISH") {
            let version = parenthetical.flatMap { $0.split(separator: " ").last.map(String.init) } ?? buildVersion
            return version.map { "VNish \($0)" } ?? "VNish"
        }
        if fingerprint.contains("RWGLR") {
            // `S19-88 v.2.6.0.39` or `Antminer S9 Pro (v5.1)`.
            if let type, let range = type.firstRange(of: " v.") {
                let version = type[range.upperBound...].prefix { $0 != " " }
                return "MSKminer \(version)"
            }
            if let parenthetical, parenthetical.hasPrefix("v") { return "MSKminer \(parenthetical.dropFirst())" }
            return "MSKminer"
        }
        if let software, let range = software.firstRangeIgnoringCase("asicseer-") {
            let version = software[range.upperBound...].prefix { $0 != "-" }
            return "asicseer \(version)"
        }
        if let type, let range = type.firstRangeIgnoringCase("blissz") {
            return String(type[range.lowerBound...]).trimmingASCIISpaces().replacingFirstLetterCase("Blissz")
        }
        if let compileTime, let date = Self.date(compileTime) {
            // Custom builds append their name to the date: `... 2020 (Chipless v3.0 Auto Paid)`.
            if let inner = Self.parenthetical(compileTime) { return inner }
            return "Bitmain \(date)"
        }
        if let compileTime, compileTime.first?.isLetter == true, compileTime.contains(".") {
            return "Bitmain \(compileTime)"  // web `system_filesystem_version` `FR-1.12(251009-S21)`
        }
        return description ?? "Bitmain"
    }

    /// The text inside the first parentheses.
    static func parenthetical(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return nil }
        let inner = String(text[text.index(after: open)..<close]).trimmingASCIISpaces()
        return inner.isEmpty ? nil : inner
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Tue Dec  6 16:12:30 CST 2022` or `10 Dec 2024 14:34:31 GMT` -> `2022-12-06`.
    static func date(_ text: String) -> String? {
        let words = text.split(separator: " ").map(String.init)
        guard let monthIndex = words.firstIndex(where: { months.contains($0.lowercased().prefix(3).description) && $0.count == 3 }),
              let month = months.firstIndex(of: words[monthIndex].lowercased()),
              let year = words.last(where: { $0.count == 4 && Int($0) != nil }).flatMap({ Int($0) })
        else { return nil }
        let neighbours = [monthIndex + 1, monthIndex - 1].filter { words.indices.contains($0) }
        guard let day = neighbours.lazy.compactMap({ Int(words[$0]) }).first(where: { (1...31).contains($0) }) else { return nil }
        let pad: (Int) -> String = { $0 < 10 ? "0\($0)" : "\($0)" }
        return "\(year)-\(pad(month + 1))-\(pad(day))"
    }
}

extension String {
    /// Replaces the first letters with `word`'s case (`BLISSZ v2.06` -> `Blissz v2.06`).
    func replacingFirstLetterCase(_ word: String) -> String {
        guard lowercased().hasPrefix(word.lowercased()) else { return self }
        return word + dropFirst(word.count)
    }
}
