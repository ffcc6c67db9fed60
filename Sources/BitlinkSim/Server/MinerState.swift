import BitlinkCore

/// A simulated miner as the reactor thread sees it. Only that thread touches it.
final class MinerState {
    let index: Int
    let model: SimModel
    let fixtures: ModelFixtures
    /// Captures served while sleeping (the model's sleeping variant over its own), if any.
    var sleepingFixtures: ModelFixtures?
    /// What the miner answers from right now.
    var activeFixtures: ModelFixtures { isSleeping ? (sleepingFixtures ?? fixtures) : fixtures }
    var address: IPv4Address
    let mac: MACAddress
    let poolUser: String?
    var faults: Set<Fault>
    /// Sim time of the last explicit `reboot`, if any.
    var rebootAt: Double?
    /// Sim time when the current sleep (from the `sleeping` fault) began.
    var sleepSince: Double?
    /// Sleeping seconds accumulated since the counters last started.
    var pausedSeconds: Double = 0
    var listeners: [Listener] = []
    var connections: Set<Int32> = []
    /// Whether the listeners currently drop SYNs (dead, or a flapping miner's down phase).
    var blocked = false
    let shareRate: Double
    let rejectRatio: Double
    /// Offsets (seconds) that spread flapping and periodic reboots over the fleet.
    let flapPhase: Double
    let rebootPhase: Double

    static let flapHalfPeriod = 30.0
    static let rebootPeriod = 300.0

    init(index: Int, model: SimModel, fixtures: ModelFixtures, address: IPv4Address, seed: UInt64,
         poolUser: String?, faults: Set<Fault>) {
        self.index = index
        self.model = model
        self.fixtures = fixtures
        self.address = address
        self.mac = MACAddress.simulated(seed: seed, index: index)
        self.poolUser = poolUser
        self.faults = faults
        let key = UInt64(index)
        // ASICs find a pool share every few seconds, home miners far less often.
        let base = model.shareDifficulty > 2000 ? 0.05 : 0.02
        self.shareRate = base * (1 + SimRandom.unit(seed, key, 0x5A4E))
        self.rejectRatio = 0.005 + 0.015 * SimRandom.unit(seed, key, 0x4E4A)
        self.flapPhase = 2 * MinerState.flapHalfPeriod * SimRandom.unit(seed, key, 0xF1A9)
        self.rebootPhase = MinerState.rebootPeriod * SimRandom.unit(seed, key, 0xB007)
    }

    var services: [ServicePort] {
        var result: [ServicePort] = []
        if model.hasAPI { result.append(.api) }
        if model.http != .none { result.append(.http) }
        if model.hasWhatsminerV3 { result.append(.whatsminerV3) }
        return result
    }

    var isSleeping: Bool { model.sleepingCapture || faults.contains(.sleeping) }

    /// The connection-level behaviour new connections get (dead and flapping act on listeners).
    var connectionFault: Fault? {
        faults.filter { $0.isConnectionLevel && $0 != .dead && $0 != .flapping }.min()
    }

    /// Whether the listeners should be unreachable at sim time `now`.
    func shouldBeBlocked(at now: Double) -> Bool {
        if faults.contains(.dead) { return true }
        if faults.contains(.flapping) {
            let phase = Int(((now + flapPhase) / MinerState.flapHalfPeriod).rounded(.down))
            return phase % 2 == 1
        }
        return false
    }

    /// Sim time of the last boot, or nil when the miner has run since the fleet started.
    func lastBoot(at now: Double) -> Double? {
        var boot = rebootAt
        if faults.contains(.rebooting), now >= rebootPhase {
            let periodic = rebootPhase + ((now - rebootPhase) / MinerState.rebootPeriod).rounded(.down) * MinerState.rebootPeriod
            boot = max(boot ?? periodic, periodic)
        }
        return boot
    }

    func snapshot(seed: UInt64, now: Double) -> LiveSnapshot {
        let boot = lastBoot(at: now)
        let countStart = boot ?? 0
        var paused = pausedSeconds
        if let since = sleepSince { paused += now - max(since, countStart) }
        let hashing = model.sleepingCapture ? 0 : max(0, now - countStart - paused)
        return LiveSnapshot(
            seed: seed, minerIndex: index, family: SimModelFamily(model.family), now: now,
            sinceReboot: boot.map { now - $0 }, hashingSeconds: hashing, sleeping: isSleeping,
            overheating: faults.contains(.overheating), fanFailed: faults.contains(.fanFailure), mac: mac,
            address: address.description, poolUser: poolUser, shareRate: shareRate, rejectRatio: rejectRatio,
            shareDifficulty: model.shareDifficulty)
    }

    /// Records a reboot at `now`: counters and uptime restart.
    func reboot(at now: Double) {
        rebootAt = now
        pausedSeconds = 0
        if sleepSince != nil { sleepSince = now }
    }

    /// Applies a new fault set, keeping the share clock right across sleep changes.
    func setFaults(_ newFaults: Set<Fault>, at now: Double) {
        let wasSleeping = faults.contains(.sleeping)
        let willSleep = newFaults.contains(.sleeping)
        if !wasSleeping, willSleep { sleepSince = now }
        if wasSleeping, !willSleep, let since = sleepSince {
            pausedSeconds += now - max(since, lastBoot(at: now) ?? 0)
            sleepSince = nil
        }
        faults = newFaults
    }
}

extension SimModelFamily {
    init(_ family: MinerFamily) {
        switch family {
        case .antminer: self = .antminer
        case .whatsminer: self = .whatsminer
        case .avalon: self = .avalon
        case .braiins: self = .braiins
        case .axeos: self = .axeos
        case .nmminer: self = .nmminer
        default: self = .other
        }
    }
}

/// A listening socket of one miner service.
final class Listener {
    let fd: Int32
    unowned let miner: MinerState
    let service: ServicePort
    let port: UInt16
    /// Connections from the simulator itself that keep the accept queue full while blocked.
    var fillers: [Int32] = []

    init(fd: Int32, miner: MinerState, service: ServicePort, port: UInt16) {
        self.fd = fd
        self.miner = miner
        self.service = service
        self.port = port
    }
}
