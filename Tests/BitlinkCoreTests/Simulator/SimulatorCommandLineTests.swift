import BitlinkCore
import Testing
@testable import BitlinkSim

@Suite("Simulator command line")
struct SimulatorCommandLineTests {
    @Test("run flags resolve into a fleet config")
    func runFlags() throws {
        let options = try RunOptions.parse([
            "--count", "40", "--mix", "antminer=2,axeos=1,s19-pro=1", "--subnet", "127.80.0.0/20",
            "--layout", "scattered", "--seed", "9", "--port-offset", "10000", "--http-port=8080",
            "--faults", "dead=0.1,drip=2", "--manifest", "/tmp/m.json", "--log", "/tmp/l.ndjson", "--duration", "90s",
        ])
        #expect(options.config.count == 40)
        #expect(options.config.subnet.description == "127.80.0.0/20")
        #expect(options.config.layout == .scattered)
        #expect(options.config.seed == 9)
        #expect(options.config.ports == PortPlan(api: 14028, http: 8080, whatsminerV3: 14433))
        #expect(options.config.faults.count == 2)
        #expect(options.config.clock == .wall)
        #expect(options.manifestPath == "/tmp/m.json")
        #expect(options.config.logPath == "/tmp/l.ndjson")
        #expect(options.duration == 90)
        #expect(try RunOptions.parse([]).duration == 600, "10 minutes by default")
    }

    @Test("bad flags are usage errors", arguments: [
        ["--subnet", "192.168.0.0/24"], ["--count", "x"], ["--layout", "diagonal"], ["--bogus"],
        ["--mix", "toaster=1"], ["--faults", "melt=0.1"], ["--duration", "soon"], ["--api-port", "0"],
    ])
    func badFlags(_ arguments: [String]) {
        #expect(throws: SimError.self) { try RunOptions.parse(arguments) }
        #expect(SimCommand.main(["bitlink-sim"] + arguments) == 64)
    }

    @Test("durations", arguments: [("10m", 600.0), ("30s", 30), ("500ms", 0.5), ("2h", 7200), ("45", 45)])
    func durations(_ text: String, _ seconds: Double) throws {
        #expect(try SimArguments.duration(text) == seconds)
    }

    @Test("the demo runs the documented steps in order, flags in one place")
    func demoSteps() throws {
        let script = DemoScript(subnet: try LoopbackSubnet(parsing: "127.77.0.0/28"), ports: try PortPlan.offset(10000),
                                infoTarget: "127.77.0.1")
        #expect(script.steps.map { $0.arguments.prefix(2).joined(separator: " ") } == [
            "wallets add", "scan 127.77.0.0/28", "miners list", "info 127.77.0.1", "link-wallet --auto",
            "shares log", "shares stats", "watch --count",
        ])
        #expect(script.scanArguments == ["scan", "127.77.0.0/28", "--port", "14028", "--http-port", "10080", "--v3-port", "14433", "--timeout", "1s"])
        #expect(script.steps[3].arguments == ["info", "127.77.0.1", "--port", "14028", "--http-port", "10080", "--v3-port", "14433"])
        #expect(DemoScript.isUnavailable(status: 64, stderr: "bitlink: 'scan' is not a bitlink command\n"))
        #expect(DemoScript.isUnavailable(status: 70, stderr: "bitlink: scan is not built yet\n"))
        #expect(!DemoScript.isUnavailable(status: 69, stderr: "bitlink: 127.0.0.1: connection refused\n"))
        #expect(DemoScript.wallet.hasPrefix("bc1q"))
        #expect(SimTestSupport.contains(SimTestSupport.fixture("pools/ckpool-user-file_parasite/users_ADDRESS.json"), DemoScript.wallet))
        let families = Set(DemoScript.models.compactMap { ModelCatalog.model(named: $0)?.family })
        #expect(families == [.antminer, .whatsminer, .avalon, .braiins, .axeos, .nmminer, .cgminer])
    }

    @Test("the same seed gives the same fleet")
    func deterministic() throws {
        func manifest(_ seed: UInt64) throws -> [SimulatedMiner] {
            let fleet = try Fleet.start(FleetConfig(count: 30, subnet: try LoopbackSubnet(parsing: "127.93.\(seed).0/24"),
                                                    layout: .scattered, seed: seed, ports: SimTestSupport.ports,
                                                    faults: [FaultAllocation(.hold, .fraction(0.2))],
                                                    fixturesRoot: SimTestSupport.fixturesRoot))
            defer { fleet.stop() }
            return fleet.miners
        }
        let first = try manifest(3)
        let again = try manifest(3)
        #expect(first.map(\.model.name) == again.map(\.model.name))
        #expect(first.map(\.faults) == again.map(\.faults))
        #expect(first.map(\.mac) == again.map(\.mac))
        let other = try manifest(4)
        #expect(first.map(\.model.name) != other.map(\.model.name))
    }
}
