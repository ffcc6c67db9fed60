/// A miner's live status, normalized across families.
///
/// Units: hashrate in H/s, temperatures in degrees Celsius, power in W, fan speed in RPM
/// (and percent where the device reports it), durations in seconds. Every field is
/// optional: an adapter fills what the device gives and leaves the rest nil, so an
/// unknown model of a known family still reads partially instead of failing.
public struct MinerStatus: Sendable, Equatable {
    public var identity: MinerIdentity

    /// Current hashrate (the device's short window: 5 s, 1 m, realtime...).
    public var hashrate: Double?
    /// Average hashrate since start or over the device's long window.
    public var hashrateAverage: Double?
    /// What the device says it should do (factory/ideal rate).
    public var hashrateExpected: Double?

    public var boards: [BoardStatus]

    /// Hottest chip reading, in C.
    public var tempChipMax: Double?
    /// Hottest board (PCB) reading, in C.
    public var tempBoardMax: Double?
    /// Intake / environment temperature, where given.
    public var tempInlet: Double?
    /// Outlet / exhaust temperature, where given.
    public var tempOutlet: Double?

    public var fans: [FanStatus]

    /// Power draw in W.
    public var power: Double?

    /// Seconds since the mining software started.
    public var uptime: Double?

    public var pools: [PoolStatus]

    /// Mining, sleeping (reachable but not hashing by choice), or not known.
    public var state: MiningState

    /// Errors the device itself reports (error codes, failed-component messages).
    public var errors: [String]

    /// Best share difficulty since boot, where the firmware counts it (AxeOS, NMMiner).
    public var bestDifficulty: Double?

    public init(
        identity: MinerIdentity,
        hashrate: Double? = nil,
        hashrateAverage: Double? = nil,
        hashrateExpected: Double? = nil,
        boards: [BoardStatus] = [],
        tempChipMax: Double? = nil,
        tempBoardMax: Double? = nil,
        tempInlet: Double? = nil,
        tempOutlet: Double? = nil,
        fans: [FanStatus] = [],
        power: Double? = nil,
        uptime: Double? = nil,
        pools: [PoolStatus] = [],
        state: MiningState = .unknown,
        errors: [String] = [],
        bestDifficulty: Double? = nil
    ) {
        self.identity = identity
        self.hashrate = hashrate
        self.hashrateAverage = hashrateAverage
        self.hashrateExpected = hashrateExpected
        self.boards = boards
        self.tempChipMax = tempChipMax
        self.tempBoardMax = tempBoardMax
        self.tempInlet = tempInlet
        self.tempOutlet = tempOutlet
        self.fans = fans
        self.power = power
        self.uptime = uptime
        self.pools = pools
        self.state = state
        self.errors = errors
        self.bestDifficulty = bestDifficulty
    }

    /// Joules per terahash: power divided by hashrate in TH/s.
    public var efficiency: Double? {
        guard let power, power > 0, let rate = hashrate ?? hashrateAverage, rate > 0 else { return nil }
        return power / (rate / 1e12)
    }

    /// The pool the device is mining on now: the one marked active, else the first alive one.
    public var activePool: PoolStatus? {
        pools.first(where: { $0.active }) ?? pools.first(where: { $0.status == .alive })
    }

    /// Accepted shares over all pools.
    public var sharesAccepted: Int? {
        let counts = pools.compactMap(\.accepted)
        return counts.isEmpty ? nil : counts.reduce(0, +)
    }

    /// Rejected shares over all pools.
    public var sharesRejected: Int? {
        let counts = pools.compactMap(\.rejected)
        return counts.isEmpty ? nil : counts.reduce(0, +)
    }
}

/// What identifies a device: family, model, firmware, network identity.
public struct MinerIdentity: Sendable, Equatable {
    public var family: MinerFamily
    /// Normalized model name (`S19 Pro`, `M30S+ VE40`, `Avalon Q`, `Bitaxe Supra`).
    public var model: String?
    /// Firmware or mining-software name and version (`VNish 3.8.6`, `BOSminer 0.2.0`, `AxeOS v2.4.5`).
    public var firmware: String?
    public var hostname: String?
    /// MAC address, upper-case hex with colons.
    public var mac: String?
    public var serial: String?
    /// Whether the model is one bitlink knows fully, or read with the family's format only.
    public var support: SupportLevel

    public init(
        family: MinerFamily,
        model: String? = nil,
        firmware: String? = nil,
        hostname: String? = nil,
        mac: String? = nil,
        serial: String? = nil,
        support: SupportLevel = .full
    ) {
        self.family = family
        self.model = model
        self.firmware = firmware
        self.hostname = hostname
        self.mac = mac
        self.serial = serial
        self.support = support
    }
}

public enum SupportLevel: String, Sendable, Equatable {
    case full
    /// A known family but a model bitlink has no specific knowledge of.
    case partial
}

public enum MiningState: String, Sendable, Equatable {
    case mining
    case sleeping
    case unknown
}

/// One hashboard (chain).
public struct BoardStatus: Sendable, Equatable {
    public var index: Int
    public var hashrate: Double?
    public var hashrateExpected: Double?
    /// Board (PCB) temperature, the hottest sensor on the board.
    public var tempBoard: Double?
    /// Hottest chip on the board.
    public var tempChip: Double?
    /// Chips the board answers with.
    public var chips: Int?
    /// Chips the board should have, where known.
    public var chipsExpected: Int?
    public var serial: String?

    public init(
        index: Int,
        hashrate: Double? = nil,
        hashrateExpected: Double? = nil,
        tempBoard: Double? = nil,
        tempChip: Double? = nil,
        chips: Int? = nil,
        chipsExpected: Int? = nil,
        serial: String? = nil
    ) {
        self.index = index
        self.hashrate = hashrate
        self.hashrateExpected = hashrateExpected
        self.tempBoard = tempBoard
        self.tempChip = tempChip
        self.chips = chips
        self.chipsExpected = chipsExpected
        self.serial = serial
    }
}

public struct FanStatus: Sendable, Equatable {
    public var index: Int
    public var rpm: Double?
    public var percent: Double?

    public init(index: Int, rpm: Double? = nil, percent: Double? = nil) {
        self.index = index
        self.rpm = rpm
        self.percent = percent
    }
}

/// One configured pool as the device reports it.
public struct PoolStatus: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case alive, dead, disabled, unknown
    }

    /// As configured (`stratum+tcp://host:port`, or `host:port` for AxeOS, rebuilt with scheme).
    public var url: String
    /// The full pool user (`address.worker`).
    public var user: String?
    public var status: Status
    /// The pool the device is submitting to now.
    public var active: Bool
    public var priority: Int?
    public var accepted: Int?
    public var rejected: Int?
    public var stale: Int?
    /// Sum of the difficulty of accepted shares, where the firmware counts it.
    public var difficultyAccepted: Double?
    /// Sum of the difficulty of rejected shares, where the firmware counts it.
    public var difficultyRejected: Double?
    /// Unix time of the last share, where given.
    public var lastShareTime: Int64?

    public init(
        url: String,
        user: String? = nil,
        status: Status = .unknown,
        active: Bool = false,
        priority: Int? = nil,
        accepted: Int? = nil,
        rejected: Int? = nil,
        stale: Int? = nil,
        difficultyAccepted: Double? = nil,
        difficultyRejected: Double? = nil,
        lastShareTime: Int64? = nil
    ) {
        self.url = url
        self.user = user
        self.status = status
        self.active = active
        self.priority = priority
        self.accepted = accepted
        self.rejected = rejected
        self.stale = stale
        self.difficultyAccepted = difficultyAccepted
        self.difficultyRejected = difficultyRejected
        self.lastShareTime = lastShareTime
    }

    /// The worker part of the user (`address.worker` -> `worker`), if any.
    public var worker: String? {
        guard let user, let dot = user.firstIndex(of: ".") else { return nil }
        let worker = user[user.index(after: dot)...]
        return worker.isEmpty ? nil : String(worker)
    }
}
