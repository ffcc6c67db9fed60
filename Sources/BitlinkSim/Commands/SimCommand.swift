import BitlinkCore
import Glibc

/// `bitlink-sim` entry point: parses argv, runs a subcommand, returns the exit status.
public enum SimCommand {
    /// Runs `bitlink-sim` with argv (program name first); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        var arguments = Array(arguments.dropFirst())
        let subcommand = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 } ?? "run"
        if arguments.first == subcommand { arguments.removeFirst() }
        if arguments.contains("-h") || arguments.contains("--help") || subcommand == "help" {
            print(RunOptions.usage)
            return 0
        }
        if arguments.contains("--version") {
            print("bitlink-sim 0.1.0")
            return 0
        }
        do {
            switch subcommand {
            case "run": return try run(RunOptions.parse(arguments))
            case "demo": return try DemoCommand.run(arguments)
            case "bench": return try BenchCommand.run(arguments)
            case "models":
                listModels()
                return 0
            default:
                printError("'\(subcommand)' is not a bitlink-sim command (run, demo, models)")
                return 64
            }
        } catch let error as SimError {
            printError(error.description)
            if case .socket(let call, _, let code) = error, call == "bind", code == EACCES {
                printHint("ports below 1024 need root; use --port-offset N or --http-port P")
            }
            if case .socket(let call, _, let code) = error, call == "bind", code == EADDRINUSE {
                printHint("another process (or simulator) uses that port; pick --port-offset N")
            }
            return error.isUsage ? 64 : 1
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func run(_ options: RunOptions) throws -> Int32 {
        SignalWaiter.block()
        let started = SimClock.monotonic()
        let fleet = try Fleet.start(options.config)
        if let path = options.manifestPath { try fleet.writeManifest(to: path) }
        let ports = options.config.ports
        let until = options.duration > 0 ? "for \(formatDuration(options.duration))" : "until stopped"
        printError("\(fleet.miners.count) miners on \(options.config.subnet) (api \(ports.api), http \(ports.http), v3 \(ports.whatsminerV3)), seed \(options.config.seed), started in \(formatMilliseconds(SimClock.monotonic() - started)), running \(until)")
        let signal = SignalWaiter.wait(seconds: options.duration > 0 ? options.duration : nil)
        fleet.stop()
        if let signal {
            printError("stopped (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))")
            return 0
        }
        printError("stopped after \(formatDuration(options.duration))")
        return 0
    }

    static func listModels() {
        var lines = ["NAME\tFAMILY\tMODEL\tFIRMWARE\tPORTS\tFIXTURES"]
        for model in ModelCatalog.all {
            var ports: [String] = []
            if model.hasAPI { ports.append("api") }
            if model.http != .none { ports.append("http") }
            if model.hasWhatsminerV3 { ports.append("v3") }
            lines.append("\(model.name)\(model.inRotation ? "" : "*")\t\(model.family.rawValue)\t\(model.model)\t\(model.firmware)\t\(ports.joined(separator: ","))\t\(model.fixtureDirectory)")
        }
        print(lines.joined(separator: "\n"))
        print("\n* only picked when named in --mix (a family name picks the others in turn)")
    }

    static func printError(_ message: String) {
        Console.error("bitlink-sim: \(message)\n")
    }

    static func printHint(_ message: String) {
        Console.error("hint: \(message)\n")
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return NumberText.format(seconds, decimals: seconds == seconds.rounded() ? 0 : 1) + "s"
    }

    static func formatMilliseconds(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : NumberText.format(seconds, decimals: 2) + " s"
    }
}

extension SimError {
    /// Errors caused by what the user typed (exit 64).
    var isUsage: Bool {
        switch self {
        case .invalidValue, .unknownModel, .notLoopback, .subnetTooSmall: return true
        default: return false
        }
    }
}
