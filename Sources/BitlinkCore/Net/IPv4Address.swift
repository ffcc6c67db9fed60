/// An IPv4 address as a host-order 32-bit integer, so ranges are plain integer ranges.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad notation strictly: four decimal octets 0-255, no leading
    /// zeros beyond a single `0` (so `010.0.0.1` is refused rather than read as octal
    /// by one tool and decimal by another).
    public init?(_ string: some StringProtocol) {
        var octets: [UInt32] = []
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in string.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets.count < 3 else { return nil }
                octets.append(current)
                current = 0
                digits = 0
                leadingZero = false
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if leadingZero { return nil }
                if digits == 0, byte == UInt8(ascii: "0") { leadingZero = true }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets.count == 3 else { return nil }
        octets.append(current)
        value = octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]
    }

    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    public var description: String {
        let (a, b, c, d) = octets
        return "\(a).\(b).\(c).\(d)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    /// The netmask of a CIDR prefix length (0-32) as a host-order integer.
    public static func netmask(prefixLength: Int) -> UInt32 {
        prefixLength <= 0 ? 0 : ~UInt32(0) << UInt32(32 - min(prefixLength, 32))
    }

    /// The first address of the block of this prefix length that holds this address.
    public func network(prefixLength: Int) -> IPv4Address {
        IPv4Address(value & IPv4Address.netmask(prefixLength: prefixLength))
    }

    /// 127.0.0.0/8: on Linux every address in it reaches this machine.
    public var isLoopback: Bool { value >> 24 == 127 }

    /// RFC 1918 private ranges.
    public var isPrivate: Bool {
        value >> 24 == 10 || value >> 20 == (172 << 4 | 1) || value >> 16 == (192 << 8 | 168)
    }

    /// 169.254.0.0/16.
    public var isLinkLocal: Bool { value >> 16 == (169 << 8 | 254) }

    /// 100.64.0.0/10, carrier-grade NAT (also used by overlay VPNs on farms).
    public var isSharedAddressSpace: Bool { value >> 22 == (100 << 2 | 1) }

    /// Addresses bitlink may scan without `--allow-public`.
    public var isLocal: Bool { isLoopback || isPrivate || isLinkLocal || isSharedAddressSpace }
}
