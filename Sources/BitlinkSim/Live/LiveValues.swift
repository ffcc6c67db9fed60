import Glibc

/// Everything a reply needs to know about its miner at one instant of sim time.
/// Values are a pure function of these fields, which are a pure function of
/// (seed, miner, sim time, the explicit events so far).
struct LiveSnapshot {
    var seed: UInt64
    var minerIndex: Int
    var family: SimModelFamily
    /// Sim seconds.
    var now: Double
    /// Sim seconds since the last reboot, or nil when the miner has not rebooted
    /// since the fleet started (uptime then continues from the capture's value).
    var sinceReboot: Double?
    /// Seconds of hashing that produced shares since start (or reboot).
    var hashingSeconds: Double
    var sleeping: Bool
    var overheating: Bool
    var fanFailed: Bool
    var mac: MACAddress
    var address: String
    var poolUser: String?
    /// Shares per second while hashing.
    var shareRate: Double
    var rejectRatio: Double
    var shareDifficulty: Double

    var rebooted: Bool { sinceReboot != nil }
}

/// The family traits the editor cares about.
enum SimModelFamily {
    case antminer, whatsminer, avalon, braiins, axeos, nmminer, other
}

/// Computes live values from capture values.
struct LiveValues {
    let snapshot: LiveSnapshot

    private var minerKey: UInt64 { UInt64(snapshot.minerIndex) }

    /// Hashrate: jitter of +-2% around the capture, new value every 5 sim seconds.
    func hashrate(base: Double, field: UInt64) -> Double {
        if snapshot.sleeping { return 0 }
        let step = UInt64(max(0, snapshot.now / 5).rounded(.down))
        return base * (1 + 0.02 * SimRandom.signed(snapshot.seed, minerKey, field, step))
    }

    var acceptedDelta: Double { (snapshot.hashingSeconds * snapshot.shareRate).rounded(.down) }
    var rejectedDelta: Double { (snapshot.hashingSeconds * snapshot.shareRate * snapshot.rejectRatio).rounded(.down) }

    /// A share counter: grows from the capture's value; after a reboot it restarts from 0.
    /// `grows` is false for counters that stay zero (backup pools).
    func counter(base: Double, delta: Double, grows: Bool) -> Double {
        if snapshot.rebooted { return grows ? delta : 0 }
        return grows ? base + delta : base
    }

    func uptime(base: Double) -> Double {
        if let since = snapshot.sinceReboot { return since.rounded(.down) }
        return (base + snapshot.now).rounded(.down)
    }

    /// Temperature: a slow swing of +-1.5 C plus small noise; over 90 C when overheating.
    /// Zero readings (empty slots) stay zero, except max fields of an overheating miner.
    func temperature(base: Double, field: UInt64, isMax: Bool) -> Double {
        if snapshot.overheating {
            if base == 0, !isMax { return 0 }
            return 92 + 4 * SimRandom.unit(snapshot.seed, minerKey, field, UInt64(max(0, snapshot.now / 10)))
        }
        if base == 0 { return 0 }
        let phase = 6.283 * SimRandom.unit(snapshot.seed, minerKey, 0x7E, field)
        let swing = 1.5 * sin(6.283 * snapshot.now / 600 + phase)
        let noise = 0.5 * SimRandom.signed(snapshot.seed, minerKey, field, UInt64(max(0, snapshot.now / 10)))
        return max(1, base + swing + noise)
    }

    /// Fan: +-1% around the capture, 0 for the failed fan.
    func fan(base: Double, field: UInt64, failed: Bool) -> Double {
        if failed || base == 0 { return 0 }
        let step = UInt64(max(0, snapshot.now / 5))
        return base * (1 + 0.01 * SimRandom.signed(snapshot.seed, minerKey, field, step))
    }
}
