/// A miner's MAC address. Simulated miners get distinct, locally administered ones
/// (first octet 0x02) so bitlink can tell them apart and follow one across a move.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six octets.
    public let octets: [UInt8]

    /// A MAC from six octets.
    public init(octets: [UInt8]) {
        precondition(octets.count == 6)
        self.octets = octets
    }

    /// The deterministic MAC of miner `index` under `seed`: unique per index.
    static func simulated(seed: UInt64, index: Int) -> MACAddress {
        let h = SimRandom.hash(seed, 0x4D41_4321)
        return MACAddress(octets: [
            0x02, UInt8(h & 0xFF), UInt8(h >> 8 & 0xFF),
            UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF),
        ])
    }

    /// `AA:BB:CC:DD:EE:FF`.
    public var description: String { formatted(separator: ":", uppercase: true) }

    func formatted(separator: String, uppercase: Bool) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var parts: [String] = []
        for octet in octets {
            parts.append(String(decoding: [digits[Int(octet >> 4)], digits[Int(octet & 0xF)]], as: UTF8.self))
        }
        return parts.joined(separator: separator)
    }

    /// Formats like `template` (a MAC as the firmware wrote it): colons or bare hex, case kept.
    /// Nil when the template does not look like a MAC.
    func formatted(like template: String) -> String? {
        let bytes = Array(template.utf8)
        let isHex: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }
        if bytes.count == 17, bytes.enumerated().allSatisfy({ $0.offset % 3 == 2 ? ($0.element == 58 || $0.element == 45) : true }) {
            return formatted(separator: String(UnicodeScalar(bytes[2])), uppercase: !hasLower)
        }
        if bytes.count == 12, bytes.allSatisfy(isHex) { return formatted(separator: "", uppercase: !hasLower) }
        return nil
    }
}
