/// Canaan Avalon: A7xx-A15xx, Nano 3/3S, Mini 3, Avalon Q (protocols.md section 3.3).
///
/// - Identify: `version` `PROD`/`MODEL` (`AvalonMiner 1246-81`, `Avalon Q`), `devdetails`
///   driver `avalon*`, the `MM ID` version (`Ver[1047-20051101_...]`) or the stats `ID`.
/// - Read: one `summary+pools+stats` multi-command (`version` comes from the probe).
/// - Parse: the `MM ID` strings of `stats` (`GHSspd`, `GHSmm`, `GHSavg`, `MGHS`, `TMax`,
///   `MTmax`, `Temp`/`ITemp`/`OTemp`/`HBTemp`, `Fan1..4`, `FanR`, `WALLPOWER`, `SoftOFF`,
///   `SYSTEMSTATU`), the Avalon Q `MM ID0:Summary` form, `summary`/`devs` MH/s as a
///   fallback, `pools`. `devs` `Temperature` of -273 means no reading and is ignored. A cut
///   `stats` reply is salvaged (the Mini 3 capture is truncated).
public struct AvalonAdapter: MinerAdapter {
    /// A stateless adapter; create freely.
    public init() {}

    /// The family this adapter reads.
    public var family: MinerFamily { .avalon }

    /// Recognises the family from the probe replies (see the type documentation).
    public func identify(_ probes: Replies) -> Identification? { identify(ProbeEvidence(probes)) }

    /// The requests that read the full status (see the type documentation).
    public func readPlan(for identification: Identification) -> [Request] {
        CGMinerPlan.requests(["summary", "pools", "stats"], identification: identification)
    }

    /// Reads the replies of the plan (and any probe replies) into a normalized status.
    /// - Throws: `ReadError.notPermitted` when the API refused every read (Code 45),
    ///   `ReadError.protocolViolation` when nothing readable came back.
    public func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus {
        let data = CGMinerReplies(replies, salvage: ["stats", "estats", "litestats"])
        var status = MinerStatus(identity: MinerIdentity(
            family: .avalon, model: identification.model, firmware: identification.firmware, support: identification.support))
        if let version = data.ok("version")?.first("VERSION") {
            status.identity.mac = Readings.mac(version.text("MAC"))
            status.identity.serial = version.text("DNA")
        }
        var read = false

        let statsItems = data.ok(anyOf: ["stats", "estats", "litestats"])?.section("STATS") ?? []
        let modules = Self.modules(statsItems)
        if !modules.isEmpty {
            read = true
            Self.read(modules: modules, into: &status)
        }
        if status.uptime == nil { status.uptime = statsItems.lazy.compactMap { $0.double("Elapsed") }.first }

        let summary = data.section("summary", "SUMMARY").first
        let device = data.section("devs", "DEVS").first
        if summary != nil || device != nil { read = true }
        let counters = summary ?? device
        if let counters {
            // MH/s. On soft-off units `MHS av` stays high while `MHS 5s` is 0 (Avalon Q).
            status.hashrate = status.hashrate ?? counters.double(anyOf: ["MHS 1m", "MHS 30s", "MHS 5s"]).map { $0 * Units.mega }
            status.hashrateAverage = status.hashrateAverage ?? counters.double("MHS av").map { $0 * Units.mega }
            status.uptime = status.uptime ?? counters.double("Elapsed") ?? counters.double("Device Elapsed")
            status.bestDifficulty = Readings.positive(summary?.double("Best Share"))
        }
        if status.tempChipMax == nil, let device {
            status.tempChipMax = Readings.temperature(device.double("Temperature"))  // -273 = no reading
        }
        if data.ok("pools") != nil {
            read = true
            status.pools = CGMinerPools.parse(data.section("pools", "POOLS"))
        }
        guard read else { throw data.failure(family: .avalon) }

        if status.identity.model == nil, let fresh = identify(ProbeEvidence(replies, cgminer: data)) {
            status.identity.model = fresh.model
            status.identity.support = fresh.support
            status.identity.firmware = status.identity.firmware ?? fresh.firmware
        }
        if status.state == .unknown { status.state = Readings.state(hashrate: status.hashrate) }
        return status
    }

    // MARK: Identification

    func identify(_ evidence: ProbeEvidence) -> Identification? {
        let version = evidence.version
        let device = evidence.devdetails.first { $0.text("Driver")?.lowercased().hasPrefix("avalon") == true }
        let modules = Self.modules(evidence.stats)
        let statsID = evidence.stats.lazy.compactMap { $0.text("ID") }.first { $0.hasPrefix("AV") }
        let marked = version?["PROD"] != nil || device != nil || !modules.isEmpty || statsID != nil
            || evidence.mentions("AVALON")
        guard marked else { return nil }
        let moduleVersion = modules.lazy.compactMap { $0["Ver"] }.first
        let name = Self.model(
            model: version?.text("MODEL"), prod: version?.text("PROD"), moduleVersion: moduleVersion, statsID: statsID)
        let firmware = version?.text("VERSION") ?? version?.text("LVERSION")
            ?? moduleVersion.map { String($0.split(separator: "-").last ?? Substring($0)) }
        return Identification(
            family: .avalon, model: name?.model, firmware: firmware,
            support: name?.known == true ? .full : .partial, hints: CGMinerPlan.hints(evidence))
    }

    /// Known models as displayed.
    static let knownSeries: Set<String> = [
        "721", "741", "761", "821", "841", "851", "852", "921", "1026", "1047", "1066", "1126", "1146", "1166",
        "1246", "1266", "1346", "1366", "1466", "1566",
    ]

    /// Names the model from, in order of trust: `version` `MODEL`, `PROD`, the MM `Ver`
    /// prefix, the stats `ID`. `1246-81` -> `Avalon 1246`; `15-194` -> `Avalon 15-194`;
    /// `Q` -> `Avalon Q`; `Mini3` -> `Avalon Mini 3`; `nano3` -> `Avalon Nano 3`.
    static func model(model: String?, prod: String?, moduleVersion: String?, statsID: String?) -> (model: String, known: Bool)? {
        var code = model
        if code == nil, let prod {
            code = ModelNames.dropPrefix("AvalonMiner ", from: ModelNames.dropPrefix("Avalon ", from: prod))
        }
        if code == nil, let moduleVersion {
            // `1047-20051101_85dc6f0_0332654`, `15-194-24102401_...`, `Q-25052801_...`,
            // `7411706-3162860` (A7: model digits then the build).
            let parts = moduleVersion.split(separator: "-").map(String.init)
            if parts.count >= 2 { code = parts.dropLast().joined(separator: "-") }
            if let only = code, only.count == 7, only.allSatisfy(\.isNumber) { code = String(only.prefix(3)) }
        }
        if let code {
            let lower = code.lowercased()
            if lower == "q" { return ("Avalon Q", true) }
            if lower.hasPrefix("mini3") { return ("Avalon Mini 3", true) }
            if lower.hasPrefix("nano3s") { return ("Avalon Nano 3S", true) }
            if lower.hasPrefix("nano3") { return ("Avalon Nano 3", true) }
            let series = code.prefix { $0.isNumber }
            if series.count == 4 || series.count == 3 {
                return ("Avalon \(series)", knownSeries.contains(String(series)))
            }
            if series.count == 2 { return ("Avalon \(code)", series == "15") }  // `15-194`: A15 series
            return ("Avalon \(code)", false)
        }
        // Last resort: the device ID of `stats` (`AV70`, `AVA100`, `AVANANO0`).
        guard let statsID else { return nil }
        if statsID.hasPrefix("AVANANO") { return ("Avalon Nano", false) }
        if statsID.hasPrefix("AVA10") { return ("Avalon 10xx", false) }
        if statsID.hasPrefix("AV7") { return ("Avalon 7xx", false) }
        if statsID.hasPrefix("AV8") { return ("Avalon 8xx", false) }
        return nil
    }

    // MARK: MM ID telemetry

    /// Every MM module string of the stats items: `MM ID0`, `MM ID1`... and the Avalon Q
    /// `MM ID0:Summary`. Per-chip `HBinfo` arrays are not needed for the status.
    static func modules(_ items: [JSONObject]) -> [AvalonMMID] {
        items.flatMap { item in
            item.entries.filter { $0.key.hasPrefix("MM ID") }.compactMap { entry in
                entry.value.stringValue.map(AvalonMMID.parse)
            }
        }
    }

    static func read(modules: [AvalonMMID], into status: inout MinerStatus) {
        func sum(_ key: String) -> Double? {
            let values = modules.compactMap { $0.number(key) }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        status.hashrate = sum("GHSspd").map { $0 * Units.giga }
        status.hashrateAverage = sum("GHSavg").map { $0 * Units.giga }
        status.hashrateExpected = Readings.positive(sum("GHSmm")).map { $0 * Units.giga }
        status.power = Readings.positive(sum("WALLPOWER"))
        status.uptime = modules.lazy.compactMap { $0.number("Elapsed") }.first

        var boards: [BoardStatus] = []
        var chipTemps: [Double?] = []
        var boardTemps: [Double?] = []
        var fans: [FanStatus] = []
        for module in modules {
            let chipMax = Readings.temperature(module.number("TMax"))
            chipTemps.append(chipMax)
            boardTemps += [module.number("HBTemp"), module.number("HBITemp"), module.number("HBOTemp")]
            let perBoard = module.numbers("MGHS")
            let perBoardTemp = module.numbers("MTmax")
            if perBoard.isEmpty {
                // Old multi-module units (A7): one board per module.
                boards.append(BoardStatus(
                    index: boards.count, hashrateExpected: Readings.positive(module.number("GHSmm")).map { $0 * Units.giga },
                    tempChip: chipMax))
            } else {
                // `MGHS` is each board's average since start (it sums to `GHSavg`), the
                // only per-board rate the MM string gives.
                for (index, rate) in perBoard.enumerated() {
                    let temp = index < perBoardTemp.count ? Readings.temperature(perBoardTemp[index]) : nil
                    chipTemps.append(temp)
                    boards.append(BoardStatus(index: boards.count, hashrate: rate * Units.giga, tempChip: temp ?? (perBoard.count == 1 ? chipMax : nil)))
                }
            }
            let percent = module.number("FanR")
            for key in ["Fan", "Fan1", "Fan2", "Fan3", "Fan4"] {
                if let rpm = module.number(key) { fans.append(FanStatus(index: fans.count, rpm: rpm, percent: percent)) }
            }
        }
        status.boards = boards
        status.fans = fans
        status.tempChipMax = Readings.maxTemperature(chipTemps)
        status.tempBoardMax = Readings.maxTemperature(boardTemps)
        status.tempInlet = Readings.temperature(modules.lazy.compactMap { $0.number("ITemp") ?? $0.number("Temp") }.first)
        status.tempOutlet = Readings.temperature(modules.lazy.compactMap { $0.number("OTemp") }.first)

        // Soft-off: `SoftOFF` non-zero and `SYSTEMSTATU[Work: In Idle...]` (the Avalon Q
        // capture was taken soft-off). `WORKMODE` is a power profile, not sleep.
        let softOff = modules.contains { ($0.number("SoftOFF") ?? 0) > 0 }
        let idle = modules.contains { $0["SYSTEMSTATU"]?.containsIgnoringCase("In Idle") == true }
        if softOff || idle { status.state = .sleeping }
    }
}

/// The Avalon web CGIs (`get_minerinfo.cgi`, `updatedashboard.cgi`): JSONP behind an `auth`
/// cookie (protocols.md section 3.3). Not part of the live read; parsed when a caller has them.
public enum AvalonWeb {
    /// Reads `minerinfoCallback({...})` (identity) and `DashboardCallback({...})` (status):
    /// `hash_5m`/`av` TH/s, `temperature` "13°C / 55°F" (intake), `fan` %, one pool.
    public static func parse(minerInfo: [UInt8]?, dashboard: [UInt8]?) throws(ProtocolError) -> MinerStatus {
        let info = try minerInfo.map { bytes throws(ProtocolError) in try JSONP.parse(bytes).value }
        let board = try dashboard.map { bytes throws(ProtocolError) in try JSONP.parse(bytes).value }
        let hwtype = info?["hwtype"]?.stringValue ?? board?["hwtype"]?.stringValue
        let name = AvalonAdapter.model(model: nil, prod: hwtype, moduleVersion: nil, statsID: nil)
        var status = MinerStatus(identity: MinerIdentity(
            family: .avalon, model: name?.model,
            firmware: info?["version"]?.stringValue ?? board?["version"]?.stringValue,
            mac: Readings.mac(info?["mac"]?.stringValue ?? board?["mac"]?.stringValue),
            support: name?.known == true ? .full : .partial))
        guard let board else { return status }
        status.hashrate = board["hash_5m"]?.doubleValue.map { $0 * Units.tera }
        status.hashrateAverage = board["av"]?.doubleValue.map { $0 * Units.tera }
        if let text = board["temperature"]?.stringValue {
            status.tempInlet = Readings.temperature(Double(text.prefix { $0.isNumber || $0 == "." || $0 == "-" }))
        }
        if let fan = board["fan"]?.doubleValue { status.fans = [FanStatus(index: 0, percent: fan)] }
        status.uptime = board["elapsed"]?.stringValue.flatMap(duration)
        if let url = board["url"]?.stringValue {
            status.pools = [PoolStatus(
                url: url, user: board["worker"]?.stringValue, active: true,
                accepted: board["accepted"]?.intValue, rejected: board["reject"]?.intValue)]
        }
        if board["sys_status"]?.stringValue?.containsIgnoringCase("In Idle") == true {
            status.state = .sleeping
        } else {
            status.state = Readings.state(hashrate: status.hashrate)
        }
        return status
    }

    /// `30 h 8 m 57 s` (also `d`) -> seconds.
    static func duration(_ text: String) -> Double? {
        let words = text.split(separator: " ")
        var total = 0.0
        var index = 0
        var found = false
        while index + 1 < words.count {
            if let value = Double(words[index]) {
                let unit: Double
                switch words[index + 1].lowercased() {
                case "d": unit = 86400
                case "h": unit = 3600
                case "m": unit = 60
                case "s": unit = 1
                default: unit = 0
                }
                total += value * unit
                found = true
                index += 2
            } else {
                index += 1
            }
        }
        return found ? total : nil
    }
}
