// Shared, internal helpers of the adapters: decoded CGMiner replies, probe evidence,
// read-plan building, pools, readings and units. Pure functions over bytes.

// MARK: - Forgiving field access

extension JSONObject {
    /// A number, also from numeric text (`"GHS 5s":"14046.04"`, `"Accepted":"  5.0000"`).
    func double(_ key: String) -> Double? { self[key]?.doubleValue }

    /// An integer, also from numeric text.
    func int(_ key: String) -> Int? { self[key]?.intValue }

    /// Text of a scalar (numbers printed), trimmed; nil when empty.
    func text(_ key: String) -> String? {
        guard let text = self[key]?.text?.trimmingASCIISpaces(), !text.isEmpty else { return nil }
        return text
    }

    /// A boolean from `true`, `"true"`, `"Y"`, `1`.
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// The first key of `keys` present with a number.
    func double(anyOf keys: [String]) -> Double? {
        for key in keys { if let value = double(key) { return value } }
        return nil
    }

    /// A nested object.
    func object(_ key: String) -> JSONObject? { self[key]?.objectValue }

    /// A nested array.
    func array(_ key: String) -> [JSONValue]? { self[key]?.arrayValue }
}

extension JSONValue {
    /// Follows object keys: `value.path("msg", "miner", "type")`.
    func path(_ keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?[key] }
        return current
    }
}

// MARK: - Readings and units

enum Units {
    static let kilo = 1e3
    static let mega = 1e6
    static let giga = 1e9
    static let tera = 1e12

    /// H/s per unit of an Antminer `rate_unit` (`"GH"`, `"GH/s"`, `"MH"`, `"TH/s"`...).
    static func rateUnit(_ text: String?) -> Double? {
        guard let text = text?.uppercased().trimmingASCIISpaces(), let first = text.first else { return nil }
        switch first {
        case "K": return kilo
        case "M": return mega
        case "G": return giga
        case "T": return tera
        case "P": return 1e15
        case "H": return 1
        default: return nil
        }
    }

    /// A number with an SI suffix as pools and AxeOS print them: `"483k"`, `"45.20K"`,
    /// `"1.23M"`, `"92.67T"`. Plain numbers pass through.
    static func suffixed(_ value: JSONValue?) -> Double? {
        guard let value else { return nil }
        if let number = value.doubleValue { return number }
        guard var text = value.stringValue?.trimmingASCIISpaces(), let last = text.last else { return nil }
        let scale: Double
        switch last {
        case "k", "K": scale = 1e3
        case "M": scale = 1e6
        case "G": scale = 1e9
        case "T": scale = 1e12
        case "P": scale = 1e15
        case "E": scale = 1e18
        default: return nil
        }
        text.removeLast()
        guard let number = Double(text.trimmingASCIISpaces()), number.isFinite else { return nil }
        return number * scale
    }
}

enum Readings {
    /// A usable temperature: not absent, not 0 (an empty sensor slot: `"0-0-0-0"`), not
    /// the -273 "no reading" of Avalon `devs` (A1566 capture), not absurd.
    static func temperature(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value != 0, value > -100, value < 250 else { return nil }
        return value
    }

    /// The largest of the usable readings.
    static func maxTemperature(_ values: [Double?]) -> Double? {
        values.compactMap(temperature).max()
    }

    /// A dash-joined Antminer sensor list: `"78-50-69-70"`, `"2--1-20-22"` (negative
    /// values after a separator, S19 "really cold" capture), `"52-75"` (VNish).
    static func dashList(_ text: String?) -> [Double] {
        guard let text, !text.isEmpty else { return [] }
        var values: [Double] = []
        var token = ""
        for character in text {
            if character == "-", token.contains(where: \.isNumber) {
                if let value = Double(token) { values.append(value) }
                token = ""
            } else if character == "-" || character.isNumber || character == "." {
                token.append(character)
            }
        }
        if let value = Double(token) { values.append(value) }
        return values
    }

    /// MAC as upper-case hex with colons; accepts `b4a2eb345d4b`, `b4:a2:eb:...`, `B4-A2-...`.
    /// Nil when it is not 12 hex digits (anonymized captures such as `02:55:97:22:3M:72`).
    static func mac(_ text: String?) -> String? {
        guard let text else { return nil }
        let hex = text.uppercased().filter { $0 != ":" && $0 != "-" && $0 != " " }
        guard hex.count == 12, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        var result = ""
        for (index, character) in hex.enumerated() {
            if index > 0, index % 2 == 0 { result.append(":") }
            result.append(character)
        }
        return result
    }

    /// A positive number or nil.
    static func positive(_ value: Double?) -> Double? {
        guard let value, value > 0 else { return nil }
        return value
    }

    /// The mining state from a current hashrate when nothing says more.
    static func state(hashrate: Double?) -> MiningState {
        guard let hashrate else { return .unknown }
        return hashrate > 0 ? .mining : .unknown
    }
}

// MARK: - Decoded CGMiner replies

/// Every CGMiner reply of a `Replies`, decoded once and indexed by command, whether it
/// came from a single command or a multi-command (`summary+pools+stats`).
struct CGMinerReplies {
    /// Replies by command (lower-cased; `cmd|param` when a parameter was sent).
    private(set) var byCommand: [String: CGMinerReply] = [:]
    /// Requests whose bytes could not be read, with why.
    private(set) var decodeErrors: [String: ProtocolError] = [:]
    /// Multi-command requests refused as a whole (one E status: no multi-command support).
    private(set) var multiFailures: [String: CGMinerStatus] = [:]
    /// True when some API-port exchange completed at the transport level.
    private(set) var transportAnswered = false

    /// - Parameter salvage: commands whose truncated replies may be salvaged
    ///   (Avalon `stats` can overflow fixed buffers).
    init(_ replies: Replies, salvage: Set<String> = []) {
        // Sorted so that the outcome does not depend on dictionary order.
        let entries = replies.results.compactMap { request, result -> (String, String?, ReplyResult)? in
            guard case .cgminer(let command, let parameter) = request.kind else { return nil }
            return (command, parameter, result)
        }.sorted { ($0.0.count, $0.0) < ($1.0.count, $1.0) }
        for (command, parameter, result) in entries {
            guard case .success(let reply) = result else { continue }
            transportAnswered = true
            let key = parameter.map { "\(command.lowercased())|\($0)" } ?? command.lowercased()
            let bytes = reply.bytes
            if command.contains("+") {
                let members = command.lowercased().split(separator: "+").map(String.init)
                do {
                    let multi = try CGMinerMultiReply.decode(bytes, commands: members)
                    if let failure = multi.failure { multiFailures[key] = failure }
                    for (member, memberReply) in multi.members { store(member, memberReply) }
                } catch {
                    if error.isTruncated, !salvage.isDisjoint(with: members),
                       let multi = try? CGMinerMultiReply.decode(bytes, commands: members, salvage: true)
                    {
                        for (member, memberReply) in multi.members { store(member, memberReply) }
                    } else {
                        decodeErrors[key] = error
                    }
                }
            } else {
                do {
                    store(key, try CGMinerReply.decode(bytes))
                } catch {
                    if error.isTruncated, salvage.contains(key), let salvagedReply = try? CGMinerReply.decode(bytes, salvage: true) {
                        store(key, salvagedReply)
                    } else {
                        decodeErrors[key] = error
                    }
                }
            }
        }
    }

    private mutating func store(_ command: String, _ reply: CGMinerReply) {
        // A successful reply wins over an error for the same command.
        if let existing = byCommand[command], existing.isSuccess, !reply.isSuccess { return }
        byCommand[command] = reply
    }

    /// The reply to a command, whatever its status.
    func reply(_ command: String) -> CGMinerReply? { byCommand[command.lowercased()] }

    /// The reply to a command if it succeeded.
    func ok(_ command: String) -> CGMinerReply? {
        guard let reply = byCommand[command.lowercased()], reply.isSuccess else { return nil }
        return reply
    }

    /// The items of a section of a successful reply.
    func section(_ command: String, _ name: String) -> [JSONObject] {
        ok(command)?.section(name) ?? []
    }

    /// The first successful reply among commands (`stats`, then `estats`).
    func ok(anyOf commands: [String]) -> CGMinerReply? {
        for command in commands { if let reply = ok(command) { return reply } }
        return nil
    }

    /// True when any reply decoded.
    var hasReplies: Bool { !byCommand.isEmpty }

    /// True when at least one command succeeded.
    var hasSuccess: Bool { byCommand.values.contains(where: \.isSuccess) }

    /// Every status received (for fingerprints).
    var statuses: [CGMinerStatus] {
        byCommand.keys.sorted().flatMap { byCommand[$0]!.statuses } + multiFailures.keys.sorted().map { multiFailures[$0]! }
    }

    /// The error to report when nothing usable came back.
    func failure(family: MinerFamily) -> ReadError {
        // Garbage first: a reply that does not decode is a protocol error whatever else came back.
        if let (command, error) = decodeErrors.sorted(by: { $0.key < $1.key }).first {
            return .protocolViolation("\(command): \(error)")
        }
        // A denied status read is an access list; a denied probe (devdetails on Hiveon)
        // is expected and says nothing about the status commands.
        let probeCommands: Set<String> = ["version", "devdetails"]
        if let denied = byCommand.first(where: { !probeCommands.contains($0.key) && ($0.value.status?.isNotPermitted ?? false) }) {
            return .notPermitted("\(denied.key): \(denied.value.status?.message ?? "access denied")")
        }
        if let (command, status) = multiFailures.sorted(by: { $0.key < $1.key }).first {
            return .statusRefused("\(command): \(status.message ?? "refused")")
        }
        if let (command, reply) = byCommand.sorted(by: { $0.key < $1.key }).first(where: { !probeCommands.contains($0.key) && !$0.value.isSuccess }) {
            return .statusRefused("\(command): \(reply.status?.message ?? "error status")")
        }
        return .protocolViolation("no \(family.displayName) reply to read")
    }
}

// MARK: - Probe evidence

/// What the shared probes (and follow-ups) revealed, decoded once per target and shared
/// by every adapter's `identify`.
struct ProbeEvidence {
    let replies: Replies
    let cgminer: CGMinerReplies

    /// `VERSION[0]` of a `version` reply.
    let version: JSONObject?
    /// `DEVDETAILS` items.
    let devdetails: [JSONObject]
    /// `STATS` items of a `stats` / `estats` reply, when one is present.
    let stats: [JSONObject]
    /// `INFO` of an Antminer new-API stats reply (socket or `/cgi-bin/stats.cgi`).
    let newAPIInfo: JSONObject?
    /// Upper-cased text of the software-identifying fields, for substring fingerprints
    /// (pyasic `_parse_socket_type`): Descriptions, VERSION values, devdetails, stats type.
    let fingerprint: String
    /// `GET /api/system/info` body when it is a JSON object.
    let systemInfo: JSONObject?
    /// The HTTP responses by path.
    let http: [String: HTTPResponse]
    /// Whatsminer API v3 `get.device.info` `msg`.
    let v3DeviceInfo: JSONObject?
    /// The `version+devdetails` (or another multi-command) request was refused as a whole.
    let multiFailed: Bool
    /// A full status read (a multi-command with `summary`) already answered during
    /// identification, reused by the read plan.
    let statusRead: String?

    /// - Parameter cgminer: the replies already decoded by the caller, to decode only once.
    init(_ replies: Replies, cgminer decoded: CGMinerReplies? = nil) {
        self.replies = replies
        let cgminer = decoded ?? CGMinerReplies(replies)
        self.cgminer = cgminer
        version = cgminer.ok("version")?.first("VERSION")
        devdetails = cgminer.section("devdetails", "DEVDETAILS")
        let statsReply = cgminer.ok(anyOf: ["stats", "estats"])
        stats = statsReply?.section("STATS") ?? []

        var http: [String: HTTPResponse] = [:]
        var v3: JSONObject?
        var statusRead: String?
        for (request, result) in replies.results {
            guard case .success(let reply) = result else { continue }
            switch request.kind {
            case .httpGet(let path):
                if case .http(let response) = reply { http[path] = response } else { http[path] = HTTPResponse(status: 200, body: reply.bytes) }
            case .whatsminerV3(let command, _) where command == "get.device.info":
                v3 = (try? JSONParser.parse(reply.bytes))?["msg"]?.objectValue
            case .cgminer(let command, nil) where command.contains("+") && command.lowercased().split(separator: "+").contains("summary"):
                // Only a multi-command that was answered member by member can be reused.
                let key = command.lowercased()
                if cgminer.multiFailures[key] == nil, cgminer.decodeErrors[key] == nil { statusRead = command }
            default:
                break
            }
        }
        self.http = http
        v3DeviceInfo = v3
        self.statusRead = statusRead

        var newAPIInfo = statsReply?.first("INFO")
        if newAPIInfo == nil, let body = http["/cgi-bin/stats.cgi"], body.status == 200,
           let reply = try? CGMinerReply.decode(body.body)
        {
            newAPIInfo = reply.first("INFO")
        }
        self.newAPIInfo = newAPIInfo

        if let info = http["/api/system/info"], info.status == 200, case .object(let object)? = try? JSONParser.parse(info.body) {
            systemInfo = object
        } else {
            systemInfo = nil
        }
        multiFailed = !cgminer.multiFailures.isEmpty

        var parts: [String] = cgminer.statuses.compactMap(\.description)
        parts += cgminer.statuses.compactMap(\.message)
        if let version { parts += version.entries.flatMap { [$0.key, $0.value.text ?? ""] } }
        for device in devdetails { parts += ["Name", "Driver", "Model"].compactMap { device.text($0) } }
        if let head = stats.first { parts += ["Type", "BMMiner", "CGMiner", "Cgminer", "ID", "Model"].compactMap { head.text($0) } }
        if let newAPIInfo { parts += newAPIInfo.entries.compactMap { $0.value.text } }
        if let statusMessage = cgminer.ok("status")?.message { parts += statusMessage.keys }
        fingerprint = parts.joined(separator: " ").uppercased()
    }

    /// True when the fingerprint contains any of the (upper-case) marks.
    func mentions(_ marks: String...) -> Bool {
        marks.contains(where: fingerprint.contains)
    }

    /// True when the API port answered nothing at all (refused, timed out, silent).
    var cgminerSilent: Bool { !cgminer.transportAnswered }

    /// True when port 80 redirects to the https LuCI UI, as Whatsminer does
    /// (protocols.md section 2: "redirect 307 to https:// and body containing /cgi-bin/luci").
    var httpRedirectsToLuCI: Bool {
        http.values.contains { response in
            guard (300...399).contains(response.status) else { return false }
            let location = response.header("location") ?? ""
            let body = String(decoding: response.body.prefix(4096), as: UTF8.self)
            // https is the Whatsminer mark: old Braiins OS also redirects to LuCI, over http.
            return location.lowercased().hasPrefix("https://") && (location.contains("cgi-bin/luci") || body.contains("cgi-bin/luci"))
        }
    }

    /// The realm of an HTTP 401 answer (`antMiner Configuration`).
    var httpAuthRealm: String? {
        for response in http.values where response.status == 401 {
            if let header = response.header("www-authenticate"), let range = header.firstRange(of: "realm=\"") {
                return String(header[range.upperBound...].prefix { $0 != "\"" })
            }
        }
        return nil
    }
}

// MARK: - Read plans

enum CGMinerPlan {
    /// The full status read of a CGMiner family: one multi-command, unless the firmware
    /// refused multi-commands (`hints["multi"] == "0"`: one request per command), or a read
    /// already made during identification is to be reused (`hints["read"]`).
    static func requests(_ commands: [String], identification: Identification) -> [Request] {
        if let read = identification.hints["read"] { return [.cgminer(read)] }
        if identification.hints["multi"] == "0" { return commands.map { .cgminer($0) } }
        return [.cgminer(commands.joined(separator: "+"))]
    }

    /// Hints every CGMiner family records at identification.
    static func hints(_ evidence: ProbeEvidence) -> [String: String] {
        var hints: [String: String] = [:]
        if evidence.multiFailed { hints["multi"] = "0" }
        if let read = evidence.statusRead { hints["read"] = read }
        return hints
    }

    /// The multi-command an unidentified CGMiner device is asked during identification:
    /// it names the firmware through `stats` and serves as the status read.
    static let identifyingRead = "summary+pools+devs+stats"

    /// Follow-ups shared by CGMiner families: plain `version` when the probe's
    /// multi-command was refused as a whole.
    static func versionFallback(_ evidence: ProbeEvidence) -> [Request] {
        guard evidence.multiFailed, evidence.replies[Probes.cgminerVersionSingle] == nil else { return [] }
        return [Probes.cgminerVersionSingle]
    }
}

// MARK: - Pools

enum CGMinerPools {
    /// `POOLS` items (also `POOL0`, `POOL1`... of old sgminer) as pool statuses. Empty
    /// slots (no URL and no user) are dropped; dev-fee pools are kept as reported.
    static func parse(_ items: [JSONObject]) -> [PoolStatus] {
        items.compactMap { item in
            let url = item.text("URL") ?? item.text("url") ?? ""
            let user = item.text("User") ?? item.text("user")
            guard !url.isEmpty || user != nil else { return nil }
            let status: PoolStatus.Status
            switch item.text("Status")?.lowercased() {
            case "alive": status = .alive
            case "dead": status = .dead
            case "disabled": status = .disabled
            default: status = .unknown
            }
            var lastShare: Int64?
            if let time = item.double("Last Share Time"), time > 1_000_000_000 { lastShare = Int64(time) }
            return PoolStatus(
                url: url,
                user: user,
                status: status,
                active: item.bool("Stratum Active") ?? false,
                priority: item.int("Priority"),
                accepted: item.int("Accepted"),
                rejected: item.int("Rejected"),
                stale: item.int("Stale"),
                difficultyAccepted: item.double("Difficulty Accepted"),
                difficultyRejected: item.double("Difficulty Rejected"),
                lastShareTime: lastShare
            )
        }
    }
}

// MARK: - Text

extension String {
    /// The first range of `needle`, ignoring ASCII case.
    func firstRangeIgnoringCase(_ needle: String) -> Range<String.Index>? {
        let haystack = Array(lowercased().utf8)
        let pattern = Array(needle.lowercased().utf8)
        // Lower-casing changed the byte layout (non-ASCII text): fall back to exact case.
        guard haystack.count == utf8.count, !pattern.isEmpty else { return firstRange(of: needle) }
        guard pattern.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - pattern.count) where haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            return lower..<utf8.index(lower, offsetBy: pattern.count)
        }
        return nil
    }

    /// True when `needle` occurs, ignoring ASCII case.
    func containsIgnoringCase(_ needle: String) -> Bool { firstRangeIgnoringCase(needle) != nil }
}

// MARK: - Model names

enum ModelNames {
    /// Upper-case, without spaces, dashes or underscores: `S19JPRO`, `S19PRO+`.
    static func key(_ text: String) -> String {
        text.uppercased().filter { $0 != " " && $0 != "-" && $0 != "_" }
    }

    /// Removes a leading word (`Antminer `, `Bitmain `, `WhatsMiner `), case-insensitively.
    static func dropPrefix(_ prefix: String, from text: String) -> String {
        guard text.lowercased().hasPrefix(prefix.lowercased()) else { return text }
        return String(text.dropFirst(prefix.count)).trimmingASCIISpaces()
    }
}
