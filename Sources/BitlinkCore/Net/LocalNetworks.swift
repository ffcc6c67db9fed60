#if canImport(Glibc)
import Glibc
#endif

/// The IPv4 networks of this machine's interfaces: what `bitlink scan` covers when no
/// target is given, as the original tool did.
public enum LocalNetworks {
    public struct Network: Sendable, Equatable, CustomStringConvertible {
        public var interface: String
        public var address: IPv4Address
        public var prefixLength: Int

        public var description: String {
            "\(cidr) (\(interface))"
        }

        /// The block as a CIDR string, e.g. `192.168.1.0/24`.
        public var cidr: String {
            "\(address.network(prefixLength: prefixLength))/\(prefixLength)"
        }
    }

    /// Up, non-loopback interfaces with an IPv4 address.
    public static func current() -> [Network] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }
        var networks: [Network] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                let netmask = entry.pointee.ifa_netmask
            else { continue }
            let ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let mask = netmask.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
            let name = String(cString: entry.pointee.ifa_name)
            networks.append(Network(interface: name, address: IPv4Address(ip), prefixLength: mask.nonzeroBitCount))
        }
        return networks
    }
}
