import Testing

@testable import BitlinkCore

/// What one fixture directory must read as. Expected values are written by hand from the
/// capture (never computed by the code under test). Optional numbers left nil are not
/// checked; `model` and `firmware` are always checked, nil meaning "the capture does not say".
struct DirectoryCase: Sendable, CustomTestStringConvertible {
    var dir: String
    var family: MinerFamily
    var model: String?
    var firmware: String?
    var support: SupportLevel = .full
    /// Only identification is possible (a `version`-only capture).
    var identityOnly = false
    /// Hash rate in H/s.
    var hashrate: Double?
    var hashrateExpected: Double?
    var chipMax: Double?
    var boardMax: Double?
    var inlet: Double?
    var fans: Int?
    var boards: Int?
    var power: Double?
    var uptime: Double?
    var poolUser: String?
    var pools: Int?
    var state: MiningState?
    var mac: String?
    var skip: Set<String> = []

    var testDescription: String { dir }
}

enum DirectoryReader {
    /// Identifies the directory's replies through the standard registry, then parses them.
    static func check(_ expected: DirectoryCase, transform: ([UInt8]) -> [UInt8] = { $0 }) throws {
        let replies = Fixtures.replies(expected.dir, skip: expected.skip, transform: transform)
        let (adapter, identification) = try #require(AdapterRegistry.standard.identify(replies), "\(expected.dir) not identified")
        #expect(identification.family == expected.family, "family")
        #expect(adapter.family == expected.family, "adapter")
        #expect(identification.model == expected.model, "model")
        #expect(identification.firmware == expected.firmware, "firmware")
        #expect(identification.support == expected.support, "support")
        if expected.identityOnly { return }

        let status = try adapter.parse(replies, identification: identification)
        #expect(status.identity.family == expected.family)
        #expect(status.identity.model == expected.model)
        expectClose(status.hashrate, expected.hashrate, "hashrate")
        expectClose(status.hashrateExpected, expected.hashrateExpected, "expected hashrate")
        expectClose(status.tempChipMax, expected.chipMax, "chip max")
        expectClose(status.tempBoardMax, expected.boardMax, "board max")
        expectClose(status.tempInlet, expected.inlet, "inlet")
        expectClose(status.power, expected.power, "power")
        expectClose(status.uptime, expected.uptime, "uptime")
        if let fans = expected.fans { #expect(status.fans.count == fans, "fans") }
        if let boards = expected.boards { #expect(status.boards.count == boards, "boards") }
        if let user = expected.poolUser { #expect(status.pools.first?.user == user, "pool user") }
        if let pools = expected.pools { #expect(status.pools.count == pools, "pools") }
        if let state = expected.state { #expect(status.state == state, "state") }
        if let mac = expected.mac { #expect(status.identity.mac == mac, "mac") }
    }
}

/// Relative comparison for values computed in floating point (`110566.89 * 1e9`).
func expectClose(_ actual: Double?, _ expected: Double?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let expected else { return }
    guard let actual else {
        Issue.record("\(what): nil, expected \(expected)", sourceLocation: sourceLocation)
        return
    }
    let tolerance = max(1e-9 * abs(expected), 1e-9)
    #expect(abs(actual - expected) <= tolerance, "\(what): \(actual) != \(expected)", sourceLocation: sourceLocation)
}
