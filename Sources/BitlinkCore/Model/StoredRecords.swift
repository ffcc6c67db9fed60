/// A miner as stored in the `miners` table.
public struct Miner: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var family: MinerFamily
    public var model: String?
    public var firmware: String?
    /// An IPv4 address or a hostname; empty when another device took the address over
    /// and this one has not been seen since.
    public var host: String
    public var mac: String?
    public var hostname: String?
    public var serial: String?
    /// Configured ports; nil means the family's default.
    public var apiPort: UInt16?
    public var httpPort: UInt16?
    /// Whatsminer API v3 port; nil means 4433.
    public var v3Port: UInt16?
    /// What identification learned that the read plan depends on (`Identification.hints`),
    /// so `watch` can read without probing again.
    public var readHints: [String: String]
    public var status: HealthStatus
    /// Why the status is `warning` or `dead` (human phrases).
    public var statusReasons: [String]
    public var failedPolls: Int
    public var enabled: Bool
    public var autoDiscovered: Bool
    public var createdAt: Int64
    public var lastSeen: Int64?

    public init(
        id: Int64 = 0, name: String, family: MinerFamily = .unknown, model: String? = nil, firmware: String? = nil,
        host: String, mac: String? = nil, hostname: String? = nil, serial: String? = nil,
        apiPort: UInt16? = nil, httpPort: UInt16? = nil, v3Port: UInt16? = nil, readHints: [String: String] = [:],
        status: HealthStatus = .unknown, statusReasons: [String] = [],
        failedPolls: Int = 0, enabled: Bool = true, autoDiscovered: Bool = false, createdAt: Int64 = 0, lastSeen: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.family = family
        self.model = model
        self.firmware = firmware
        self.host = host
        self.mac = mac
        self.hostname = hostname
        self.serial = serial
        self.apiPort = apiPort
        self.httpPort = httpPort
        self.v3Port = v3Port
        self.readHints = readHints
        self.status = status
        self.statusReasons = statusReasons
        self.failedPolls = failedPolls
        self.enabled = enabled
        self.autoDiscovered = autoDiscovered
        self.createdAt = createdAt
        self.lastSeen = lastSeen
    }

    /// The ports to use, defaults filled in.
    public var ports: MinerPorts {
        MinerPorts(api: apiPort ?? 4028, http: httpPort ?? 80, whatsminerV3: v3Port ?? 4433)
    }

    /// What a read of this miner needs to know, from the stored family, model and hints.
    public var identification: Identification {
        Identification(family: family, model: model, firmware: firmware, hints: readHints)
    }
}

/// Health as `watch` classifies it, stored in `miners.status` and `samples.status`.
public enum HealthStatus: String, Sendable, Equatable, CaseIterable {
    /// Never polled (added by hand, not yet watched).
    case unknown
    case active
    case warning
    case dead
}

/// A tracked wallet: a Bitcoin address, or a pool account name.
public struct Wallet: Sendable, Equatable {
    public var id: Int64
    public var address: String
    public var label: String?
    /// Known-pool id (see `KnownPools`) the wallet mines on, if it names one.
    public var pool: String?
    public var createdAt: Int64

    public init(id: Int64 = 0, address: String, label: String? = nil, pool: String? = nil, createdAt: Int64 = 0) {
        self.id = id
        self.address = address
        self.label = label
        self.pool = pool
        self.createdAt = createdAt
    }
}

/// One pool configuration read from a miner, and the wallet it is linked to.
public struct MinerConfig: Sendable, Equatable {
    public enum LinkSource: String, Sendable, Equatable {
        case auto
        case manual
    }

    public var id: Int64
    public var minerID: Int64
    public var walletID: Int64?
    public var poolURL: String
    public var poolUser: String
    public var workerName: String?
    /// Known-pool id, when the URL's domain is a known pool.
    public var poolID: String?
    public var active: Bool
    public var linkedBy: LinkSource?
    public var detectedAt: Int64

    public init(
        id: Int64 = 0, minerID: Int64, walletID: Int64? = nil, poolURL: String, poolUser: String,
        workerName: String? = nil, poolID: String? = nil, active: Bool = false, linkedBy: LinkSource? = nil, detectedAt: Int64 = 0
    ) {
        self.id = id
        self.minerID = minerID
        self.walletID = walletID
        self.poolURL = poolURL
        self.poolUser = poolUser
        self.workerName = workerName
        self.poolID = poolID
        self.active = active
        self.linkedBy = linkedBy
        self.detectedAt = detectedAt
    }
}

/// A row of `share_submissions`: one share logged by hand, or a batch of shares counted
/// from a miner's counters between two polls.
public struct ShareSubmission: Sendable, Equatable {
    public enum Source: String, Sendable, Equatable {
        case manual
        case poll
    }

    public var id: Int64
    public var timestamp: Int64
    public var walletID: Int64?
    public var minerID: Int64?
    public var poolName: String?
    public var workerName: String?
    /// Sum of the difficulty of the shares the row counts, where known.
    public var difficulty: Double?
    public var accepted: Bool
    /// How many shares the row counts (1 for a manual log).
    public var shares: Int
    public var source: Source

    public init(
        id: Int64 = 0, timestamp: Int64, walletID: Int64? = nil, minerID: Int64? = nil, poolName: String? = nil,
        workerName: String? = nil, difficulty: Double? = nil, accepted: Bool = true, shares: Int = 1, source: Source
    ) {
        self.id = id
        self.timestamp = timestamp
        self.walletID = walletID
        self.minerID = minerID
        self.poolName = poolName
        self.workerName = workerName
        self.difficulty = difficulty
        self.accepted = accepted
        self.shares = shares
        self.source = source
    }
}

/// One poll of one miner, as `watch` stores it in `samples`.
public struct Sample: Sendable, Equatable {
    public var minerID: Int64
    public var time: Int64
    public var status: HealthStatus
    public var hashrate: Double?
    public var tempMax: Double?
    public var fanMinRPM: Double?
    /// Fans turning (RPM above zero).
    public var fansSpinning: Int?
    public var power: Double?
    public var accepted: Int?
    public var rejected: Int?
    public var uptime: Int64?
    public var reasons: [String]

    public init(
        minerID: Int64, time: Int64, status: HealthStatus, hashrate: Double? = nil, tempMax: Double? = nil,
        fanMinRPM: Double? = nil, fansSpinning: Int? = nil, power: Double? = nil, accepted: Int? = nil, rejected: Int? = nil, uptime: Int64? = nil,
        reasons: [String] = []
    ) {
        self.minerID = minerID
        self.time = time
        self.status = status
        self.hashrate = hashrate
        self.tempMax = tempMax
        self.fanMinRPM = fanMinRPM
        self.fansSpinning = fansSpinning
        self.power = power
        self.accepted = accepted
        self.rejected = rejected
        self.uptime = uptime
        self.reasons = reasons
    }
}
