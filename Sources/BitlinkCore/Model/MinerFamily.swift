/// The miner families bitlink knows. The raw value is what the database stores in
/// `miners.miner_type` and what `--type` accepts.
public enum MinerFamily: String, CaseIterable, Sendable, Comparable {
    /// Bitmain Antminer: stock cgminer/bmminer, and custom firmware on Antminer hardware
    /// (VNish, Hiveon, MSKminer, asicseer...), which keeps the same API.
    case antminer
    /// MicroBT Whatsminer (btminer API v1/v2 on 4028, API v3 on 4433).
    case whatsminer
    /// Canaan Avalon (A10xx-A15xx, Nano 3/3S, Mini 3, Avalon Q).
    case avalon
    /// Braiins OS (BOSminer / BOSer) on any hardware.
    case braiins
    /// ESP-Miner / AxeOS: Bitaxe, NerdAxe, NerdQAxe.
    case axeos
    /// NMMiner firmware on ESP32 boards.
    case nmminer
    /// NerdMiner v2: no network API; added by hand, tracked with manual share logs.
    case nerdminer
    /// Anything else that answers the CGMiner API.
    case cgminer
    /// Not identified yet (added by hand without `--type`).
    case unknown

    public static func < (lhs: MinerFamily, rhs: MinerFamily) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Human name of the family.
    public var displayName: String {
        switch self {
        case .antminer: return "Antminer"
        case .whatsminer: return "Whatsminer"
        case .avalon: return "Avalon"
        case .braiins: return "Braiins OS"
        case .axeos: return "AxeOS"
        case .nmminer: return "NMMiner"
        case .nerdminer: return "NerdMiner"
        case .cgminer: return "CGMiner"
        case .unknown: return "unknown"
        }
    }

    /// Whether bitlink can read the family over the network at all.
    public var hasNetworkAPI: Bool { self != .nerdminer }

    /// The default CGMiner API port, for families that have one.
    public var defaultAPIPort: UInt16? {
        switch self {
        case .antminer, .whatsminer, .avalon, .braiins, .cgminer, .unknown: return 4028
        case .axeos, .nmminer, .nerdminer: return nil
        }
    }

    /// The default HTTP port, for families read over HTTP.
    public var defaultHTTPPort: UInt16? {
        switch self {
        case .axeos, .nmminer: return 80
        default: return nil
        }
    }
}
