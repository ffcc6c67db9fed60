import Glibc

/// `bitlink-sim demo`: a mixed fleet in-process, a temporary database, and the real
/// `bitlink` binary run step by step, each command line printed before its output.
enum DemoCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var args = SimArguments(arguments)
        let offset = try args.int("port-offset") ?? 10000
        let keep = args.flag("keep")
        let fixtures = try args.value("fixtures")
        _ = try args.finish()
        SignalWaiter.block()

        let bitlink = try findBitlink()
        var template = Array("/tmp/bitlink-demo-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw SimError.invalidValue(what: "temporary directory", value: "/tmp", why: SimError.errnoText(errno))
        }
        let directory = String(cString: created)
        defer { if !keep { removeDirectory(directory) } }

        // Apart from the default fleet range, so a demo runs beside a plain `bitlink-sim`.
        let subnet = try LoopbackSubnet(parsing: "127.77.250.0/28")
        let ports = try PortPlan.offset(offset)
        let config = FleetConfig(
            count: DemoScript.models.count, mix: FleetMix(DemoScript.models.map { FleetMix.Entry($0, 1) }),
            subnet: subnet, seed: 2024, ports: ports, clock: .wall, fixturesRoot: fixtures,
            logPath: directory + "/requests.ndjson", keepRequestLog: false, poolUser: DemoScript.wallet)
        let fleet = try Fleet.start(config)
        defer { fleet.stop() }
        for miner in fleet.miners {
            if let fault = DemoScript.faults[miner.model.name] { try fleet.setFault(miner.index, fault) }
        }
        let miners = fleet.miners
        let infoTarget = miners.first { $0.model.name == "s19-pro" }?.address.description ?? miners[0].address.description

        print("bitlink-sim demo: \(miners.count) simulated miners on \(subnet) (api port \(ports.api), http \(ports.http), v3 \(ports.whatsminerV3))")
        for miner in miners {
            let faults = miner.faults.isEmpty ? "" : "  [\(miner.faults.sorted().map(\.rawValue).joined(separator: ","))]"
            print("  \(pad(miner.address.description, 14)) \(pad(miner.family.rawValue, 11)) \(miner.model.model) (\(miner.model.firmware))\(faults)")
        }
        let database = directory + "/bitlink.db"
        print("$ export BITLINK_DB=\(database)")
        var environment = ChildProcess.currentEnvironment()
        environment["BITLINK_DB"] = database

        let script = DemoScript(subnet: subnet, ports: ports, infoTarget: infoTarget)
        var failures: [String] = []
        for step in script.steps {
            print("\n$ bitlink \(step.arguments.map(quoted).joined(separator: " "))")
            let outcome = try ChildProcess.run(bitlink, step.arguments, environment: environment,
                                               stderrPath: directory + "/stderr.txt")
            if DemoScript.isUnavailable(status: outcome.status, stderr: outcome.stderr) {
                print("(not available in this build yet)")
                continue
            }
            if !outcome.stderr.isEmpty { Console.error(outcome.stderr) }
            if !step.accepted.contains(outcome.status) {
                failures.append("bitlink \(step.arguments.first ?? "") exited \(outcome.status)")
            }
            if SignalWaiter.wait(seconds: 0) != nil {
                SimCommand.printError("interrupted")
                return 130
            }
        }
        print("")
        if keep { print("kept \(directory) (database, request log)") }
        if failures.isEmpty {
            print("demo finished: every available step succeeded")
            return 0
        }
        for failure in failures { SimCommand.printError(failure) }
        return 1
    }

    /// `$BITLINK_BIN`, else `bitlink` next to this executable.
    static func findBitlink() throws -> String {
        if let env = getenv("BITLINK_BIN").map({ String(cString: $0) }), !env.isEmpty {
            guard access(env, X_OK) == 0 else {
                throw SimError.invalidValue(what: "BITLINK_BIN", value: env, why: "not an executable file")
            }
            return env
        }
        if let directory = FixtureFiles.executableDirectory(), access(directory + "/bitlink", X_OK) == 0 {
            return directory + "/bitlink"
        }
        throw SimError.invalidValue(what: "bitlink binary", value: "bitlink",
                                    why: "not found next to bitlink-sim; build it (swift build --product bitlink) or set BITLINK_BIN")
    }

    static func removeDirectory(_ path: String) {
        for name in (try? FixtureFiles.list(path)) ?? [] { unlink(path + "/" + name) }
        rmdir(path)
    }

    static func quoted(_ argument: String) -> String {
        argument.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=@".contains($0) }) ? argument : "'\(argument)'"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
