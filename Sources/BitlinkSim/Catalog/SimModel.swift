import BitlinkCore

/// One kind of simulated miner: a family, a model and firmware, and the fixture
/// directory whose captured replies it serves.
public struct SimModel: Sendable, Hashable {
    /// What the miner answers on its HTTP port, if it has one.
    public enum HTTPPersonality: String, Sendable, Hashable {
        /// No HTTP port.
        case none
        /// Stock Antminer web UI: every path answers 401 with a Digest challenge.
        case antminerDigest
        /// Whatsminer: 307 to `https://<ip>/cgi-bin/luci`.
        case whatsminerRedirect
        /// Braiins OS: an HTML page naming "Braiins OS".
        case braiinsPage
        /// AxeOS / NerdQAxe JSON API (`/api/system/info`, `/api/system/asic`).
        case axeos
        /// NMMiner JSON API (`/probe`, `/alive`, `/api/system/info`).
        case nmminer
    }

    /// How the firmware words an invalid command.
    public enum ErrorStyle: String, Sendable, Hashable {
        /// cgminer: `{"STATUS":[{"STATUS":"E","When":..,"Code":14,"Msg":"Invalid command","Description":".."}],"id":1}`.
        case cgminer
        /// btminer flat form: `{"STATUS":"E","When":..,"Code":14,"Msg":"invalid cmd","Description":"whatsminer v1.x"}`.
        case whatsminer
        /// Avalon Q: the cgminer form without `Description` (as captured).
        case noDescription
    }

    /// Short name used in `--mix` and the manifest, e.g. `s19-pro`.
    public let name: String
    /// The family bitlink should identify.
    public let family: MinerFamily
    /// Model as the device names itself, e.g. `Antminer S19 Pro`.
    public let model: String
    /// Firmware as a person would say it, e.g. `VNish 3.8.6`.
    public let firmware: String
    /// Fixture directory relative to `Tests/Fixtures`.
    public let fixtureDirectory: String
    /// Extra files taken from elsewhere in the fixtures, keyed by command, e.g. the
    /// BOSminer `version` kept in a sibling directory.
    public let extraFiles: [String: String]
    /// What the HTTP port answers.
    public let http: HTTPPersonality
    /// Whether the CGMiner API port (4028) is open.
    public let hasAPI: Bool
    /// Whether the Whatsminer API v3 port (4433) is open.
    public let hasWhatsminerV3: Bool
    /// The captures themselves come from a sleeping (or soft-off) unit.
    public let sleepingCapture: Bool
    /// Picked when a `--mix` entry names the family rather than the model.
    public let inRotation: Bool
    /// How invalid commands are answered.
    public let errorStyle: ErrorStyle
    /// The model whose captures come from the same hardware asleep (S17+ -> S17+ sleeping):
    /// a miner given the `sleeping` fault answers from them where they have the command.
    public let sleepingVariant: String?
    /// Description used in synthesized status replies (Code 14 / 45).
    public let apiDescription: String

    init(
        _ name: String, _ family: MinerFamily, model: String, firmware: String, directory: String,
        extraFiles: [String: String] = [:], http: HTTPPersonality, hasAPI: Bool = true, v3: Bool = false,
        sleeping: Bool = false, rotation: Bool = false, errorStyle: ErrorStyle = .cgminer,
        sleepingVariant: String? = nil, description: String
    ) {
        self.name = name
        self.family = family
        self.model = model
        self.firmware = firmware
        self.fixtureDirectory = directory
        self.extraFiles = extraFiles
        self.http = http
        self.hasAPI = hasAPI
        self.hasWhatsminerV3 = v3
        self.sleepingCapture = sleeping
        self.inRotation = rotation
        self.errorStyle = errorStyle
        self.sleepingVariant = sleepingVariant
        self.apiDescription = description
    }

    /// Share difficulty used when counters grow: ASICs mine at pool difficulties in the
    /// tens of thousands, home miners far lower.
    var shareDifficulty: Double {
        switch family {
        case .axeos, .nmminer, .nerdminer: return 1024
        default: return 65536
        }
    }
}
