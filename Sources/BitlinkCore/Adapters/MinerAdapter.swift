/// A miner family, described without sockets (DESIGN.md section 2): how to recognise it
/// from the shared probes, which requests read its status, and how to parse the replies.
///
/// Adapters are pure: they never touch a socket, a clock or the environment, so every
/// one is tested on captured replies.
public protocol MinerAdapter: Sendable {
    /// The family this adapter reads.
    var family: MinerFamily { get }

    /// Recognises the device from the replies to `Probes.all` (and, when a family needs
    /// one, a follow-up probe it asked for). Returns nil when the device is not this family.
    func identify(_ probes: Replies) -> Identification?

    /// Requests to send after `Probes.all` when the probe replies are not enough to
    /// identify the device (or to read it within the connection budget). Default: none.
    ///
    /// Examples: Whatsminer API v3 (`get.device.info` on 4433) when port 80 redirects to
    /// LuCI over https and 4028 is silent; plain `version` when the firmware refused the
    /// `version+devdetails` multi-command. Requests already answered are never returned.
    func followUpProbes(_ probes: Replies) -> [Request]

    /// The requests that read the device's full status, in as few connections as the
    /// firmware allows. Replies already gathered by the probes are reused by the engine.
    func readPlan(for identification: Identification) -> [Request]

    /// Turns the replies of the read plan into a normalized status.
    /// - Throws: `ReadError.protocolViolation` when no reply can be read at all;
    ///   missing optional parts leave fields nil instead of throwing.
    func parse(_ replies: Replies, identification: Identification) throws -> MinerStatus
}

extension MinerAdapter {
    /// No follow-up probes.
    public func followUpProbes(_ probes: Replies) -> [Request] { [] }
}

/// What identification learned: enough to pick the read plan and name the device.
public struct Identification: Sendable, Equatable {
    public var family: MinerFamily
    public var model: String?
    public var firmware: String?
    public var support: SupportLevel
    /// Family-specific facts the read plan depends on (for example `"api": "v3"` for
    /// Whatsminer or `"new_api": "1"` for newer Antminer firmware).
    public var hints: [String: String]

    public init(
        family: MinerFamily,
        model: String? = nil,
        firmware: String? = nil,
        support: SupportLevel = .full,
        hints: [String: String] = [:]
    ) {
        self.family = family
        self.model = model
        self.firmware = firmware
        self.support = support
        self.hints = hints
    }
}

/// Why reading a miner failed after the transport worked, or overall.
public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A transport failure on the exchange that mattered.
    case transport(TransportError)
    /// The device answered with something that cannot be read.
    case protocolViolation(String)
    /// The device refused the read (CGMiner STATUS Code 45, HTTP 401/403).
    case notPermitted(String)
    /// The device answered the status commands with well-formed error statuses (Code 14
    /// "Invalid command" and the like): it is identified, but its status is not readable.
    case statusRefused(String)
    /// Something answers on a miner port but no adapter recognises it.
    case unrecognized(String)
    /// The family has no network API (NerdMiner v2).
    case noNetworkAPI(MinerFamily)

    public var description: String {
        switch self {
        case .transport(let error): return error.description
        case .protocolViolation(let why): return "unreadable reply: \(why)"
        case .notPermitted(let why): return "not permitted: \(why)"
        case .statusRefused(let why): return "status not readable: \(why)"
        case .unrecognized(let why): return "not a recognised miner: \(why)"
        case .noNetworkAPI(let family): return "\(family.displayName) has no network API; track it with manual share logs"
        }
    }
}

/// The shared identification probes, sent to every target in parallel (DESIGN.md section 2).
public enum Probes {
    /// CGMiner API `version` and `devdetails` in one multi-command: names the mining
    /// software (`Description`), the model (`Type`, `PROD`, `Model`) and the driver.
    public static let cgminerVersion = Request.cgminer("version+devdetails")
    /// Firmware that does not support multi-commands gets plain `version` instead.
    public static let cgminerVersionSingle = Request.cgminer("version")
    /// AxeOS, NerdQAxe and NMMiner answer this with their whole status.
    public static let httpSystemInfo = Request.http("/api/system/info")
    /// Web UI root, for fingerprints when nothing else matched.
    public static let httpRoot = Request.http("/")

    /// Sent to every target.
    public static let all: [Request] = [cgminerVersion, httpSystemInfo]
}
