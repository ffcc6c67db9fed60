/// The addresses a scan covers: IPs, CIDR blocks, `a.b.c.d-e.f.g.h` ranges, last-octet
/// ranges (`192.168.1.10-50`) and comma lists, minus exclusions. Held as merged integer
/// ranges, so a /16 costs a few bytes, and walked in a shuffled order without building
/// the list of addresses.
public struct TargetSpec: Sendable, Equatable {
    public static func == (lhs: TargetSpec, rhs: TargetSpec) -> Bool { lhs.ranges == rhs.ranges }

    /// Sorted, non-overlapping, non-adjacent ranges.
    public let ranges: [ClosedRange<UInt32>]
    /// `offsets[i]`: how many addresses come before `ranges[i]` (for index lookups).
    private let offsets: [Int]

    public init(ranges: [ClosedRange<UInt32>] = []) {
        self.ranges = TargetSpec.normalize(ranges)
        var offsets: [Int] = []
        offsets.reserveCapacity(self.ranges.count)
        var total = 0
        for range in self.ranges {
            offsets.append(total)
            total += Int(range.upperBound - range.lowerBound) + 1
        }
        self.offsets = offsets
        count = total
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case invalid(String, reason: String)

        public var description: String {
            switch self {
            case .empty: return "no targets"
            case .invalid(let token, let reason): return "invalid target '\(token)': \(reason)"
            }
        }
    }

    /// Parses target words (each may be a comma list). `@file` and `-` are expanded by
    /// the caller, which owns file and stdin access.
    public static func parse(_ words: [String]) throws(ParseError) -> TargetSpec {
        var ranges: [ClosedRange<UInt32>] = []
        for word in words {
            for token in word.split(separator: ",", omittingEmptySubsequences: true) {
                let trimmed = String(token).trimmingASCIISpaces()
                if trimmed.isEmpty { continue }
                ranges.append(try parseToken(trimmed))
            }
        }
        guard !ranges.isEmpty else { throw .empty }
        return TargetSpec(ranges: ranges)
    }

    /// One token: `a.b.c.d`, `a.b.c.d/n`, `a.b.c.d-e.f.g.h` or `a.b.c.d-N`.
    public static func parseToken(_ token: String) throws(ParseError) -> ClosedRange<UInt32> {
        if let slash = token.firstIndex(of: "/") {
            guard let base = IPv4Address(token[..<slash]) else {
                throw .invalid(token, reason: "'\(token[..<slash])' is not an IPv4 address")
            }
            let prefixText = token[token.index(after: slash)...]
            guard let prefix = Int(prefixText), (0...32).contains(prefix), prefixText.allSatisfy(\.isNumber) else {
                throw .invalid(token, reason: "the prefix length must be 0 to 32")
            }
            let network = base.network(prefixLength: prefix).value
            let broadcast = network | ~IPv4Address.netmask(prefixLength: prefix)
            // The network and broadcast addresses of a /30 or larger never hold a miner.
            if prefix <= 30 { return (network + 1)...(broadcast - 1) }
            return network...broadcast
        }
        if let dash = token.firstIndex(of: "-") {
            let left = token[..<dash]
            let right = token[token.index(after: dash)...]
            guard let start = IPv4Address(left) else {
                throw .invalid(token, reason: "'\(left)' is not an IPv4 address")
            }
            let end: IPv4Address
            if let full = IPv4Address(right) {
                end = full
            } else if let octet = UInt32(right), octet <= 255, right.allSatisfy(\.isNumber) {
                end = IPv4Address(start.value & 0xFFFF_FF00 | octet)
            } else {
                throw .invalid(token, reason: "'\(right)' is neither an IPv4 address nor a last octet (0-255)")
            }
            guard start <= end else {
                throw .invalid(token, reason: "the range ends before it starts")
            }
            return start.value...end.value
        }
        guard let address = IPv4Address(token) else {
            throw .invalid(token, reason: "not an IPv4 address, CIDR block or range")
        }
        return address.value...address.value
    }

    /// The spec without the addresses of `other`.
    public func subtracting(_ other: TargetSpec) -> TargetSpec {
        var result: [ClosedRange<UInt32>] = []
        for range in ranges {
            var pieces = [range]
            for cut in other.ranges {
                pieces = pieces.flatMap { piece -> [ClosedRange<UInt32>] in
                    guard piece.overlaps(cut) else { return [piece] }
                    var kept: [ClosedRange<UInt32>] = []
                    if cut.lowerBound > piece.lowerBound { kept.append(piece.lowerBound...(cut.lowerBound - 1)) }
                    if cut.upperBound < piece.upperBound { kept.append((cut.upperBound + 1)...piece.upperBound) }
                    return kept
                }
            }
            result.append(contentsOf: pieces)
        }
        return TargetSpec(ranges: result)
    }

    /// Number of addresses.
    public let count: Int

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ address: IPv4Address) -> Bool {
        ranges.contains { $0.contains(address.value) }
    }

    /// Addresses that are not loopback, private, link-local or shared address space.
    public var publicAddresses: TargetSpec {
        subtracting(TargetSpec(ranges: TargetSpec.localRanges))
    }

    /// Ranges bitlink scans without `--allow-public`.
    public static let localRanges: [ClosedRange<UInt32>] = [
        IPv4Address(127, 0, 0, 0).value...IPv4Address(127, 255, 255, 255).value,
        IPv4Address(10, 0, 0, 0).value...IPv4Address(10, 255, 255, 255).value,
        IPv4Address(172, 16, 0, 0).value...IPv4Address(172, 31, 255, 255).value,
        IPv4Address(192, 168, 0, 0).value...IPv4Address(192, 168, 255, 255).value,
        IPv4Address(169, 254, 0, 0).value...IPv4Address(169, 254, 255, 255).value,
        IPv4Address(100, 64, 0, 0).value...IPv4Address(100, 127, 255, 255).value,
    ]

    /// The address at `index` in ascending order.
    public func address(at index: Int) -> IPv4Address {
        precondition(index >= 0 && index < count, "index \(index) out of range \(count)")
        // Binary search for the last range starting at or before the index.
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= index { low = middle } else { high = middle - 1 }
        }
        return IPv4Address(ranges[low].lowerBound + UInt32(index - offsets[low]))
    }

    /// All addresses in ascending order.
    public var addresses: [IPv4Address] { (0..<count).map(address(at:)) }

    /// A shuffled walk over the addresses: each exactly once, in an order that spreads
    /// load across subnets, decided by `seed`. Costs O(1) memory whatever the size.
    public func shuffled(seed: UInt64) -> ShuffledAddresses {
        ShuffledAddresses(spec: self, seed: seed)
    }

    static func normalize(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, last.upperBound == UInt32.max || range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

/// A pseudo-random permutation of `0..<n` by an affine map modulo the next power of two
/// with cycle walking: `i -> (a*i + c) mod 2^k`, skipping values >= n. With `a` odd the
/// map is a bijection on `0..<2^k`, so every index comes out exactly once.
public struct ShuffledAddresses: Sequence, IteratorProtocol, Sendable {
    let spec: TargetSpec
    let total: UInt64
    let mask: UInt64
    let multiplier: UInt64
    let increment: UInt64
    var state: UInt64
    var produced: UInt64 = 0

    init(spec: TargetSpec, seed: UInt64) {
        self.spec = spec
        total = UInt64(spec.count)
        var size: UInt64 = 1
        while size < total { size <<= 1 }
        mask = size - 1
        // Mix the seed (splitmix64) into an odd multiplier of the form 4k+1 and an odd
        // increment, the conditions for a full-period affine map modulo 2^k.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        multiplier = (z << 2 | 1) & mask | 1
        increment = (z >> 17 | 1) & mask
        state = z >> 40 & mask
    }

    public mutating func next() -> IPv4Address? {
        guard produced < total else { return nil }
        while true {
            state = (state &* multiplier &+ increment) & mask
            if state < total {
                produced += 1
                return spec.address(at: Int(state))
            }
        }
    }
}
