import Testing

@testable import BitlinkCLI

/// Table tests: argv -> what the parser decides, without running anything.
struct ArgumentParserTests {
    let parser = ArgumentParser(table: .standard)

    func invocation(_ argv: [String], environment: [String: String] = [:]) throws -> Invocation {
        guard case .run(let invocation) = try parser.parse(argv, environment: environment) else {
            Issue.record("expected a command to run for \(argv)")
            throw UsageError("not a run")
        }
        return invocation
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var argv: [String]
        var command: String
        var values: [String: [String]]
        var positionals: [String]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let runCases: [Case] = [
        Case(argv: ["miners", "list"], command: "miners list", values: [:], positionals: []),
        Case(argv: ["miners", "ls"], command: "miners list", values: [:], positionals: []),
        // Global options before and after the command.
        Case(argv: ["--json", "miners", "list"], command: "miners list", values: ["json": [""]], positionals: []),
        Case(argv: ["miners", "list", "--json"], command: "miners list", values: ["json": [""]], positionals: []),
        Case(argv: ["--db", "/tmp/a.db", "miners", "list"], command: "miners list", values: ["db": ["/tmp/a.db"]], positionals: []),
        Case(argv: ["miners", "--db=/tmp/a.db", "list"], command: "miners list", values: ["db": ["/tmp/a.db"]], positionals: []),
        Case(argv: ["miners", "list", "--db", "/tmp/b.db"], command: "miners list", values: ["db": ["/tmp/b.db"]], positionals: []),
        // `=` and separate values, last one wins.
        Case(argv: ["miners", "list", "--type=antminer"], command: "miners list", values: ["type": ["antminer"]], positionals: []),
        Case(argv: ["miners", "list", "--type", "axeos", "--type", "avalon"], command: "miners list", values: ["type": ["avalon"]], positionals: []),
        // Short flags and bundles.
        Case(argv: ["-q", "miners", "list", "-v"], command: "miners list", values: ["quiet": [""], "verbose": [""]], positionals: []),
        Case(argv: ["miners", "list", "-qv"], command: "miners list", values: ["quiet": [""], "verbose": [""]], positionals: []),
        // Positionals and options interleaved.
        Case(argv: ["miners", "add", "--name", "rig1", "10.0.0.5", "--type", "antminer"], command: "miners add",
            values: ["name": ["rig1"], "type": ["antminer"]], positionals: ["10.0.0.5"]),
        // `--` ends options: what follows is positional even if it looks like an option.
        Case(argv: ["miners", "rm", "--", "--weird-name"], command: "miners rm", values: [:], positionals: ["--weird-name"]),
        Case(argv: ["miners", "rm", "a", "b", "c"], command: "miners rm", values: [:], positionals: ["a", "b", "c"]),
        // `-` is a positional (stdin), not an option.
        Case(argv: ["wallets", "add", "-"], command: "wallets add", values: [:], positionals: ["-"]),
    ]

    @Test(arguments: runCases)
    func parsesCommandLines(_ testCase: Case) throws {
        let parsed = try invocation(testCase.argv)
        #expect(parsed.command.name == testCase.command)
        #expect(parsed.values == testCase.values)
        #expect(parsed.positionals == testCase.positionals)
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var argv: [String]
        var message: String
        var suggestion: String?
        var commandPath: [String]?
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(argv: ["minrs", "list"], message: "'minrs' is not a bitlink command", suggestion: "Did you mean 'miners'?"),
        ErrorCase(argv: ["miners", "lst"], message: "'miners lst' is not a bitlink command", suggestion: "Did you mean 'miners list'?", commandPath: ["miners"]),
        ErrorCase(argv: ["miners", "list", "--jsno"], message: "unknown option '--jsno'", suggestion: "Did you mean '--json'?", commandPath: ["miners", "list"]),
        ErrorCase(argv: ["--jsn", "miners", "list"], message: "unknown option '--jsn'", suggestion: "Did you mean '--json'?"),
        ErrorCase(argv: ["miners", "list", "--tpye", "antminer"], message: "unknown option '--tpye'", suggestion: "Did you mean '--type'?", commandPath: ["miners", "list"]),
        ErrorCase(argv: ["miners", "list", "-x"], message: "unknown option '-x'", commandPath: ["miners", "list"]),
        ErrorCase(argv: ["miners", "add"], message: "missing argument HOST", commandPath: ["miners", "add"]),
        ErrorCase(argv: ["miners", "add", "--name"], message: "missing value for option '--name'", commandPath: ["miners", "add"]),
        ErrorCase(argv: ["miners", "add", "--name", "--type", "x", "h"], message: "missing value for option '--name'", commandPath: ["miners", "add"]),
        ErrorCase(argv: ["miners", "show", "a", "b"], message: "unexpected argument 'b'", commandPath: ["miners", "show"]),
        ErrorCase(argv: ["miners", "list", "--json=yes"], message: "option '--json' takes no value", commandPath: ["miners", "list"]),
        ErrorCase(argv: ["miners", "list", "--enabled", "--disabled"], message: "options '--enabled' and '--disabled' cannot be used together", commandPath: ["miners", "list"]),
        ErrorCase(argv: ["help", "nope"], message: "'nope' is not a bitlink command"),
    ]

    @Test(arguments: errorCases)
    func rejectsBadCommandLines(_ testCase: ErrorCase) {
        do {
            _ = try parser.parse(testCase.argv)
            Issue.record("expected a usage error for \(testCase.argv)")
        } catch {
            #expect(error.message == testCase.message)
            #expect(error.suggestion == testCase.suggestion)
            #expect(error.commandPath == testCase.commandPath)
            #expect(!error.fromEnvironment)
        }
    }

    @Test func helpForms() throws {
        for argv in [["miners", "list", "--help"], ["miners", "list", "-h"], ["help", "miners", "list"], ["-h", "miners", "list"]] {
            guard case .help(let command?, nil) = try parser.parse(argv) else {
                Issue.record("expected leaf help for \(argv)")
                continue
            }
            #expect(command.name == "miners list")
        }
        guard case .help(nil, let group?) = try parser.parse(["help", "miners"]) else {
            Issue.record("expected group help")
            return
        }
        #expect(group.name == "miners")
        guard case .help(nil, nil) = try parser.parse(["--help"]) else {
            Issue.record("expected tool help")
            return
        }
    }

    @Test func bareToolAndBareGroupAskForShortHelp() throws {
        guard case .shortHelp(nil) = try parser.parse([]) else {
            Issue.record("expected short tool help")
            return
        }
        guard case .shortHelp(let group?) = try parser.parse(["miners"]) else {
            Issue.record("expected short group help")
            return
        }
        #expect(group.name == "miners")
    }

    @Test func versionAnywhere() throws {
        guard case .version = try parser.parse(["--version"]) else {
            Issue.record("expected version")
            return
        }
        guard case .version = try parser.parse(["miners", "list", "--version"]) else {
            Issue.record("expected version after a command")
            return
        }
    }

    // MARK: Environment fallbacks and precedence

    @Test func databaseFlagBeatsEnvironmentBeatsDefault() throws {
        let environment = ["BITLINK_DB": "/env/b.db", "HOME": "/home/u"]
        let fromFlag = try GlobalOptions.resolve(invocation(["miners", "list", "--db", "/flag/b.db"], environment: environment))
        #expect(fromFlag.databasePath == "/flag/b.db")
        let fromEnvironment = try GlobalOptions.resolve(invocation(["miners", "list"], environment: environment))
        #expect(fromEnvironment.databasePath == "/env/b.db")
        let fromDefault = try GlobalOptions.resolve(invocation(["miners", "list"], environment: ["HOME": "/home/u"]))
        #expect(fromDefault.databasePath == "/home/u/.local/share/bitlink/bitlink.db")
        let fromXDG = try GlobalOptions.resolve(invocation(["miners", "list"], environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/data"]))
        #expect(fromXDG.databasePath == "/data/bitlink/bitlink.db")
    }

    @Test func timeoutFlagBeatsEnvironment() throws {
        let environment = ["BITLINK_TIMEOUT": "10s"]
        #expect(try GlobalOptions.resolve(invocation(["miners", "list", "--timeout", "500ms"], environment: environment)).timeout == 0.5)
        #expect(try GlobalOptions.resolve(invocation(["miners", "list"], environment: environment)).timeout == 10)
        #expect(try GlobalOptions.resolve(invocation(["miners", "list"])).timeout == GlobalOptions.defaultTimeout)
        // A flag value wins even when the environment value is broken.
        #expect(try GlobalOptions.resolve(invocation(["miners", "list", "--timeout=2m"], environment: ["BITLINK_TIMEOUT": "abc"])).timeout == 120)
    }

    @Test func badEnvironmentValueIsAConfigError() throws {
        let parsed = try invocation(["miners", "list"], environment: ["BITLINK_TIMEOUT": "abc"])
        do {
            _ = try GlobalOptions.resolve(parsed)
            Issue.record("expected an error")
        } catch {
            #expect(error.fromEnvironment)
            #expect(error.message.contains("BITLINK_TIMEOUT"))
        }
    }

    @Test func badFlagValueIsAUsageError() throws {
        let parsed = try invocation(["miners", "list", "--timeout", "soon"])
        do {
            _ = try GlobalOptions.resolve(parsed)
            Issue.record("expected an error")
        } catch {
            #expect(!error.fromEnvironment)
            #expect(error.message == "invalid duration 'soon' for '--timeout': use a number with ms, s, m, h or d (for example 30s)")
        }
    }

    @Test func colorFollowsFlagThenNoColor() throws {
        #expect(try GlobalOptions.resolve(invocation(["miners", "list"], environment: ["NO_COLOR": "1"])).color == .never)
        #expect(try GlobalOptions.resolve(invocation(["miners", "list"], environment: ["NO_COLOR": ""])).color == .auto)
        #expect(try GlobalOptions.resolve(invocation(["miners", "list", "--color", "always"], environment: ["NO_COLOR": "1"])).color == .always)
    }

    @Test(arguments: [("500ms", 0.5), ("3s", 3.0), ("2m", 120.0), ("1h", 3600.0), ("7d", 604800.0), ("1.5", 1.5), ("0", 0.0)])
    func durations(_ text: String, _ seconds: Double) {
        #expect(DurationParser.seconds(text) == seconds)
    }

    @Test(arguments: ["", "s", "3x", "-1s", "1e3", "abc", "3 s"])
    func badDurations(_ text: String) {
        #expect(DurationParser.seconds(text) == nil)
    }

    @Test(arguments: [("--jsno", "--json"), ("--jsn", "--json"), ("--tpye", "--type"), ("--stauts", "--status")])
    func suggestions(_ typo: String, _ expected: String) {
        #expect(Suggestions.closest(to: typo, in: ["--json", "--type", "--status", "--db", "--timeout"]).first == expected)
    }

    @Test func noSuggestionWhenNothingIsClose() {
        #expect(Suggestions.closest(to: "--frobnicate", in: ["--json", "--type"]).isEmpty)
    }
}
