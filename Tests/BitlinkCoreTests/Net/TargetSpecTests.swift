import Testing

@testable import BitlinkCore

struct TargetSpecTests {
    static func ip(_ text: String) -> UInt32 { IPv4Address(text)!.value }

    @Test(arguments: [
        ("192.168.1.5", "192.168.1.5", "192.168.1.5", 1),
        ("192.168.1.0/24", "192.168.1.1", "192.168.1.254", 254),
        ("10.0.0.0/16", "10.0.0.1", "10.0.255.254", 65534),
        ("10.0.0.7/31", "10.0.0.6", "10.0.0.7", 2),
        ("10.0.0.7/32", "10.0.0.7", "10.0.0.7", 1),
        ("192.168.1.77/24", "192.168.1.1", "192.168.1.254", 254),
        ("192.168.1.10-50", "192.168.1.10", "192.168.1.50", 41),
        ("192.168.1.10-192.168.2.5", "192.168.1.10", "192.168.2.5", 252),
        ("127.77.0.1-127.77.0.1", "127.77.0.1", "127.77.0.1", 1),
    ])
    func parsesOneToken(_ token: String, _ first: String, _ last: String, _ count: Int) throws {
        let spec = try TargetSpec.parse([token])
        #expect(spec.ranges == [Self.ip(first)...Self.ip(last)])
        #expect(spec.count == count)
    }

    @Test func listsAndSeveralWordsMerge() throws {
        let spec = try TargetSpec.parse(["10.0.0.1,10.0.0.2, 10.0.0.3", "10.0.0.4-6", "10.0.1.0/30"])
        #expect(spec.ranges == [Self.ip("10.0.0.1")...Self.ip("10.0.0.6"), Self.ip("10.0.1.1")...Self.ip("10.0.1.2")])
        #expect(spec.count == 8)
    }

    @Test func excludeCutsHoles() throws {
        let spec = try TargetSpec.parse(["192.168.1.0/24"]).subtracting(TargetSpec.parse(["192.168.1.1", "192.168.1.100-200"]))
        #expect(spec.ranges == [Self.ip("192.168.1.2")...Self.ip("192.168.1.99"), Self.ip("192.168.1.201")...Self.ip("192.168.1.254")])
        #expect(spec.count == 254 - 1 - 101)
        #expect(!spec.contains(IPv4Address("192.168.1.150")!))
    }

    @Test(arguments: [
        ("", TargetSpec.ParseError.empty),
        ("999.1.1.1", .invalid("999.1.1.1", reason: "not an IPv4 address, CIDR block or range")),
        ("10.0.0.0/33", .invalid("10.0.0.0/33", reason: "the prefix length must be 0 to 32")),
        ("10.0.0.0/x", .invalid("10.0.0.0/x", reason: "the prefix length must be 0 to 32")),
        ("10.0.0/8", .invalid("10.0.0/8", reason: "'10.0.0' is not an IPv4 address")),
        ("10.0.0.50-10", .invalid("10.0.0.50-10", reason: "the range ends before it starts")),
        ("10.0.0.1-300", .invalid("10.0.0.1-300", reason: "'300' is neither an IPv4 address nor a last octet (0-255)")),
        ("host.lan", .invalid("host.lan", reason: "not an IPv4 address, CIDR block or range")),
        ("010.0.0.1", .invalid("010.0.0.1", reason: "not an IPv4 address, CIDR block or range")),
    ])
    func refusals(_ token: String, _ error: TargetSpec.ParseError) {
        #expect(throws: error) { try TargetSpec.parse([token]) }
    }

    @Test func publicAddressesAreFound() throws {
        #expect(try TargetSpec.parse(["192.168.0.0/16", "10.0.0.0/8", "127.77.0.0/16", "172.16.0.0/12", "100.64.0.1"]).publicAddresses.isEmpty)
        let mixed = try TargetSpec.parse(["8.8.8.0/30", "192.168.1.1"])
        #expect(mixed.publicAddresses.count == 2)
        #expect(try TargetSpec.parse(["172.32.0.1"]).publicAddresses.count == 1)
    }

    @Test func shuffledWalkVisitsEveryAddressOnce() throws {
        for text in ["10.0.0.0/22", "10.1.0.1-10.1.0.3", "10.2.0.9", "127.77.0.0/20"] {
            let spec = try TargetSpec.parse([text])
            let walked = Array(spec.shuffled(seed: 42))
            #expect(walked.count == spec.count)
            #expect(Set(walked).count == spec.count)
            #expect(walked.allSatisfy(spec.contains))
        }
    }

    @Test func shuffledOrderIsNotAscendingAndDependsOnSeed() throws {
        let spec = try TargetSpec.parse(["10.0.0.0/24"])
        let first = Array(spec.shuffled(seed: 1))
        let second = Array(spec.shuffled(seed: 2))
        #expect(first != spec.addresses)
        #expect(first != second)
        #expect(Array(spec.shuffled(seed: 1)) == first, "the same seed gives the same order")
    }

    @Test func addressAtIndexAcrossManyRanges() throws {
        let words = (0..<300).map { "10.0.\($0 / 100).\($0 % 100 * 2 + 1)" }
        let spec = try TargetSpec.parse(words)
        #expect(spec.count == 300)
        #expect(spec.addresses.map(\.description) == words.sorted { IPv4Address($0)! < IPv4Address($1)! })
    }

    @Test(arguments: [("1.2.3.4", true), ("255.255.255.255", true), ("0.0.0.0", true), ("1.2.3", false), ("1.2.3.4.5", false),
        ("256.1.1.1", false), ("01.2.3.4", false), ("1..2.3", false), ("a.b.c.d", false), (" 1.2.3.4", false)])
    func ipv4Parsing(_ text: String, _ valid: Bool) {
        #expect((IPv4Address(text) != nil) == valid)
        if valid { #expect(IPv4Address(text)!.description == text) }
    }
}

struct LocalNetworksTests {
    @Test func networkBlockIsTheMaskedAddress() {
        let network = LocalNetworks.Network(interface: "eth0", address: IPv4Address("192.168.1.77")!, prefixLength: 24)
        #expect(network.cidr == "192.168.1.0/24")
        #expect(network.description == "192.168.1.0/24 (eth0)")
        let wide = LocalNetworks.Network(interface: "wg0", address: IPv4Address("10.20.30.40")!, prefixLength: 12)
        #expect(wide.cidr == "10.16.0.0/12")
    }

    /// What `scan` covers without a target: this machine's networks, never loopback, and
    /// parseable as targets. (Read from the interfaces only; nothing is sent.)
    @Test func interfaceNetworksExcludeLoopbackAndParse() throws {
        for network in LocalNetworks.current() {
            #expect(!network.address.isLoopback, "\(network) is loopback")
            #expect((0...32).contains(network.prefixLength))
            let spec = try TargetSpec.parse([network.cidr])
            #expect(spec.contains(network.address) || network.prefixLength >= 31)
        }
    }
}
