/// Everything that defines a fleet. Two fleets with the same config answer the same
/// bytes at the same sim time.
public struct FleetConfig: Sendable {
    /// How addresses are laid out in the subnet.
    public enum Layout: String, Sendable, Equatable {
        /// .1, .2, .3 ... (skipping .0 and .255).
        case sequential
        /// Spread over the subnet by the seed.
        case scattered
    }

    /// Number of miners.
    public var count: Int
    /// Which families and models.
    public var mix: FleetMix
    /// Where (127.0.0.0/8 only).
    public var subnet: LoopbackSubnet
    /// Address layout.
    public var layout: Layout
    /// Seed of every choice and live value.
    public var seed: UInt64
    /// Service ports, the same for every miner.
    public var ports: PortPlan
    /// Faults given to a share of the fleet, assigned by the seed, one per miner.
    public var faults: [FaultAllocation]
    /// Faults for given miners (by index), added to the allocated ones.
    public var minerFaults: [Int: Set<Fault>]
    /// Manual (tests) or wall clock (executable).
    public var clock: SimClock.Mode
    /// `Tests/Fixtures`, found automatically when nil.
    public var fixturesRoot: String?
    /// NDJSON request log file.
    public var logPath: String?
    /// Keep the request log in memory (tests read it through `Fleet.requestLog`).
    public var keepRequestLog: Bool
    /// Size of an oversized reply.
    public var oversizeBytes: Int
    /// When set, every miner's pool user becomes `<poolUser>.sim<index>` (the demo uses it
    /// so `link-wallet --auto` finds the demo wallet).
    public var poolUser: String?

    /// A config; every parameter has the default the executable uses, except the clock (manual).
    public init(
        count: Int = 12, mix: FleetMix = .standard, subnet: LoopbackSubnet = .standard,
        layout: Layout = .sequential, seed: UInt64 = 1, ports: PortPlan = .standard,
        faults: [FaultAllocation] = [], minerFaults: [Int: Set<Fault>] = [:], clock: SimClock.Mode = .manual,
        fixturesRoot: String? = nil, logPath: String? = nil, keepRequestLog: Bool = true,
        oversizeBytes: Int = 64 << 20, poolUser: String? = nil
    ) {
        self.count = count
        self.mix = mix
        self.subnet = subnet
        self.layout = layout
        self.seed = seed
        self.ports = ports
        self.faults = faults
        self.minerFaults = minerFaults
        self.clock = clock
        self.fixturesRoot = fixturesRoot
        self.logPath = logPath
        self.keepRequestLog = keepRequestLog
        self.oversizeBytes = oversizeBytes
        self.poolUser = poolUser
    }
}
