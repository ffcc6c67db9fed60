#if canImport(Glibc)
import Glibc
#endif

/// Turns a stored host (IPv4 address or DNS name) into an IPv4 address.
public enum Resolver {
    /// Resolves `host`; dotted quads are parsed without a lookup.
    /// - Throws: `BitlinkError.unreachable` when the name does not resolve.
    public static func ipv4(_ host: String) throws -> IPv4Address {
        if let address = IPv4Address(host) { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        defer { if let result { freeaddrinfo(result) } }
        guard status == 0, let first = result, let address = first.pointee.ai_addr else {
            throw BitlinkError(.unreachable, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
        return IPv4Address(value)
    }
}
