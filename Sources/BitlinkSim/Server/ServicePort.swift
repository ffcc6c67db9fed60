/// The three services a simulated miner may offer.
public enum ServicePort: String, Sendable, CaseIterable, Hashable {
    /// CGMiner API (default 4028).
    case api = "cgminer"
    /// HTTP/1.1 (default 80).
    case http
    /// Whatsminer API v3 (default 4433).
    case whatsminerV3 = "whatsminer-v3"
}

/// Port numbers of the three services, the same for every miner of a fleet.
public struct PortPlan: Sendable, Equatable {
    /// CGMiner API port.
    public var api: UInt16
    /// HTTP port.
    public var http: UInt16
    /// Whatsminer API v3 port.
    public var whatsminerV3: UInt16

    /// The real ports (4028, 80, 4433); binding 80 needs root or CAP_NET_BIND_SERVICE.
    public static let standard = PortPlan(api: 4028, http: 80, whatsminerV3: 4433)

    /// Explicit ports.
    public init(api: UInt16, http: UInt16, whatsminerV3: UInt16) {
        self.api = api
        self.http = http
        self.whatsminerV3 = whatsminerV3
    }

    /// The real ports moved up by `offset` (so no root is needed).
    public static func offset(_ offset: Int) throws -> PortPlan {
        guard offset >= 0, 4433 + offset <= 65535 else {
            throw SimError.invalidValue(what: "port offset", value: String(offset), why: "must keep ports within 1-65535")
        }
        return PortPlan(api: UInt16(4028 + offset), http: UInt16(80 + offset), whatsminerV3: UInt16(4433 + offset))
    }

    /// The port number of a service.
    public func port(for service: ServicePort) -> UInt16 {
        switch service {
        case .api: return api
        case .http: return http
        case .whatsminerV3: return whatsminerV3
        }
    }
}
