import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// The command line: argv in, exit status out. `main.swift` only calls `BitlinkCLI.main`.
public enum BitlinkCLI {
    public static let version = "0.1.0"

    /// Runs bitlink in this process with the real streams and environment.
    public static func main(_ arguments: [String]) -> Int32 {
        // A closed pipe must surface as EPIPE on write (exit 0), not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let environment = processEnvironment()
        let stdout = OutputStream(descriptor: 1)
        let stderr = OutputStream(descriptor: 2)
        let forceTTY = environment["BITLINK_FORCE_TTY"] == "1"
        let status = run(
            Array(arguments.dropFirst()),
            environment: environment,
            stdout: stdout,
            stderr: stderr,
            stdoutIsTTY: forceTTY || Terminal.isTTY(1, environment: environment),
            stderrIsTTY: Terminal.isTTY(2, environment: environment),
            stdinIsTTY: Terminal.isTTY(0, environment: environment),
            width: Terminal.width(environment: environment))
        try? stderr.flush()
        return status
    }

    /// Runs one invocation against the given streams; returns the exit status.
    public static func run(
        _ arguments: [String], environment: [String: String], stdout: OutputStream, stderr: OutputStream,
        stdoutIsTTY: Bool = false, stderrIsTTY: Bool = false, stdinIsTTY: Bool = false, width: Int = 80,
        table: CommandTable = .standard
    ) -> Int32 {
        let reporter = Reporter(stderr: stderr, table: table, width: width)
        let parser = ArgumentParser(table: table)
        let help = HelpRenderer(table: table, width: width)
        var status: ExitStatus
        do {
            switch try parser.parse(arguments, environment: environment) {
            case .version:
                try stdout.line("bitlink \(version)")
                status = .ok
            case .help(let command, let group):
                if let command {
                    try stdout.write(help.command(command))
                } else if let group {
                    try stdout.write(help.group(group))
                } else {
                    try stdout.write(help.tool())
                }
                status = .ok
            case .shortHelp(let group):
                try stderr.write(group.map(help.shortGroup) ?? help.shortTool())
                status = .usage
            case .run(let invocation):
                let globals = try GlobalOptions.resolve(invocation)
                let context = Context(
                    environment: environment, stdout: stdout, stderr: stderr, stdoutIsTTY: stdoutIsTTY,
                    stderrIsTTY: stderrIsTTY, stdinIsTTY: stdinIsTTY, width: width, globals: globals,
                    databaseAccess: invocation.command.database)
                status = try invocation.command.run(invocation, context)
            }
            try stdout.flush()
        } catch let error as UsageError {
            status = reporter.report(error)
        } catch let error as BitlinkError {
            status = reporter.report(error)
        } catch is OutputClosed {
            // The reader went away (`| head -1`): not an error.
            status = .ok
        } catch let error as OutputFailed {
            status = reporter.reportOutputFailure(error)
        } catch {
            status = reporter.reportInternal(error)
        }
        // Anything still buffered must reach stdout; a failure here is still a failure.
        do {
            try stdout.flush()
        } catch is OutputClosed {
        } catch let error as OutputFailed {
            status = reporter.reportOutputFailure(error)
        } catch {}
        return status.rawValue
    }

    /// The environment without Foundation.
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
