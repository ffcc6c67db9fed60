import BitlinkCore

/// A public, immutable view of one simulated miner.
public struct SimulatedMiner: Sendable, Equatable {
    /// Position in the fleet (stable).
    public var index: Int
    /// Current loopback address.
    public var address: IPv4Address
    /// The simulated model.
    public var model: SimModel
    /// The model's family.
    public var family: MinerFamily { model.family }
    /// Open ports by service.
    public var ports: [ServicePort: UInt16]
    /// Current faults.
    public var faults: Set<Fault>
    /// The simulator's MAC for this miner (stable across moves).
    public var mac: MACAddress
    /// Whether the miner's replies carry its MAC (so bitlink can learn it).
    public var reportsMAC: Bool
    /// The pool user written into its replies, when the config sets one.
    public var poolUser: String?

    /// The MAC bitlink should find, or nil when the family's replies do not carry one.
    public var expectedMAC: MACAddress? { reportsMAC ? mac : nil }
}
