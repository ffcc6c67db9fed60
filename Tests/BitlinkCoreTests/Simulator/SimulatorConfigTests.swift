import BitlinkCore
import Testing
@testable import BitlinkSim

@Suite("Simulator configuration")
struct SimulatorConfigTests {
    @Test("a subnet outside 127.0.0.0/8 is refused with a clear error", arguments: [
        "10.0.0.0/24", "192.168.1.0/24", "8.8.8.8", "127.0.0.0/7", "0.0.0.0/0", "128.0.0.1/32",
    ])
    func nonLoopbackSubnetRefused(_ text: String) {
        #expect(throws: SimError.notLoopback(text)) { try LoopbackSubnet(parsing: text) }
        let message = SimError.notLoopback(text).description
        #expect(message.contains("not a loopback address"))
        #expect(message.contains("127.0.0.0/8"))
    }

    @Test("a fleet config with a non-loopback subnet never starts")
    func fleetRefusesNonLoopback() {
        var config = FleetConfig(count: 1, fixturesRoot: SimTestSupport.fixturesRoot)
        config.subnet = LoopbackSubnet(network: IPv4Address(10, 0, 0, 0), prefixLength: 24)
        #expect(throws: SimError.notLoopback("10.0.0.0/24")) { try Fleet.start(config) }
    }

    @Test("loopback subnets parse and lay out addresses")
    func layout() throws {
        let subnet = try LoopbackSubnet(parsing: "127.77.0.0/16")
        #expect(subnet == .standard)
        #expect(subnet.usableCount == 256 * 254)
        let sequential = try FleetLayout.addresses(count: 300, subnet: subnet, layout: .sequential, seed: 1)
        #expect(sequential.first?.description == "127.77.0.1")
        #expect(sequential[254].description == "127.77.1.1")
        let scattered = try FleetLayout.addresses(count: 300, subnet: subnet, layout: .scattered, seed: 1)
        #expect(Set(scattered).count == 300)
        #expect(scattered.allSatisfy { subnet.contains($0) && $0.octets.3 != 0 && $0.octets.3 != 255 })
        #expect(try FleetLayout.addresses(count: 300, subnet: subnet, layout: .scattered, seed: 1) == scattered)
        #expect(throws: SimError.subnetTooSmall(subnet: "127.1.1.0/30", capacity: 3, requested: 5)) {
            try FleetLayout.addresses(count: 5, subnet: try LoopbackSubnet(parsing: "127.1.1.0/30"), layout: .sequential, seed: 1)
        }
    }

    @Test("mix weights and counts")
    func mix() throws {
        let counts = try FleetMix.parse("antminer=2,whatsminer=1,avalon=1,axeos=3").models(count: 7, seed: 3)
        #expect(counts.filter { $0.family == .antminer }.count == 2)
        #expect(counts.filter { $0.family == .axeos }.count == 3)
        let weights = try FleetMix.parse("antminer=1,s19-pro=1").models(count: 10, seed: 3)
        #expect(weights.filter { $0.name == "s19-pro" }.count >= 5)
        #expect(throws: SimError.unknownModel("toaster")) { try FleetMix.parse("toaster=1") }
    }

    @Test("fault lists parse fractions and counts")
    func faultList() throws {
        let list = try FaultAllocation.parseList("dead=0.1,hold=2,malformed=0.05,keep-open=1,fan=0.5")
        #expect(list == [
            FaultAllocation(.dead, .fraction(0.1)), FaultAllocation(.hold, .count(2)),
            FaultAllocation(.truncated, .fraction(0.05)), FaultAllocation(.keepOpen, .count(1)),
            FaultAllocation(.fanFailure, .fraction(0.5)),
        ])
        let assigned = FleetLayout.faults(count: 100, allocations: list, explicit: [:], seed: 9)
        #expect(assigned.filter { $0.contains(.dead) }.count == 10)
        #expect(assigned.filter { $0.contains(.hold) }.count == 2)
        #expect(assigned.allSatisfy { $0.count <= 1 })
        #expect(throws: (any Error).self) { try FaultAllocation.parseList("explode=0.1") }
    }

    @Test("every catalog model loads its fixtures and has something to answer")
    func catalogLoads() throws {
        let library = try FixtureLibrary(root: SimTestSupport.fixturesRoot)
        #expect(Set(ModelCatalog.all.map(\.name)).count == ModelCatalog.all.count)
        for model in ModelCatalog.all {
            let fixtures = try library.load(model)
            #expect(!(fixtures.commands.isEmpty && fixtures.httpBodies.isEmpty && fixtures.v3.isEmpty), "\(model.name)")
        }
        for family: MinerFamily in [.antminer, .whatsminer, .avalon, .braiins, .axeos, .nmminer, .cgminer] {
            #expect(!ModelCatalog.rotation(for: family).isEmpty, "\(family)")
        }
    }
}
