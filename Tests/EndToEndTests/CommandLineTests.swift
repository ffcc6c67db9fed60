import Foundation
import Testing

/// The built binary: help, version, usage errors, streams and exit codes.
struct CommandLineTests {
    @Test func versionIsOneLine() throws {
        let result = try Sandbox().bitlink(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("bitlink "))
        #expect(result.lines.count == 1)
        #expect(result.stderr.isEmpty)
    }

    @Test func bareBitlinkPrintsShortHelpOnStderrAndExits64() throws {
        let result = try Sandbox().bitlink([])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("usage: bitlink"))
        #expect(result.stderr.contains("miners list"))
    }

    @Test func bareGroupPrintsItsShortHelpOnStderr() throws {
        let result = try Sandbox().bitlink(["miners"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("usage: bitlink miners COMMAND"))
    }

    @Test(arguments: [["miners", "list"], ["miners", "add"], ["miners", "rm"], ["miners", "show"], ["miners", "set"],
        ["wallets", "add"], ["wallets", "list"], ["wallets", "rm"]])
    func helpCommandMatchesHelpFlag(_ path: [String]) throws {
        let sandbox = Sandbox()
        let viaHelp = try sandbox.bitlink(["help"] + path)
        let viaFlag = try sandbox.bitlink(path + ["--help"])
        let viaShort = try sandbox.bitlink(path + ["-h"])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.stdout == viaFlag.stdout)
        #expect(viaHelp.stdout == viaShort.stdout)
        #expect(viaHelp.stdout.contains("USAGE: bitlink \(path.joined(separator: " "))"))
        #expect(viaHelp.stderr.isEmpty)
    }

    @Test func toolHelpListsCommandsAndEnvironment() throws {
        let result = try Sandbox().bitlink(["--help"])
        #expect(result.status == 0)
        for text in ["COMMANDS:", "miners list", "wallets add", "GLOBAL OPTIONS:", "--db PATH", "BITLINK_DB", "NO_COLOR"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func unknownCommandSuggestsAndExits64() throws {
        let result = try Sandbox().bitlink(["minres", "list"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "bitlink: 'minres' is not a bitlink command\nDid you mean 'miners'?\nSee 'bitlink --help'.\n")
    }

    @Test func unknownOptionSuggestsWithUsage() throws {
        let result = try Sandbox().bitlink(["miners", "list", "--jsno"])
        #expect(result.status == 64)
        #expect(
            result.stderr
                == """
                bitlink: unknown option '--jsno'
                Did you mean '--json'?
                usage: bitlink miners list [--type TYPE] [--status STATUS] [--enabled | --disabled]
                See 'bitlink miners list --help'.

                """)
    }

    @Test func badEnvironmentValueExits78() throws {
        let result = try Sandbox().bitlink(["miners", "list"], environment: ["BITLINK_TIMEOUT": "soon"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("BITLINK_TIMEOUT"))
    }

    @Test func readCommandOnMissingDatabaseExits66AndCreatesNothing() throws {
        let sandbox = Sandbox()
        let result = try sandbox.bitlink(["miners", "list"])
        #expect(result.status == 66)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bitlink: no database at \(sandbox.database)"))
        #expect(result.stderr.contains("hint: "))
        #expect(!sandbox.exists("data"))
    }

    @Test func completionHelperNeverCreatesADatabaseAndIsSilent() throws {
        let sandbox = Sandbox()
        let result = try sandbox.bitlink(["__complete", "miners"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
        #expect(!sandbox.exists("data"))
        // On a foreign file it stays silent too.
        let garbage = sandbox.directory + "/garbage.db"
        try "not sqlite".write(toFile: garbage, atomically: true, encoding: .utf8)
        let onGarbage = try sandbox.bitlink(["__complete", "miners", "--db", garbage])
        #expect(onGarbage.stdout.isEmpty)
        #expect(onGarbage.stderr.isEmpty)
    }

    @Test func completionHelperListsStoredNames() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig-b"])
        try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "rig-a"])
        let result = try sandbox.bitlink(["__complete", "miners"])
        #expect(result.stdout == "rig-a\nrig-b\n")
    }

    /// `bitlink miners list | head -1` must not complain when the reader goes away.
    @Test func closedPipeExitsZeroWithoutNoise() throws {
        let sandbox = Sandbox()
        for index in 1...3 { try sandbox.bitlink(["miners", "add", "10.0.1.\(index)"]) }
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()  // the reader is gone before bitlink writes
        let result = try Sandbox.run(
            Sandbox.bitlinkPath, ["miners", "list"], environment: sandbox.environment, stdoutHandle: pipe.fileHandleForWriting)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func failedStdoutWriteExits74() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5"])
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else {
            print("skipped: /dev/full is not available")
            return
        }
        let result = try Sandbox.run(Sandbox.bitlinkPath, ["miners", "list"], environment: sandbox.environment, stdoutHandle: full)
        #expect(result.status == 74)
        #expect(result.stderr.contains("bitlink: write error on standard output"))
    }

    @Test func newerSchemaIsRefusedWith65() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["miners", "add", "10.0.0.5"])
        // user_version is the big-endian 32-bit field at offset 60 of the SQLite header;
        // bitlink checkpointed and removed the WAL on exit, so the main file is current.
        let handle = try #require(FileHandle(forUpdatingAtPath: sandbox.database))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0, 42]))
        try handle.close()
        let result = try sandbox.bitlink(["miners", "list"])
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("database schema 42 is newer than this bitlink"))
        let write = try sandbox.bitlink(["miners", "add", "10.0.0.6"])
        #expect(write.status == 65)
    }

    @Test func foreignFileIsRefusedWith65() throws {
        let sandbox = Sandbox()
        let path = sandbox.directory + "/notes.db"
        try String(repeating: "hello\n", count: 1000).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try sandbox.bitlink(["miners", "add", "10.0.0.5", "--db", path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("is not a bitlink database"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("hello"))
    }

    /// Several processes adding miners at the same moment all succeed (busy timeout,
    /// BEGIN IMMEDIATE), with no "database is locked".
    @Test func concurrentProcessesAllWrite() throws {
        let sandbox = Sandbox()
        try sandbox.bitlink(["wallets", "add", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"])
        let count = 8
        let results = ResultsBox(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = try? sandbox.bitlink(["miners", "add", "10.9.0.\(index + 1)", "--name", "w\(index)"])
            results.set(index, result)
        }
        for index in 0..<count {
            let result = try #require(results.get(index))
            #expect(result.status == 0, "\(result)")
            #expect(!result.stderr.contains("locked"))
        }
        #expect(try sandbox.bitlink(["miners", "list"]).lines.count == count)
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [RunResult?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: RunResult?) { lock.withLock { results[index] = result } }
    func get(_ index: Int) -> RunResult? { lock.withLock { results[index] } }
}
