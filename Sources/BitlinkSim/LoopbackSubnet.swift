import BitlinkCore

/// A CIDR block inside 127.0.0.0/8, the only place the simulator may bind.
public struct LoopbackSubnet: Hashable, Sendable, CustomStringConvertible {
    /// First address of the block (host bits zero).
    public let network: IPv4Address
    /// CIDR prefix length, 8-32.
    public let prefixLength: Int

    /// The default fleet range.
    public static let standard = LoopbackSubnet(network: IPv4Address(127, 77, 0, 0), prefixLength: 16)

    init(network: IPv4Address, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/n` (or a bare address, taken as /32).
    /// - Throws: `SimError.notLoopback` when any address of the block lies outside 127.0.0.0/8,
    ///   `SimError.invalidValue` when the text is not a CIDR.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPv4Address(parts[0]) else {
            throw SimError.invalidValue(what: "subnet", value: text, why: "expected a.b.c.d/n")
        }
        var length = 32
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...32).contains(parsed) else {
                throw SimError.invalidValue(what: "subnet", value: text, why: "prefix length must be 0-32")
            }
            length = parsed
        }
        // Refuse before anything else: a /7 that starts in 127/8 still reaches 126/8.
        guard length >= 8, address.isLoopback else { throw SimError.notLoopback(text) }
        self.init(network: address.network(prefixLength: length), prefixLength: length)
    }

    /// Number of addresses in the block.
    public var size: Int { 1 << (32 - prefixLength) }

    /// Whether the address lies in the block.
    public func contains(_ address: IPv4Address) -> Bool {
        address.value >= network.value && UInt64(address.value) < UInt64(network.value) + UInt64(size)
    }

    /// Addresses miners may use: host parts ending in .0 or .255 are skipped, as
    /// scanners and people commonly treat them as network or broadcast addresses.
    public var usableCount: Int {
        if prefixLength >= 24 { return (0..<size).filter { isUsable(offset: $0) }.count }
        return size / 256 * 254
    }

    func isUsable(offset: Int) -> Bool {
        let last = (network.value + UInt32(offset)) & 0xFF
        return last != 0 && last != 255
    }

    /// The nth usable address (0-based), in increasing order.
    func usableAddress(_ n: Int) -> IPv4Address {
        if prefixLength >= 24 {
            var seen = 0
            for offset in 0..<size where isUsable(offset: offset) {
                if seen == n { return IPv4Address(network.value + UInt32(offset)) }
                seen += 1
            }
            preconditionFailure("usable address \(n) out of range")
        }
        let block = n / 254
        let host = n % 254 + 1
        return IPv4Address(network.value + UInt32(block * 256 + host))
    }

    /// `a.b.c.d/n`.
    public var description: String { "\(network)/\(prefixLength)" }
}

extension IPv4Address {
    /// Refuses anything outside 127.0.0.0/8 with `SimError.notLoopback`.
    static func requireLoopback(_ address: IPv4Address) throws {
        guard address.isLoopback else { throw SimError.notLoopback(address.description) }
    }
}
