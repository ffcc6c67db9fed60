/// Adapters that identify from probe evidence decoded once by the registry.
protocol EvidenceIdentifying {
    func identify(_ evidence: ProbeEvidence) -> Identification?
    func followUpProbes(_ evidence: ProbeEvidence) -> [Request]
}

extension EvidenceIdentifying {
    func followUpProbes(_ evidence: ProbeEvidence) -> [Request] { [] }
}

extension AntminerAdapter: EvidenceIdentifying {}
extension WhatsminerAdapter: EvidenceIdentifying {}
extension AvalonAdapter: EvidenceIdentifying {}
extension BraiinsAdapter: EvidenceIdentifying {}
extension AxeOSAdapter: EvidenceIdentifying {}
extension NMMinerAdapter: EvidenceIdentifying {}
extension GenericCGMinerAdapter: EvidenceIdentifying {}

/// The adapters in their identification order, and the flow around them:
/// `Probes.all` -> `followUpProbes(_:)` -> `identify(_:)` -> `readPlan` minus the requests
/// already answered -> `parse`.
///
/// Identification order (first match wins; firmware that is not stock comes before the
/// stock firmware whose API it imitates, protocols.md section 2):
/// 1. Braiins OS — BOSminer/BOSer, also on Antminer hardware (its `devdetails` says `Bitmain S19 XP`).
/// 2. Whatsminer — btminer answers as `cgminer 4.9.2`; recognised by driver `bitmicro`,
///    `whatsminer` descriptions, btminer-only summary keys, or the LuCI redirect.
/// 3. Avalon — `PROD`/`MODEL`, `avalon*` drivers, `MM ID` telemetry.
/// 4. AxeOS — `/api/system/info` with `ASICModel` (Bitaxe, NerdAxe, NerdQAxe).
/// 5. NMMiner — `/api/system/info` with nested `identity` / `/probe`.
/// 6. Antminer — stock and custom firmware on Antminer hardware; inside it Hiveon is
///    checked before MSKminer (both carry `rwglr`), and LuxOS is excluded (it reports an
///    Antminer `Type` but is read by the generic adapter).
/// 7. Generic CGMiner — anything else answering the API (last).
public struct AdapterRegistry: Sendable {
    /// The adapters, in identification order.
    public let adapters: [any MinerAdapter]

    /// bitlink's adapters in the documented order.
    public static let standardAdapters: [any MinerAdapter] = [
        BraiinsAdapter(), WhatsminerAdapter(), AvalonAdapter(), AxeOSAdapter(), NMMinerAdapter(),
        AntminerAdapter(), GenericCGMinerAdapter(),
    ]

    /// The registry of `standardAdapters`.
    public static let standard = AdapterRegistry()

    /// A registry of adapters tried in the given order.
    public init(adapters: [any MinerAdapter] = AdapterRegistry.standardAdapters) {
        self.adapters = adapters
    }

    /// The first adapter, in order, that recognises the device.
    public func identify(_ probes: Replies) -> (adapter: any MinerAdapter, identification: Identification)? {
        identify(ProbeEvidence(probes))
    }

    func identify(_ evidence: ProbeEvidence) -> (adapter: any MinerAdapter, identification: Identification)? {
        for adapter in adapters {
            let identification: Identification?
            if let fast = adapter as? any EvidenceIdentifying {
                identification = fast.identify(evidence)
            } else {
                identification = adapter.identify(evidence.replies)
            }
            if let identification { return (adapter, identification) }
        }
        return nil
    }

    /// Requests to send after `Probes.all` before identifying (one round; never a request
    /// already answered). When a specific family already recognises the device, only it is
    /// asked; otherwise the first adapter, in order, that wants a follow-up decides.
    ///
    /// - Whatsminer API v3 firmware (4028 silent, port 80 redirects to https LuCI):
    ///   `get.device.info` + `get.miner.status summary` + `pools` on one 4433 connection.
    /// - Firmware that refused the `version+devdetails` multi-command: plain `version`
    ///   (`devdetails` for btminer, which does not know `version`).
    /// - A CGMiner device the probes do not name: the status read
    ///   `summary+pools+devs+stats`, reused by the read plan.
    public func followUpProbes(_ probes: Replies) -> [Request] {
        let evidence = ProbeEvidence(probes)
        if let (adapter, _) = identify(evidence), adapter.family != .cgminer {
            return followUps(adapter, evidence)
        }
        for adapter in adapters {
            let requests = followUps(adapter, evidence)
            if !requests.isEmpty { return requests }
        }
        return []
    }

    private func followUps(_ adapter: any MinerAdapter, _ evidence: ProbeEvidence) -> [Request] {
        let requests: [Request]
        if let fast = adapter as? any EvidenceIdentifying {
            requests = fast.followUpProbes(evidence)
        } else {
            requests = adapter.followUpProbes(evidence.replies)
        }
        return requests.filter { evidence.replies[$0] == nil }
    }

    /// The adapter of a family (nil for NerdMiner, which has no network API, and `unknown`).
    public func adapter(for family: MinerFamily) -> (any MinerAdapter)? {
        adapters.first { $0.family == family }
    }

    /// Why probes that no adapter recognised are not a miner: a transport error when nothing
    /// answered at all (a refusal rather than a timeout when both happened: the host is up),
    /// a protocol violation when a reply starts as JSON but does not parse (a miner's cut or
    /// garbled reply, not a device bitlink does not know), else `unrecognized` with what did
    /// answer.
    public func unrecognized(_ probes: Replies) -> ReadError {
        if let malformed = Self.malformed(probes) { return malformed }
        var answered: [String] = []
        var firstError: TransportError?
        for (request, result) in probes.results.sorted(by: { $0.key.description < $1.key.description }) {
            switch result {
            case .failure(let error):
                // Prefer an error that shows the host is up (refused, reset) over a timeout.
                if firstError == nil || firstError == .timeout { firstError = error }
            case .success(.http(let response)): answered.append("HTTP \(response.status) on \(request)")
            case .success(.bytes(let bytes)): answered.append("\(bytes.count) bytes on \(request)")
            }
        }
        if answered.isEmpty, let firstError { return .transport(firstError) }
        return .unrecognized(answered.isEmpty ? "no reply" : answered.joined(separator: ", "))
    }

    /// The first reply (in request order) that starts as JSON and does not decode.
    static func malformed(_ probes: Replies) -> ReadError? {
        func startsAsJSON(_ bytes: [UInt8]) -> Bool {
            bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{")
        }
        let decoded = CGMinerReplies(probes)
        for (request, result) in probes.results.sorted(by: { $0.key.description < $1.key.description }) {
            guard case .success(let reply) = result else { continue }
            switch (request.kind, reply) {
            case (.cgminer(let command, let parameter), .bytes(let bytes)):
                let key = parameter.map { "\(command.lowercased())|\($0)" } ?? command.lowercased()
                if startsAsJSON(bytes), let error = decoded.decodeErrors[key] { return .protocolViolation("\(request): \(error)") }
            case (.httpGet, .http(let response)) where response.status == 200 && startsAsJSON(response.body):
                do {
                    _ = try JSONParser.parse(response.body)
                } catch {
                    return .protocolViolation("\(request): \(error)")
                }
            default:
                break
            }
        }
        return nil
    }

    // MARK: Read-only requests

    /// CGMiner API commands a monitor may send (protocols.md section 1, "Read-only commands
    /// a monitor may send", and the vendor read commands). Lower-case.
    public static let readOnlyCommands: Set<String> = [
        // cgminer API-README reads
        "version", "summary", "pools", "devs", "edevs", "devdetails", "stats", "estats", "config", "coin", "lcd",
        "notify", "check", "asccount", "asc", "pgacount", "usbstats",
        // Whatsminer (`get_token` only as the handshake of a privileged flow bitlink never runs)
        "get_version", "get_miner_info", "get_psu", "get_error_code", "status", "get_token",
        // Braiins OS / LuxOS
        "temps", "fans", "tempctrl", "tunerstatus",
        // LuxOS
        "power", "profiles", "events", "groups", "limits", "atm", "session", "healthchipget", "voltageget",
        // Avalon Q
        "litestats",
        // Antminer new API
        "rate", "warning",
        // Auradine
        "ipreport", "mode", "psu", "fan", "temperature", "voltage", "frequency", "led",
    ]

    /// Commands that take a parameter and stay reads (`check|summary`, `asc|0`, `healthchipget|0`).
    public static let readOnlyCommandsWithParameter: Set<String> = ["check", "asc", "healthchipget", "voltageget"]

    /// Privileged or writing commands that bitlink never sends (protocols.md section 1).
    public static let privilegedCommands: Set<String> = [
        "switchpool", "enablepool", "disablepool", "addpool", "removepool", "poolpriority", "poolquota", "save",
        "quit", "restart", "privileged", "pgaenable", "pgadisable", "pgaidentify", "pgaset", "ascenable",
        "ascdisable", "ascidentify", "ascset", "setconfig", "zero", "hotplug", "debug", "lockstats", "failover-only",
        "pause", "resume", "logon", "logoff", "curtail", "rebootdevice", "resetminer", "profileset", "fanset",
        "atmset", "ledset", "addgroup", "groupquota", "softoff", "softon", "reboot", "update_pools", "set_led",
        "power_off", "power_on", "set_low_power", "set_high_power", "set_normal_power", "update_firmware",
        "factory_reset", "set_target_freq", "enable_btminer_fast_boot", "disable_btminer_fast_boot",
    ]

    /// HTTP GET paths that only read. Some firmware performs writes on GET
    /// (`/cgi-bin/reboot.cgi`), so HTTP requests are allowed by path, not by method.
    public static let readOnlyHTTPPaths: Set<String> = [
        "/", "/api/system/info", "/api/system/asic", "/api/system/statistics", "/api/system/statistics/dashboard",
        "/api/system/scoreboard", "/probe", "/alive",
        "/cgi-bin/get_system_info.cgi", "/cgi-bin/get_network_info.cgi", "/cgi-bin/get_miner_conf.cgi",
        "/cgi-bin/miner_type.cgi", "/cgi-bin/summary.cgi", "/cgi-bin/stats.cgi", "/cgi-bin/pools.cgi",
        "/cgi-bin/chart.cgi", "/cgi-bin/get_blink_status.cgi", "/cgi-bin/luci/admin/status/overview",
        "/get_minerinfo.cgi", "/updatedashboard.cgi", "/get_home.cgi", "/get_status.cgi",
    ]

    /// Whatsminer API v3 reads (`set.*` are writes).
    public static let readOnlyV3Commands: Set<String> = [
        "get.device.info", "get.miner.status", "get.system.setting", "get.miner.setting", "get.fan.setting",
        "get.miner.history",
    ]

    /// True when the request only reads: every member of a CGMiner multi-command is a
    /// read-only command (with a parameter only where one is allowed), an HTTP GET is on a
    /// read-only path, a Whatsminer v3 command is a `get.*` read.
    public static func isReadOnly(_ request: Request) -> Bool {
        switch request.kind {
        case .cgminer(let command, let parameter):
            let members = command.lowercased().split(separator: "+", omittingEmptySubsequences: false).map(String.init)
            guard !members.isEmpty, !(members.count > 1 && parameter != nil) else { return false }
            return members.allSatisfy { member in
                guard readOnlyCommands.contains(member), !privilegedCommands.contains(member) else { return false }
                return parameter == nil || readOnlyCommandsWithParameter.contains(member)
            }
        case .httpGet(let path):
            let bare = String(path.prefix { $0 != "?" })
            return readOnlyHTTPPaths.contains(bare)
        case .whatsminerV3(let command, _):
            return readOnlyV3Commands.contains(command)
        }
    }
}
