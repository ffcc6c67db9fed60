import Glibc
import Synchronization

/// Simulated time, in seconds since the fleet started.
///
/// The executable lets it follow the wall clock; tests and benchmarks drive it by hand
/// with `advance(seconds:)`, so no assertion ever depends on how fast the machine is.
public final class SimClock: Sendable {
    /// How sim time moves.
    public enum Mode: Sendable, Equatable {
        /// Sim time follows the monotonic clock (plus any manual advances).
        case wall
        /// Sim time only moves when `advance(seconds:)` is called.
        case manual
    }

    /// Wall or manual.
    public let mode: Mode
    /// Unix time that sim time 0 stands for (used for `When`-like values and the log).
    public let epoch: Double
    private let started: Double
    private let manualOffset = Mutex<Double>(0)

    /// A clock starting at sim time 0; `epoch` defaults to now (wall) or a fixed instant (manual).
    public init(mode: Mode, epoch: Double? = nil) {
        self.mode = mode
        self.started = SimClock.monotonic()
        // A fixed epoch in manual mode keeps replies byte-for-byte reproducible.
        self.epoch = epoch ?? (mode == .manual ? 1_750_000_000 : SimClock.realtime())
    }

    /// Current sim time in seconds.
    public var now: Double {
        let offset = manualOffset.withLock { $0 }
        switch mode {
        case .wall: return SimClock.monotonic() - started + offset
        case .manual: return offset
        }
    }

    /// Unix time of the current sim time.
    public var unixNow: Double { epoch + now }

    /// Moves sim time forward.
    public func advance(seconds: Double) {
        precondition(seconds >= 0, "sim time never goes backwards")
        manualOffset.withLock { $0 += seconds }
    }

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func realtime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
